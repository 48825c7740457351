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

    // The range count depends only on the machine and the data size, never on timing.
    private static int RangeCount(CrowdAnswers answers, int maxRanges) =>
        answers.AnswerCount < ParallelAnswerThreshold ? 1 : Math.Min(Environment.ProcessorCount * 4, maxRanges);

    private static int From(CrowdAnswers answers, int range, int ranges) => (int)((long)answers.ItemCount * range / ranges);
}
