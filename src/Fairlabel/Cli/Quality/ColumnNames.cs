namespace Fairlabel.Cli.Quality;

/// <summary>
/// Which columns of an input file hold what. A null name means "by position": the first three
/// columns are item, worker, answer.
/// </summary>
public sealed record ColumnNames(string? Item = null, string? Worker = null, string? Answer = null);
