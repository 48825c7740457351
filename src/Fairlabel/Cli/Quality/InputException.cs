namespace Fairlabel.Cli.Quality;

/// <summary>
/// Malformed input: the message names the file, the 1-based line and (when known) the 1-based
/// column, so a person can open the file and go straight to the problem.
/// </summary>
public sealed class InputException : Exception
{
    /// <summary>Creates an error located at <paramref name="line"/> and <paramref name="column"/> of <paramref name="path"/>.</summary>
    public InputException(string path, int line, int column, string problem)
        : base(column > 0 ? $"{path}: line {line}, column {column}: {problem}" : $"{path}: line {line}: {problem}")
    {
        Problem = problem;
        Path = path;
        Line = line;
        Column = column;
    }

    /// <summary>What is wrong, without the location.</summary>
    public string Problem { get; }

    /// <summary>The file the problem is in.</summary>
    public string Path { get; }

    /// <summary>1-based line number.</summary>
    public int Line { get; }

    /// <summary>1-based column (field) number, or 0 when the whole line is at fault.</summary>
    public int Column { get; }
}
