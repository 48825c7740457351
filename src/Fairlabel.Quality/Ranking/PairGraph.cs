namespace Fairlabel.Quality;

/// <summary>
/// The distinct unordered pairs that were compared, and for each comparison the pair it
/// belongs to. Built once by sorting pair keys, so refits (bootstrap) only re-add counts.
/// </summary>
internal sealed class PairGraph
{
    private PairGraph(int[] first, int[] second, int[] pairOf)
    {
        First = first;
        Second = second;
        PairOf = pairOf;
    }

    public int[] First { get; }

    public int[] Second { get; }

    public int[] PairOf { get; }

    public int PairCount => First.Length;

    public static PairGraph Build(PairwiseComparisons comparisons)
    {
        var n = (long)comparisons.ItemCount;
        var keys = new long[comparisons.Count];
        var order = new int[comparisons.Count];
        for (var c = 0; c < keys.Length; c++)
        {
            var a = comparisons.LeftItem[c];
            var b = comparisons.RightItem[c];
            keys[c] = (Math.Min(a, b) * n) + Math.Max(a, b);
            order[c] = c;
        }

        Array.Sort(keys, order);
        var first = new List<int>();
        var second = new List<int>();
        var pairOf = new int[keys.Length];
        for (var s = 0; s < keys.Length; s++)
        {
            if (s == 0 || keys[s] != keys[s - 1])
            {
                first.Add((int)(keys[s] / n));
                second.Add((int)(keys[s] % n));
            }

            pairOf[order[s]] = first.Count - 1;
        }

        return new PairGraph([.. first], [.. second], pairOf);
    }
}
