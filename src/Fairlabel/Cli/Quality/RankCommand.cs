using System.CommandLine;
using Fairlabel.Quality;

namespace Fairlabel.Cli.Quality;

/// <summary><c>fairlabel rank</c>: a leaderboard from pairwise comparisons.</summary>
internal static class RankCommand
{
    public static Command Create()
    {
        var method = new Option<string>("--method") { Description = "bt (Bradley–Terry) or elo.", HelpName = "method", Required = true };
        method.AcceptOnlyFromAmong("bt", "elo");
        var input = QualityOptions.InputFile("Comparisons: CSV or TSV with columns left, right and winner (left, right or tie).");
        var output = QualityOptions.Output("Where to write item,score,rank[,lower,upper], best first; standard output by default.");
        var ties = new Option<string>("--ties") { Description = "half: a tie is half a win each way; drop: ties are left out.", HelpName = "ties", DefaultValueFactory = _ => "half" };
        ties.AcceptOnlyFromAmong("half", "drop");
        var bootstrap = new Option<int>("--bootstrap") { Description = "Resamples for 95% intervals (lower, upper columns); 0 for none.", HelpName = "n" };
        var seed = new Option<int>("--seed") { Description = "Seed of the bootstrap's resampling.", HelpName = "n", DefaultValueFactory = _ => 1 };
        var left = QualityOptions.Column("--left-column", "the left item (default: left)");
        var right = QualityOptions.Column("--right-column", "the right item (default: right)");
        var winner = QualityOptions.Column("--winner-column", "the winner (default: winner)");
        foreach (var count in new[] { bootstrap, seed })
        {
            count.Validators.Add(r =>
            {
                if (r.GetValueOrDefault<int>() < 0)
                {
                    r.AddError($"{r.IdentifierToken?.Value} must be a non-negative integer.");
                }
            });
        }

        var command = new Command("rank", "Rank items (models, outputs) from pairwise comparisons.")
        {
            method, input, output, ties, bootstrap, seed, left, right, winner,
        };
        command.SetAction(result => QualityVerbs.Run(result, stdout =>
        {
            var tieHandling = result.GetRequiredValue(ties) == "drop" ? TieHandling.Drop : TieHandling.HalfWin;
            var samples = result.GetValue(bootstrap);
            var resampling = samples > 0 ? new BootstrapOptions { Samples = samples, Seed = result.GetValue(seed) } : null;
            var comparisons = InputFiles.ReadComparisons(
                result.GetRequiredValue(input).FullName,
                result.GetValue(left) ?? "left",
                result.GetValue(right) ?? "right",
                result.GetValue(winner) ?? "winner");
            var ranking = result.GetRequiredValue(method) == "bt"
                ? BradleyTerry.Fit(comparisons, new BradleyTerryOptions { Ties = tieHandling }, resampling)
                : Elo.Fit(comparisons, new EloOptions { Ties = tieHandling }, resampling);
            Write(ranking, result.GetValue(output)?.FullName, stdout);
        }));
        return command;
    }

    // Best first, which is how a leaderboard is read.
    private static void Write(RankingResult result, string? path, TextWriter stdout)
    {
        using var csv = CsvOutput.Open(path, stdout);
        if (result.Lower is null)
        {
            csv.Row("item", "score", "rank");
        }
        else
        {
            csv.Row("item", "score", "rank", "lower", "upper");
        }

        var order = Enumerable.Range(0, result.Score.Length).OrderBy(i => result.Rank[i]).ThenBy(i => result.ItemIds[i], StringComparer.Ordinal);
        foreach (var i in order)
        {
            csv.Cell(result.ItemIds[i]);
            csv.Cell(result.Score[i]);
            csv.Cell(result.Rank[i]);
            if (result.Lower is not null)
            {
                csv.Cell(result.Lower[i]);
                csv.Cell(result.Upper![i]);
            }

            csv.EndRow();
        }
    }
}
