namespace Fairlabel.Quality.Tests;

/// <summary>
/// Crowds of the web-relevance shape: 5 ordered grades with a skewed class balance, a few
/// workers giving most of the answers, errors mostly one grade off, and some workers who
/// answer one grade whatever the item (spammers), among them a prolific one.
/// </summary>
public static class GradedCrowd
{
    public const int Grades = 5;

    // Class balance of the true grades, from "irrelevant" (most items) to "perfect".
    private static readonly double[] Balance = [0.40, 0.28, 0.17, 0.10, 0.05];

    /// <summary>Items with <paramref name="overlap"/> answers each from <paramref name="workers"/> workers whose shares follow a Zipf law.</summary>
    public static (CrowdAnswers Answers, int[] Truth, double TopThreeShare) Generate(int items, int workers, int overlap, int seed)
    {
        var random = new Random(seed);
        // Zipf(1.3) shares: the first few workers give most answers.
        var weight = new double[workers];
        for (var w = 0; w < workers; w++)
        {
            weight[w] = 1.0 / Math.Pow(w + 1, 1.3);
        }

        // Per worker: how often they answer the true grade, how far their errors stray, and
        // whether they spam one grade. Worker 1 (the second most prolific) is a spammer.
        var accuracy = new double[workers];
        var spamGrade = new int[workers];
        for (var w = 0; w < workers; w++)
        {
            accuracy[w] = 0.45 + (random.NextDouble() * 0.45);
            spamGrade[w] = w == 1 || random.NextDouble() < 0.1 ? random.Next(2) : -1;
        }

        var truth = new int[items];
        var item = new int[items * overlap];
        var worker = new int[items * overlap];
        var label = new int[items * overlap];
        var count = new int[workers];
        var chosen = new int[overlap];
        for (var i = 0; i < items; i++)
        {
            truth[i] = Draw(random, Balance);
            for (var j = 0; j < overlap; j++)
            {
                int w;
                do
                {
                    w = Draw(random, weight);
                }
                while (Array.IndexOf(chosen, w, 0, j) >= 0);

                chosen[j] = w;
                count[w]++;
                var a = (i * overlap) + j;
                item[a] = i;
                worker[a] = w;
                label[a] = spamGrade[w] >= 0 ? spamGrade[w] : Answer(random, truth[i], accuracy[w]);
            }
        }

        Array.Sort(count);
        var topThree = (double)(count[^1] + count[^2] + count[^3]) / (items * overlap);
        return (CrowdAnswers.FromDense(item, worker, label, items, workers, Grades), truth, topThree);
    }

    public static double Accuracy(CategoricalResult result, int[] truth)
    {
        var correct = 0;
        for (var i = 0; i < truth.Length; i++)
        {
            correct += result.Label[i] == truth[i] ? 1 : 0;
        }

        return (double)correct / truth.Length;
    }

    // The true grade with probability `accuracy`; otherwise one grade off (three times in four)
    // or two off, clamped to the scale.
    private static int Answer(Random random, int grade, double accuracy)
    {
        if (random.NextDouble() < accuracy)
        {
            return grade;
        }

        var step = random.NextDouble() < 0.75 ? 1 : 2;
        var answer = random.NextDouble() < 0.5 ? grade - step : grade + step;
        return answer < 0 || answer >= Grades ? grade + (grade - answer) : answer;
    }

    private static int Draw(Random random, ReadOnlySpan<double> weights)
    {
        var total = 0.0;
        foreach (var x in weights)
        {
            total += x;
        }

        var u = random.NextDouble() * total;
        for (var k = 0; k < weights.Length - 1; k++)
        {
            u -= weights[k];
            if (u < 0)
            {
                return k;
            }
        }

        return weights.Length - 1;
    }
}
