using Fairlabel.Infrastructure;

namespace Fairlabel.Cli.Quality;

/// <summary>
/// Malformed input, which stops the verb: the message names the file, the 1-based line and (when
/// known) the 1-based column, so a person can open the file and go straight to the problem.
/// </summary>
public sealed class InputException(string path, LineError error) : Exception(error.At(path))
{
    /// <summary>The file the problem is in.</summary>
    public string Path { get; } = path;

    /// <summary>Where in the file, and what is wrong.</summary>
    public LineError Error { get; } = error;

    /// <summary>A problem of the file as a whole, found at <paramref name="line"/>.</summary>
    public static InputException OfFile(string path, long line, string problem) => new(path, new LineError(line, "(file)", problem));
}
