using System.CommandLine;
using System.CommandLine.Invocation;
using Fairlabel.Cli.Quality;

namespace Fairlabel.Cli;

/// <summary>
/// The offline quality verbs of <c>fairlabel</c> (aggregate, rank, agreement) on files, built on
/// the Fairlabel.Quality library. Each command writes its results to the invocation's output and
/// a one-line error (file, line and column for a file's fault) to its error stream.
/// Exit codes: <see cref="Success"/>, <see cref="InputError"/>, <see cref="UsageError"/>.
/// </summary>
public static class QualityVerbs
{
    /// <summary>The command ran.</summary>
    public const int Success = 0;

    /// <summary>An input file is malformed or unreadable; the message names file, line and column.</summary>
    public const int InputError = 1;

    /// <summary>The command line is wrong: an unknown option or value, a missing option, a file that does not exist.</summary>
    public const int UsageError = 2;

    /// <summary>The aggregate, rank and agreement commands with their options, help and actions.</summary>
    public static IEnumerable<Command> Create() => [AggregateCommand.Create(), RankCommand.Create(), AgreementCommand.Create()];

    /// <summary>
    /// Parses and runs one quality verb (<paramref name="args"/>[0]); a parse error is printed as
    /// "error: …" lines and exits with <see cref="UsageError"/>.
    /// </summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var root = new RootCommand("Fairlabel's offline quality tools.");
        foreach (var command in Create())
        {
            root.Subcommands.Add(command);
        }

        var result = root.Parse(args);
        if (result.Action is ParseErrorAction)
        {
            foreach (var error in result.Errors)
            {
                stderr.WriteLine($"error: {error.Message}");
            }

            stderr.WriteLine($"See 'fairlabel {result.CommandResult.Command.Name} --help'.");
            return UsageError;
        }

        return result.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr });
    }

    // A verb's work, with its errors turned into one line and an exit code.
    internal static int Run(ParseResult result, Action<TextWriter> work)
    {
        var error = result.InvocationConfiguration.Error;
        try
        {
            work(result.InvocationConfiguration.Output);
            return Success;
        }
        catch (UsageException e)
        {
            error.WriteLine($"error: {e.Message}");
            return UsageError;
        }
        catch (InputException e)
        {
            error.WriteLine($"error: {e.Message}");
            return InputError;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            error.WriteLine($"error: {e.Message}");
            return InputError;
        }
    }
}
