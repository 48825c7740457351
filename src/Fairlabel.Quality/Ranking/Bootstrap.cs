namespace Fairlabel.Quality;

/// <summary>
/// Percentile bootstrap for any ranking method. A resample is a multiplicity per comparison
/// (how many times it was drawn), so methods refit without copying the data. Each replicate
/// has its own seeded generator, which keeps the intervals reproducible when replicates run
/// in parallel.
/// </summary>
internal static class Bootstrap
{
    public static void AddIntervals(RankingResult result, int comparisons, Func<int[], double[]> fit, BootstrapOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Samples, 2, nameof(options.Samples));
        if (options.Level is <= 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "Level must be between 0 and 1.");
        }

        var items = result.Score.Length;
        var replicates = new double[options.Samples][];
        Parallel.For(0, options.Samples, r =>
        {
            var random = new Random(unchecked((options.Seed * 1_000_003) + r));
            var multiplicity = new int[comparisons];
            for (var draw = 0; draw < comparisons; draw++)
            {
                multiplicity[random.Next(comparisons)]++;
            }

            replicates[r] = fit(multiplicity);
        });

        var lower = new double[items];
        var upper = new double[items];
        var column = new double[options.Samples];
        var tail = (1 - options.Level) / 2;
        for (var i = 0; i < items; i++)
        {
            for (var r = 0; r < column.Length; r++)
            {
                column[r] = replicates[r][i];
            }

            Array.Sort(column);
            lower[i] = Quantile(column, tail);
            upper[i] = Quantile(column, 1 - tail);
        }

        result.Lower = lower;
        result.Upper = upper;
    }

    // Linear interpolation between order statistics (numpy's default "linear" method).
    private static double Quantile(double[] sorted, double q)
    {
        var position = q * (sorted.Length - 1);
        var below = (int)Math.Floor(position);
        var above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + ((position - below) * (sorted[above] - sorted[below]));
    }
}
