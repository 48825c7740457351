namespace Fairlabel.Quality;

/// <summary>
/// Elo rating: a single online pass over the comparisons in their given order, each moving
/// both ratings by K times (actual minus expected score). Cheaper than Bradley–Terry and
/// usable as comparisons stream in, at the price of depending on their order.
/// </summary>
public static class Elo
{
    /// <summary>Rates the items; with <paramref name="bootstrap"/>, adds percentile intervals.</summary>
    public static RankingResult Fit(PairwiseComparisons comparisons, EloOptions? options = null, BootstrapOptions? bootstrap = null)
    {
        ArgumentNullException.ThrowIfNull(comparisons);
        options ??= new EloOptions();
        var result = new RankingResult("elo", comparisons.ItemIds, Rate(comparisons, multiplicity: null, options), comparisons.Count);
        if (bootstrap is not null)
        {
            Bootstrap.AddIntervals(result, comparisons.Count, m => Rate(comparisons, m, options), bootstrap);
        }

        return result;
    }

    private static double[] Rate(PairwiseComparisons comparisons, int[]? multiplicity, EloOptions options)
    {
        var rating = new double[comparisons.ItemCount];
        Array.Fill(rating, options.Initial);
        var logBase = Math.Log(options.Base);
        for (var c = 0; c < comparisons.Count; c++)
        {
            var outcome = comparisons.Outcome[c];
            if (outcome == PairwiseOutcome.Tie && options.Ties == TieHandling.Drop)
            {
                continue;
            }

            var actual = outcome switch
            {
                PairwiseOutcome.Left => 1.0,
                PairwiseOutcome.Right => 0.0,
                _ => 0.5,
            };
            var times = multiplicity is null ? 1 : multiplicity[c];
            var left = comparisons.LeftItem[c];
            var right = comparisons.RightItem[c];
            for (var t = 0; t < times; t++)
            {
                // Expected score of the left item: 1 / (1 + base^((R_right - R_left) / scale)).
                var expected = 1.0 / (1.0 + Math.Exp(logBase * (rating[right] - rating[left]) / options.Scale));
                var delta = options.K * (actual - expected);
                rating[left] += delta;
                rating[right] -= delta;
            }
        }

        return rating;
    }
}
