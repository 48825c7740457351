namespace Fairlabel.Infrastructure;

/// A problem at a place in a file a person will open: the line (1-based), the column where it
/// applies (1-based: in characters for JSONL, the cell's number for CSV and TSV; none when the
/// whole line or file is at fault), the field, and what is wrong. An import's errors, the quality
/// verbs' refusals.
public sealed record LineError(long Line, string Field, string Message)
{
    public int? Column { get; init; }

    /// "answers.csv: line 3, column 2: the item is empty.", to go straight to the problem.
    public string At(string path) =>
        Column is { } column ? $"{path}: line {Line}, column {column}: {Message}" : $"{path}: line {Line}: {Message}";
}
