namespace Fairlabel.Quality;

/// <summary>Cohen's kappa averaged over worker pairs, and how many pairs had a defined kappa.</summary>
public readonly record struct PairwiseKappa(double Mean, int Pairs);

public static partial class Agreement
{
    /// <summary>
    /// Cohen's kappa between two workers on the items both answered; NaN when they share no
    /// item or chance agreement is already perfect (both always gave the same single label).
    /// </summary>
    public static double CohenKappa(CrowdAnswers answers, int workerA, int workerB)
    {
        ArgumentNullException.ThrowIfNull(answers);
        var k = answers.LabelCount;
        var table = new double[k * k];
        for (var i = 0; i < answers.ItemCount; i++)
        {
            for (var a = answers.ItemStart[i]; a < answers.ItemStart[i + 1]; a++)
            {
                if (answers.AnswerWorker[a] != workerA)
                {
                    continue;
                }

                for (var b = answers.ItemStart[i]; b < answers.ItemStart[i + 1]; b++)
                {
                    if (answers.AnswerWorker[b] == workerB && b != a)
                    {
                        table[(answers.AnswerLabel[a] * k) + answers.AnswerLabel[b]]++;
                    }
                }
            }
        }

        return KappaOf(table, k);
    }

    /// <summary>
    /// Cohen's kappa for every pair of workers who share at least <paramref name="minimumSharedItems"/>
    /// items, averaged with equal weight per pair. Pairs are found by sorting one packed key per
    /// co-answered item (worker pair, both labels), so no pair table of workers squared is built.
    /// </summary>
    public static PairwiseKappa MeanCohenKappa(CrowdAnswers answers, int minimumSharedItems = 2)
    {
        ArgumentNullException.ThrowIfNull(answers);
        long k = answers.LabelCount;
        long workers = answers.WorkerCount;
        var keys = new List<long>();
        for (var i = 0; i < answers.ItemCount; i++)
        {
            for (var a = answers.ItemStart[i]; a < answers.ItemStart[i + 1]; a++)
            {
                for (var b = a + 1; b < answers.ItemStart[i + 1]; b++)
                {
                    var (wa, la, wb, lb) = (answers.AnswerWorker[a], answers.AnswerLabel[a], answers.AnswerWorker[b], answers.AnswerLabel[b]);
                    if (wa == wb)
                    {
                        continue;
                    }

                    if (wa > wb)
                    {
                        (wa, la, wb, lb) = (wb, lb, wa, la);
                    }

                    keys.Add((((wa * workers) + wb) * k * k) + (la * k) + lb);
                }
            }
        }

        var sorted = keys.ToArray();
        Array.Sort(sorted);
        var table = new double[k * k];
        var sum = 0.0;
        var pairs = 0;
        var start = 0;
        while (start < sorted.Length)
        {
            var pair = sorted[start] / (k * k);
            var end = start;
            Array.Clear(table);
            while (end < sorted.Length && sorted[end] / (k * k) == pair)
            {
                table[sorted[end] % (k * k)]++;
                end++;
            }

            if (end - start >= minimumSharedItems)
            {
                var kappa = KappaOf(table, (int)k);
                if (!double.IsNaN(kappa))
                {
                    sum += kappa;
                    pairs++;
                }
            }

            start = end;
        }

        return new PairwiseKappa(pairs > 0 ? sum / pairs : double.NaN, pairs);
    }

    private static double KappaOf(double[] table, int k)
    {
        var n = 0.0;
        var diagonal = 0.0;
        var rows = new double[k];
        var columns = new double[k];
        for (var c = 0; c < k; c++)
        {
            for (var d = 0; d < k; d++)
            {
                var x = table[(c * k) + d];
                n += x;
                rows[c] += x;
                columns[d] += x;
                if (c == d)
                {
                    diagonal += x;
                }
            }
        }

        if (n == 0)
        {
            return double.NaN;
        }

        var chance = 0.0;
        for (var c = 0; c < k; c++)
        {
            chance += rows[c] / n * (columns[c] / n);
        }

        return chance >= 1 ? double.NaN : ((diagonal / n) - chance) / (1 - chance);
    }
}
