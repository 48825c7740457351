namespace Fairlabel.Quality.Tests;

/// <summary>
/// Crowds drawn from the Dawid–Skene generative model: a true class per item, and per worker a
/// confusion matrix whose diagonal is the worker's accuracy and whose errors are spread
/// unevenly over the other classes. Linked into the benchmark project for its 1M-answer crowd.
/// </summary>
public sealed class SyntheticCrowd
{
    private SyntheticCrowd(CrowdAnswers answers, int[] truth)
    {
        Answers = answers;
        Truth = truth;
    }

    public CrowdAnswers Answers { get; }

    /// <summary>True class per item index.</summary>
    public int[] Truth { get; }

    public static SyntheticCrowd Generate(int items, int workers, int classes, int overlap, double minAccuracy, double maxAccuracy, int seed)
    {
        var random = new Random(seed);
        var confusion = new double[workers * classes * classes];
        for (var w = 0; w < workers; w++)
        {
            var accuracy = minAccuracy + (random.NextDouble() * (maxAccuracy - minAccuracy));
            for (var c = 0; c < classes; c++)
            {
                var row = confusion.AsSpan(((w * classes) + c) * classes, classes);
                var errorMass = 0.0;
                for (var l = 0; l < classes; l++)
                {
                    row[l] = l == c ? 0 : 0.2 + random.NextDouble();
                    errorMass += row[l];
                }

                for (var l = 0; l < classes; l++)
                {
                    row[l] = l == c ? accuracy : (1 - accuracy) * row[l] / errorMass;
                }
            }
        }

        var truth = new int[items];
        var item = new int[items * overlap];
        var worker = new int[items * overlap];
        var label = new int[items * overlap];
        Span<int> chosen = stackalloc int[overlap];
        for (var i = 0; i < items; i++)
        {
            truth[i] = random.Next(classes);
            for (var j = 0; j < overlap; j++)
            {
                // Distinct workers per item, as a task platform would assign them.
                int w;
                do
                {
                    w = random.Next(workers);
                }
                while (chosen[..j].Contains(w));

                chosen[j] = w;
                var a = (i * overlap) + j;
                item[a] = i;
                worker[a] = w;
                label[a] = Draw(random, confusion.AsSpan(((w * classes) + truth[i]) * classes, classes));
            }
        }

        return new SyntheticCrowd(CrowdAnswers.FromDense(item, worker, label, items, workers, classes), truth);
    }

    public double Accuracy(CategoricalResult result)
    {
        var correct = 0;
        for (var i = 0; i < Truth.Length; i++)
        {
            if (result.Label[i] == Truth[i])
            {
                correct++;
            }
        }

        return (double)correct / Truth.Length;
    }

    private static int Draw(Random random, ReadOnlySpan<double> probabilities)
    {
        var u = random.NextDouble();
        for (var l = 0; l < probabilities.Length - 1; l++)
        {
            u -= probabilities[l];
            if (u < 0)
            {
                return l;
            }
        }

        return probabilities.Length - 1;
    }
}
