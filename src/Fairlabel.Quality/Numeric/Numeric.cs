namespace Fairlabel.Quality;

/// <summary>Aggregation of numeric answers by method name: "mean", "median" or "weighted".</summary>
public static class Numeric
{
    /// <summary>The method names <see cref="Aggregate"/> accepts.</summary>
    public static IReadOnlyList<string> Methods { get; } = ["mean", "median", "weighted"];

    /// <summary>Aggregates numeric answers with the named method.</summary>
    /// <exception cref="ArgumentException">The method name is unknown.</exception>
    public static NumericResult Aggregate(string method, NumericAnswers answers) => method switch
    {
        "mean" => Mean(answers),
        "median" => Median(answers),
        "weighted" => PrecisionWeightedMean.Aggregate(answers),
        _ => throw new ArgumentException($"Unknown numeric method '{method}'; expected one of {string.Join(", ", Methods)}.", nameof(method)),
    };

    /// <summary>The arithmetic mean of each item's answers.</summary>
    public static NumericResult Mean(NumericAnswers answers)
    {
        ArgumentNullException.ThrowIfNull(answers);
        var value = new double[answers.ItemCount];
        for (var i = 0; i < value.Length; i++)
        {
            var sum = 0.0;
            for (var a = answers.ItemStart[i]; a < answers.ItemStart[i + 1]; a++)
            {
                sum += answers.AnswerValue[a];
            }

            var n = answers.ItemStart[i + 1] - answers.ItemStart[i];
            value[i] = n > 0 ? sum / n : double.NaN;
        }

        return new NumericResult("mean", value, Ones(answers.WorkerCount));
    }

    /// <summary>The median of each item's answers (the mean of the two middle values for an even count).</summary>
    public static NumericResult Median(NumericAnswers answers)
    {
        ArgumentNullException.ThrowIfNull(answers);
        var value = new double[answers.ItemCount];
        var scratch = new double[16];
        for (var i = 0; i < value.Length; i++)
        {
            var n = answers.ItemStart[i + 1] - answers.ItemStart[i];
            if (n > scratch.Length)
            {
                scratch = new double[n];
            }

            var span = scratch.AsSpan(0, n);
            answers.AnswerValue.AsSpan(answers.ItemStart[i], n).CopyTo(span);
            value[i] = MedianOf(span);
        }

        return new NumericResult("median", value, Ones(answers.WorkerCount));
    }

    /// <summary>Median of <paramref name="values"/>, which it sorts in place; NaN when empty.</summary>
    internal static double MedianOf(Span<double> values)
    {
        if (values.IsEmpty)
        {
            return double.NaN;
        }

        values.Sort();
        var mid = values.Length / 2;
        return values.Length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    }

    private static double[] Ones(int count)
    {
        var ones = new double[count];
        Array.Fill(ones, 1.0);
        return ones;
    }
}
