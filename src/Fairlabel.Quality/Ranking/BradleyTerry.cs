namespace Fairlabel.Quality;

/// <summary>
/// Bradley–Terry: item i beats item j with probability p_i / (p_i + p_j). Fitted by maximum
/// likelihood with Hunter's (2004) minorise–maximise iteration
/// p_i = W_i / sum_j N_ij / (p_i + p_j), which increases the likelihood every step. Strengths
/// are normalised to sum to 1. The comparisons are first folded into one edge per compared
/// pair, so an iteration costs O(items + pairs), not O(comparisons).
/// </summary>
public static class BradleyTerry
{
    /// <summary>Fits Bradley–Terry strengths; with <paramref name="bootstrap"/>, adds percentile intervals.</summary>
    public static RankingResult Fit(PairwiseComparisons comparisons, BradleyTerryOptions? options = null, BootstrapOptions? bootstrap = null)
    {
        ArgumentNullException.ThrowIfNull(comparisons);
        options ??= new BradleyTerryOptions();
        var graph = PairGraph.Build(comparisons);
        var (score, iterations) = Solve(comparisons, graph, multiplicity: null, options);
        var result = new RankingResult("bt", comparisons.ItemIds, score, iterations);
        if (bootstrap is not null)
        {
            Bootstrap.AddIntervals(result, comparisons.Count, m => Solve(comparisons, graph, m, options).Score, bootstrap);
        }

        return result;
    }

    private static (double[] Score, int Iterations) Solve(PairwiseComparisons comparisons, PairGraph graph, int[]? multiplicity, BradleyTerryOptions options)
    {
        var n = comparisons.ItemCount;
        var wins = new double[n];
        var games = new double[graph.PairCount];
        for (var c = 0; c < comparisons.Count; c++)
        {
            double times = multiplicity is null ? 1 : multiplicity[c];
            if (times == 0 || (comparisons.Outcome[c] == PairwiseOutcome.Tie && options.Ties == TieHandling.Drop))
            {
                continue;
            }

            games[graph.PairOf[c]] += times;
            switch (comparisons.Outcome[c])
            {
                case PairwiseOutcome.Left:
                    wins[comparisons.LeftItem[c]] += times;
                    break;
                case PairwiseOutcome.Right:
                    wins[comparisons.RightItem[c]] += times;
                    break;
                default:
                    wins[comparisons.LeftItem[c]] += times / 2;
                    wins[comparisons.RightItem[c]] += times / 2;
                    break;
            }
        }

        var score = new double[n];
        Array.Fill(score, 1.0 / n);
        var denominator = new double[n];
        var iterations = 0;
        while (iterations < options.MaxIterations)
        {
            iterations++;
            Array.Clear(denominator);
            for (var e = 0; e < games.Length; e++)
            {
                var i = graph.First[e];
                var j = graph.Second[e];
                var sum = score[i] + score[j];
                if (games[e] > 0 && sum > 0)
                {
                    var term = games[e] / sum;
                    denominator[i] += term;
                    denominator[j] += term;
                }
            }

            // An item that never won has no finite maximum-likelihood strength: it goes to 0.
            var total = 0.0;
            for (var i = 0; i < n; i++)
            {
                denominator[i] = denominator[i] > 0 ? wins[i] / denominator[i] : 0;
                total += denominator[i];
            }

            var change = 0.0;
            for (var i = 0; i < n; i++)
            {
                var next = total > 0 ? denominator[i] / total : 1.0 / n;
                change = Math.Max(change, Math.Abs(next - score[i]));
                score[i] = next;
            }

            if (change <= options.Tolerance)
            {
                break;
            }
        }

        return (score, iterations);
    }
}
