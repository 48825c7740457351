namespace Fairlabel.Quality;

/// <summary>Who won one pairwise comparison.</summary>
public enum PairwiseOutcome : byte
{
    /// <summary>The left item was preferred.</summary>
    Left,

    /// <summary>The right item was preferred.</summary>
    Right,

    /// <summary>Neither was preferred.</summary>
    Tie,
}

/// <summary>Pairwise preference judgments as dense arrays: left item, right item and outcome per comparison.</summary>
public sealed class PairwiseComparisons
{
    internal readonly int[] LeftItem;
    internal readonly int[] RightItem;
    internal readonly PairwiseOutcome[] Outcome;
    private readonly string[] _itemIds;

    private PairwiseComparisons(int[] left, int[] right, PairwiseOutcome[] outcome, string[] itemIds)
    {
        LeftItem = left;
        RightItem = right;
        Outcome = outcome;
        _itemIds = itemIds;
    }

    /// <summary>Number of compared items.</summary>
    public int ItemCount => _itemIds.Length;

    /// <summary>Number of comparisons.</summary>
    public int Count => LeftItem.Length;

    /// <summary>Item ids by dense index, in order of first appearance.</summary>
    public IReadOnlyList<string> ItemIds => _itemIds;

    /// <summary>Builds comparisons from (left, right, outcome) with arbitrary string ids, kept in input order (Elo depends on it).</summary>
    public static PairwiseComparisons FromTriples(IEnumerable<(string Left, string Right, PairwiseOutcome Outcome)> comparisons)
    {
        ArgumentNullException.ThrowIfNull(comparisons);
        var items = new IdMap();
        var left = new List<int>();
        var right = new List<int>();
        var outcome = new List<PairwiseOutcome>();
        foreach (var (l, r, o) in comparisons)
        {
            left.Add(items.GetOrAdd(l));
            right.Add(items.GetOrAdd(r));
            outcome.Add(o);
        }

        return new PairwiseComparisons(left.ToArray(), right.ToArray(), outcome.ToArray(), items.ToArray());
    }

    /// <summary>Builds comparisons from dense arrays; items are named "0", "1", ... The arrays are copied.</summary>
    public static PairwiseComparisons FromDense(int[] left, int[] right, PairwiseOutcome[] outcome, int itemCount)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        ArgumentNullException.ThrowIfNull(outcome);
        if (left.Length != right.Length || left.Length != outcome.Length)
        {
            throw new ArgumentException("left, right and outcome must have one entry per comparison.");
        }

        for (var c = 0; c < left.Length; c++)
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)left[c], (uint)itemCount, nameof(left));
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)right[c], (uint)itemCount, nameof(right));
        }

        return new PairwiseComparisons([.. left], [.. right], [.. outcome], IdMap.Numbered(itemCount));
    }
}
