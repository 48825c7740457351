namespace Fairlabel.Quality;

/// <summary>Inter-annotator agreement measures over crowd answers.</summary>
public static partial class Agreement
{
    /// <summary>
    /// Krippendorff's alpha = 1 - D_observed / D_expected, computed from the coincidence matrix
    /// as in Krippendorff, "Computing Krippendorff's Alpha-Reliability" (2011). Any number of
    /// workers per item; missing answers are simply absent; items with a single answer are not
    /// pairable and do not count. Interval and ratio levels need numeric labels.
    /// </summary>
    /// <exception cref="ArgumentException">Interval or ratio level with a non-numeric label.</exception>
    public static double KrippendorffAlpha(CrowdAnswers answers, MeasurementLevel level)
    {
        ArgumentNullException.ThrowIfNull(answers);
        var k = answers.LabelCount;
        var coincidence = Coincidences(answers);
        var marginal = new double[k];
        var n = 0.0;
        for (var c = 0; c < k; c++)
        {
            for (var d = 0; d < k; d++)
            {
                marginal[c] += coincidence[(c * k) + d];
            }

            n += marginal[c];
        }

        var distance = SquaredDistances(answers, level, marginal);
        var observed = 0.0;
        var expected = 0.0;
        for (var c = 0; c < k; c++)
        {
            for (var d = 0; d < k; d++)
            {
                observed += coincidence[(c * k) + d] * distance[(c * k) + d];
                expected += marginal[c] * marginal[d] * distance[(c * k) + d];
            }
        }

        // No disagreement is even expected (one value throughout): alpha is undefined.
        return expected == 0 ? double.NaN : 1 - ((n - 1) * observed / expected);
    }

    // o[c, d] = sum over items of (pairs of answers valued c and d) / (answers in item - 1).
    private static double[] Coincidences(CrowdAnswers answers)
    {
        var k = answers.LabelCount;
        var coincidence = new double[k * k];
        var counts = new int[k];
        var present = new int[k];
        for (var i = 0; i < answers.ItemCount; i++)
        {
            var from = answers.ItemStart[i];
            var m = answers.ItemStart[i + 1] - from;
            if (m < 2)
            {
                continue;
            }

            var distinct = 0;
            for (var a = from; a < from + m; a++)
            {
                var l = answers.AnswerLabel[a];
                if (counts[l]++ == 0)
                {
                    present[distinct++] = l;
                }
            }

            var scale = 1.0 / (m - 1);
            for (var x = 0; x < distinct; x++)
            {
                var c = present[x];
                for (var y = 0; y < distinct; y++)
                {
                    var d = present[y];
                    coincidence[(c * k) + d] += counts[c] * (counts[d] - (c == d ? 1 : 0)) * scale;
                }
            }

            for (var x = 0; x < distinct; x++)
            {
                counts[present[x]] = 0;
            }
        }

        return coincidence;
    }

    private static double[] SquaredDistances(CrowdAnswers answers, MeasurementLevel level, double[] marginal)
    {
        var k = answers.LabelCount;
        var distance = new double[k * k];
        var values = level is MeasurementLevel.Interval or MeasurementLevel.Ratio
            ? answers.NumericLabelValues() ?? throw new ArgumentException($"The {level.ToString().ToLowerInvariant()} level needs numeric labels.", nameof(answers))
            : null;
        for (var c = 0; c < k; c++)
        {
            for (var d = 0; d < k; d++)
            {
                distance[(c * k) + d] = level switch
                {
                    MeasurementLevel.Nominal => c == d ? 0 : 1,
                    MeasurementLevel.Ordinal => OrdinalDistance(marginal, Math.Min(c, d), Math.Max(c, d)),
                    MeasurementLevel.Interval => (values![c] - values[d]) * (values[c] - values[d]),
                    _ => RatioDistance(values![c], values[d]),
                };
            }
        }

        return distance;
    }

    // (sum of marginals from c to d, minus half of each end)^2: ranks, not label values, count.
    private static double OrdinalDistance(double[] marginal, int c, int d)
    {
        if (c == d)
        {
            return 0;
        }

        var sum = 0.0;
        for (var g = c; g <= d; g++)
        {
            sum += marginal[g];
        }

        sum -= (marginal[c] + marginal[d]) / 2;
        return sum * sum;
    }

    private static double RatioDistance(double a, double b) =>
        a + b == 0 ? 0 : ((a - b) / (a + b)) * ((a - b) / (a + b));
}
