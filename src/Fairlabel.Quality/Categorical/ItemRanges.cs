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

    /// <summary>Calls <paramref name="body"/>(from, to) on disjoint item ranges and returns the sum of its results.</summary>
    public static double Sum(CrowdAnswers answers, Func<int, int, double> body)
    {
        var items = answers.ItemCount;
        var ranges = answers.AnswerCount < ParallelAnswerThreshold ? 1 : Math.Min(Environment.ProcessorCount * 4, 64);
        if (ranges <= 1)
        {
            return body(0, items);
        }

        var partial = new double[ranges];
        Parallel.For(0, ranges, r =>
        {
            var from = (int)((long)items * r / ranges);
            var to = (int)((long)items * (r + 1) / ranges);
            partial[r] = body(from, to);
        });

        var sum = 0.0;
        foreach (var p in partial)
        {
            sum += p;
        }

        return sum;
    }
}
