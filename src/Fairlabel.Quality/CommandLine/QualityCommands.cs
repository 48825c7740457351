namespace Fairlabel.Quality.CommandLine;

/// <summary>
/// The quality verbs of the <c>fairlabel</c> executable (aggregate, rank, agreement). They live
/// in the library so the tool can be tested, and used, without the server (ADR 0105).
/// Exit codes: 0 success, 2 bad usage or malformed input (the message names line and column).
/// </summary>
public static class QualityCommands
{
    /// <summary>The verbs <see cref="Run"/> handles.</summary>
    public static IReadOnlyList<string> Verbs { get; } = ["aggregate", "rank", "agreement"];

    /// <summary>One-paragraph usage of the three verbs.</summary>
    public const string Usage = """
        usage:
          fairlabel aggregate --method mv|wawa|ds|onecoin-ds|glad|mace|mean|median|weighted
              --input answers.csv [--truth truth.csv] [--output labels.csv]
              [--item-column NAME] [--worker-column NAME] [--answer-column NAME]
              [--truth-item-column NAME] [--truth-column NAME]
          fairlabel rank --method bt|elo --input comparisons.csv [--output scores.csv]
              [--ties half|drop] [--bootstrap N] [--seed N]
              [--left-column NAME] [--right-column NAME] [--winner-column NAME]
          fairlabel agreement --metric alpha|fleiss|cohen|percent
              [--level nominal|ordinal|interval|ratio] --input answers.csv
        Files are CSV, or TSV when the name ends in .tsv, with a header row. By default the
        first three columns are item, worker, answer; rank reads columns left, right, winner
        (left, right or tie).
        """;

    /// <summary>Runs a verb; <paramref name="args"/>[0] is the verb. Returns the process exit code.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        try
        {
            var rest = args.AsSpan(Math.Min(1, args.Length));
            return args.Length == 0 ? throw new UsageException("missing verb.") : args[0] switch
            {
                "aggregate" => AggregateCommand.Run(rest, stdout),
                "rank" => RankCommand.Run(rest, stdout),
                "agreement" => AgreementCommand.Run(rest, stdout),
                "help" or "--help" or "-h" => Help(stdout),
                var verb => throw new UsageException($"unknown verb '{verb}'."),
            };
        }
        catch (UsageException e)
        {
            stderr.WriteLine($"error: {e.Message}");
            stderr.WriteLine(Usage);
            return 2;
        }
        catch (InputException e)
        {
            stderr.WriteLine($"error: {e.Message}");
            return 2;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"error: {e.Message}");
            return 2;
        }
    }

    private static int Help(TextWriter stdout)
    {
        stdout.WriteLine(Usage);
        return 0;
    }
}
