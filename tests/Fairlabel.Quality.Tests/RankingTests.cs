using System.Globalization;
using Fairlabel.Cli.Quality;

namespace Fairlabel.Quality.Tests;

/// <summary>Bradley–Terry and Elo on LLMFAO against evalica's golden scores.</summary>
public class RankingTests
{
    private static readonly Lazy<PairwiseComparisons> Llmfao = new(() => InputFiles.ReadComparisons(BenchData.PathOf("llmfao_pairwise/crowd-comparisons.csv.gz")));

    [Fact]
    public void Bradley_Terry_with_ties_as_half_wins_reproduces_evalica_to_1e_6()
    {
        var golden = Golden("bradley_terry");

        var result = BradleyTerry.Fit(Llmfao.Value);

        Assert.Equal(59, result.Score.Length);
        for (var i = 0; i < result.Score.Length; i++)
        {
            Assert.Equal(golden[result.ItemIds[i]], result.Score[i], 1e-6);
        }
    }

    [Fact]
    public void Elo_reproduces_evalica_with_its_defaults()
    {
        var golden = Golden("elo");

        var result = Elo.Fit(Llmfao.Value);

        for (var i = 0; i < result.Score.Length; i++)
        {
            Assert.Equal(golden[result.ItemIds[i]], result.Score[i], 1e-6);
        }
    }

    [Fact]
    public void Dropping_ties_changes_the_fit_but_keeps_the_top_model()
    {
        var half = BradleyTerry.Fit(Llmfao.Value);
        var drop = BradleyTerry.Fit(Llmfao.Value, new BradleyTerryOptions { Ties = TieHandling.Drop });

        Assert.NotEqual(half.Score[0], drop.Score[0], 6);
        Assert.Equal(1.0, drop.Score.Sum(), 9);
        Assert.Equal(ArgMax(half.Score), ArgMax(drop.Score));
    }

    [Fact]
    public void Ranks_follow_scores_and_bootstrap_intervals_bracket_them()
    {
        var result = BradleyTerry.Fit(Llmfao.Value, bootstrap: new BootstrapOptions { Samples = 200, Seed = 7 });

        var best = ArgMax(result.Score);
        Assert.Equal(1, result.Rank[best]);
        Assert.Equal("GPT 4", result.ItemIds[best]);
        for (var i = 0; i < result.Score.Length; i++)
        {
            Assert.True(result.Lower![i] <= result.Score[i] && result.Score[i] <= result.Upper![i], $"{result.ItemIds[i]}: {result.Lower[i]} {result.Score[i]} {result.Upper[i]}");
            Assert.True(result.Upper[i] - result.Lower[i] < result.Score[i], $"{result.ItemIds[i]}: {result.Lower[i]} {result.Score[i]} {result.Upper[i]}");
        }

        // Same seed, same intervals: resampling is reproducible even though it runs in parallel.
        var again = BradleyTerry.Fit(Llmfao.Value, bootstrap: new BootstrapOptions { Samples = 200, Seed = 7 });
        Assert.Equal(result.Lower, again.Lower);
    }

    [Fact]
    public void Bradley_Terry_recovers_known_strengths()
    {
        // Three items with strengths 4:2:1 and every pair played in exact expected proportions.
        var comparisons = new List<(string, string, PairwiseOutcome)>();
        void Play(string a, string b, int aWins, int bWins)
        {
            comparisons.AddRange(Enumerable.Repeat((a, b, PairwiseOutcome.Left), aWins));
            comparisons.AddRange(Enumerable.Repeat((a, b, PairwiseOutcome.Right), bWins));
        }

        Play("a", "b", 200, 100);
        Play("a", "c", 400, 100);
        Play("b", "c", 200, 100);

        var result = BradleyTerry.Fit(PairwiseComparisons.FromTriples(comparisons));

        Assert.Equal(4.0 / 7, result.Score[0], 9);
        Assert.Equal(2.0 / 7, result.Score[1], 9);
        Assert.Equal(1.0 / 7, result.Score[2], 9);
        Assert.Equal([1, 2, 3], result.Rank);
    }

    private static int ArgMax(double[] values) => Array.IndexOf(values, values.Max());

    private static Dictionary<string, double> Golden(string algorithm)
    {
        var golden = new Dictionary<string, double>();
        using var file = DelimitedFile.Open(BenchData.PathOf("llmfao_pairwise/evalica-llmfao-golden.csv.gz"));
        foreach (var row in file.Reader)
        {
            if (file.IsData(row) && file.Cell(row, 0, "algorithm").SequenceEqual(algorithm))
            {
                golden[file.Cell(row, 1, "item").ToString()] = double.Parse(file.Cell(row, 2, "score"), CultureInfo.InvariantCulture);
            }
        }

        return golden;
    }
}
