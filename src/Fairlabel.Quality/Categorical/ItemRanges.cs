namespace Fairlabel.Quality;

/// <summary>
/// Runs a per-item kernel over contiguous ranges of items, in parallel only when the data is
/// large enough to repay the thread hand-off (a few hundred thousand answers on 2 cores).
/// Ranges are fixed by the item count, not by timing, and their partial sums are added in
/// range order, so results are bit-for-bit reproducible whatever the scheduler does.
/// </summary>
internal static class ItemRanges
{
    private const int ParallelAnswerThreshold = 200_000;

    /// <summary>
    /// Clears <paramref name="target"/> and adds into it what <paramref name="body"/>(from, to, buffer)
    /// scatters for each item range. In parallel, each range scatters into its own buffer (workers
    /// are shared between ranges) and the buffers are added in range order.
    /// </summary>
    public static void Accumulate(CrowdAnswers answers, double[] target, Action<int, int, double[]> body)
    {
        Array.Clear(target);
        var ranges = RangeCount(answers, maxRanges: Environment.ProcessorCount);
        if (ranges <= 1)
        {
            body(0, answers.ItemCount, target);
            return;
        }

        var buffers = new double[ranges][];
        Parallel.For(0, ranges, r =>
        {
            buffers[r] = new double[target.Length];
            body(From(answers, r, ranges), From(answers, r + 1, ranges), buffers[r]);
        });

        foreach (var buffer in buffers)
        {
            for (var x = 0; x < target.Length; x++)
            {
                target[x] += buffer[x];
            }
        }
    }

    /// <summary>Calls <paramref name="body"/>(from, to) on disjoint item ranges and returns the sum of its results.</summary>
    public static double Sum(CrowdAnswers answers, Func<int, int, double> body)
    {
        var ranges = RangeCount(answers, maxRanges: 64);
        if (ranges <= 1)
        {
            return body(0, answers.ItemCount);
        }

        var partial = new double[ranges];
        Parallel.For(0, ranges, r =>
        {
            partial[r] = body(From(answers, r, ranges), From(answers, r + 1, ranges));
        });

        var sum = 0.0;
        foreach (var p in partial)
        {
            sum += p;
        }

        return sum;
    }

    /// <summary>
    /// <see cref="Sum"/> and <see cref="Accumulate"/> in one pass: calls <paramref name="body"/>(from, to, buffer)
    /// on exactly the ranges <see cref="Sum"/> uses, with the scatter buffer <see cref="Accumulate"/> would give
    /// those items, and combines both in the same order, so the results are bit-for-bit those of the two
    /// separate passes. Returns false without doing anything when the two partitions do not nest.
    /// </summary>
    public static bool TrySumAndAccumulate(CrowdAnswers answers, double[] target, Func<int, int, double[], double> body, out double sum)
    {
        var sumRanges = RangeCount(answers, maxRanges: 64);
        var accumulateRanges = RangeCount(answers, maxRanges: Environment.ProcessorCount);
        sum = 0.0;
        if (sumRanges % accumulateRanges != 0)
        {
            return false;
        }

        Array.Clear(target);
        if (sumRanges <= 1)
        {
            sum = body(0, answers.ItemCount, target);
            return true;
        }

        // Accumulate's range r is Sum's ranges r * per .. (r + 1) * per - 1 (same integer boundaries).
        var per = sumRanges / accumulateRanges;
        var partial = new double[sumRanges];
        var buffers = new double[accumulateRanges][];
        Parallel.For(0, accumulateRanges, r =>
        {
            // Range 0 scatters straight into the cleared target: 0 + x == x for these sums.
            var buffer = r == 0 ? target : new double[target.Length];
            buffers[r] = buffer;
            for (var s = r * per; s < (r + 1) * per; s++)
            {
                partial[s] = body(From(answers, s, sumRanges), From(answers, s + 1, sumRanges), buffer);
            }
        });

        for (var r = 1; r < accumulateRanges; r++)
        {
            var buffer = buffers[r];
            for (var x = 0; x < target.Length; x++)
            {
                target[x] += buffer[x];
            }
        }

        foreach (var p in partial)
        {
            sum += p;
        }

        return true;
    }

    // The range count depends only on the machine and the data size, never on timing.
    private static int RangeCount(CrowdAnswers answers, int maxRanges) =>
        answers.AnswerCount < ParallelAnswerThreshold ? 1 : Math.Min(Environment.ProcessorCount * 4, maxRanges);

    private static int From(CrowdAnswers answers, int range, int ranges) => (int)((long)answers.ItemCount * range / ranges);
}
