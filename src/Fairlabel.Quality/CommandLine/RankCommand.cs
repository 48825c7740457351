namespace Fairlabel.Quality.CommandLine;

/// <summary>
/// fairlabel rank --method bt|elo --input comparisons.csv [--output scores.csv] [--ties half|drop]
/// [--bootstrap N] [--left-column N --right-column N --winner-column N]
/// </summary>
internal static class RankCommand
{
    private static readonly string[] Known = ["method", "input", "output", "ties", "bootstrap", "seed", "left-column", "right-column", "winner-column"];

    public static int Run(ReadOnlySpan<string> args, TextWriter stdout)
    {
        var options = CommandOptions.Parse(args, Known);
        var method = options.Required("method");
        if (method is not ("bt" or "elo"))
        {
            throw new UsageException($"unknown --method '{method}'; expected bt or elo.");
        }

        var ties = options.Get("ties") switch
        {
            null or "half" => TieHandling.HalfWin,
            "drop" => TieHandling.Drop,
            var other => throw new UsageException($"--ties must be half or drop, not '{other}'."),
        };
        var samples = options.Integer("bootstrap", 0);
        var bootstrap = samples > 0 ? new BootstrapOptions { Samples = samples, Seed = options.Integer("seed", 1) } : null;
        var comparisons = InputFiles.ReadComparisons(
            options.Required("input"),
            options.Get("left-column") ?? "left",
            options.Get("right-column") ?? "right",
            options.Get("winner-column") ?? "winner");
        var result = method == "bt"
            ? BradleyTerry.Fit(comparisons, new BradleyTerryOptions { Ties = ties }, bootstrap)
            : Elo.Fit(comparisons, new EloOptions { Ties = ties }, bootstrap);
        CsvOutput.WriteTo(options.Get("output"), stdout, Rows(result));
        return 0;
    }

    // Best first, which is how a leaderboard is read.
    private static IEnumerable<string[]> Rows(RankingResult result)
    {
        yield return result.Lower is null ? ["item", "score", "rank"] : ["item", "score", "rank", "lower", "upper"];
        var order = Enumerable.Range(0, result.Score.Length).OrderBy(i => result.Rank[i]).ThenBy(i => result.ItemIds[i], StringComparer.Ordinal);
        foreach (var i in order)
        {
            var rank = result.Rank[i].ToString(System.Globalization.CultureInfo.InvariantCulture);
            yield return result.Lower is null
                ? [result.ItemIds[i], CsvOutput.Number(result.Score[i]), rank]
                : [result.ItemIds[i], CsvOutput.Number(result.Score[i]), rank, CsvOutput.Number(result.Lower[i]), CsvOutput.Number(result.Upper![i])];
        }
    }
}
