namespace Fairlabel.Quality;

/// <summary>
/// The robust numeric method: each worker's answers are modelled as the truth plus Gaussian
/// noise of the worker's own variance, and each item's value is the precision-weighted mean
/// of its answers (the numeric counterpart of Dawid–Skene, as in Raykar et al.'s LFC for
/// regression). Starting from the median, a worker who is far from the consensus gets a small
/// weight before they can drag it; a conjugate prior worth <see cref="PriorAnswers"/> answers
/// at the crowd's overall variance stops a worker with two lucky answers from getting an
/// enormous weight.
/// </summary>
public static class PrecisionWeightedMean
{
    /// <summary>Strength of the variance prior, in answers.</summary>
    public const double PriorAnswers = 2.0;

    private const int MaxIterations = 100;
    private const double Tolerance = 1e-9;

    /// <summary>Runs the reweighting to convergence.</summary>
    public static NumericResult Aggregate(NumericAnswers answers)
    {
        ArgumentNullException.ThrowIfNull(answers);
        var value = Numeric.Median(answers).Value;
        var weight = new double[answers.WorkerCount];
        var squared = new double[answers.WorkerCount];
        var count = new double[answers.WorkerCount];

        for (var iteration = 0; iteration < MaxIterations; iteration++)
        {
            // Worker variances around the current consensus, shrunk towards the pooled variance.
            Array.Clear(squared);
            Array.Clear(count);
            var pooled = 0.0;
            for (var a = 0; a < answers.AnswerCount; a++)
            {
                var r = answers.AnswerValue[a] - value[answers.AnswerItem[a]];
                squared[answers.AnswerWorker[a]] += r * r;
                count[answers.AnswerWorker[a]]++;
                pooled += r * r;
            }

            pooled = Math.Max(pooled / Math.Max(answers.AnswerCount, 1), 1e-12);
            for (var w = 0; w < weight.Length; w++)
            {
                weight[w] = (count[w] + PriorAnswers) / (squared[w] + (PriorAnswers * pooled));
            }

            var change = 0.0;
            for (var i = 0; i < value.Length; i++)
            {
                var sum = 0.0;
                var total = 0.0;
                for (var a = answers.ItemStart[i]; a < answers.ItemStart[i + 1]; a++)
                {
                    var w = weight[answers.AnswerWorker[a]];
                    sum += w * answers.AnswerValue[a];
                    total += w;
                }

                var next = total > 0 ? sum / total : double.NaN;
                if (!double.IsNaN(next))
                {
                    change = Math.Max(change, Math.Abs(next - value[i]));
                }

                value[i] = next;
            }

            if (change <= Tolerance * Math.Sqrt(pooled))
            {
                break;
            }
        }

        // Report weights relative to the average worker so they read as "times as trusted".
        var mean = 0.0;
        foreach (var w in weight)
        {
            mean += w;
        }

        mean /= Math.Max(weight.Length, 1);
        for (var w = 0; w < weight.Length; w++)
        {
            weight[w] /= mean;
        }

        return new NumericResult("weighted", value, weight);
    }
}
