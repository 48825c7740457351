using System.Runtime.InteropServices;

namespace Fairlabel.Quality;

/// <summary>
/// Categorical crowd answers as dense, immutable arrays: every item, worker and label is an
/// integer, and the answers are stored grouped by item (compressed sparse rows), which is the
/// order every truth-inference algorithm walks them in.
/// </summary>
/// <remarks>
/// Memory is linear in the number of answers: three <see cref="int"/> per answer plus one
/// offset per item. Repeated (item, worker) pairs are kept as given.
/// </remarks>
public sealed class CrowdAnswers
{
    // Item-major answer arrays: answers of item i live in [ItemStart[i], ItemStart[i + 1]).
    internal readonly int[] ItemStart;
    internal readonly int[] AnswerItem;
    internal readonly int[] AnswerWorker;
    internal readonly int[] AnswerLabel;

    private readonly string[] _itemIds;
    private readonly string[] _workerIds;
    private readonly string[] _labels;

    // Takes ownership of arrays already in item-major (CSR) order.
    private CrowdAnswers(int[] itemStart, int[] item, int[] worker, int[] label, string[] itemIds, string[] workerIds, string[] labels)
    {
        ItemStart = itemStart;
        AnswerItem = item;
        AnswerWorker = worker;
        AnswerLabel = label;
        _itemIds = itemIds;
        _workerIds = workerIds;
        _labels = labels;
    }

    /// <summary>
    /// Groups answers by item with a stable counting sort: O(n), and answers of one item keep
    /// their input order. Input that is already grouped with items in first-appearance order
    /// (ids never decrease) is used as it is, since the sort would not move anything.
    /// </summary>
    internal static CrowdAnswers Grouped(int[] item, int[] worker, int[] label, string[] itemIds, string[] workerIds, string[] labels, bool copy)
    {
        var itemCount = itemIds.Length;
        var itemStart = new int[itemCount + 1];
        var ordered = true;
        var previous = 0;
        foreach (var i in item)
        {
            itemStart[i + 1]++;
            ordered &= i >= previous;
            previous = i;
        }

        for (var i = 0; i < itemCount; i++)
        {
            itemStart[i + 1] += itemStart[i];
        }

        if (ordered)
        {
            return copy
                ? new CrowdAnswers(itemStart, (int[])item.Clone(), (int[])worker.Clone(), (int[])label.Clone(), itemIds, workerIds, labels)
                : new CrowdAnswers(itemStart, item, worker, label, itemIds, workerIds, labels);
        }

        var next = itemStart[..itemCount];
        var sortedItem = new int[item.Length];
        var sortedWorker = new int[item.Length];
        var sortedLabel = new int[item.Length];
        for (var a = 0; a < item.Length; a++)
        {
            var slot = next[item[a]]++;
            sortedItem[slot] = item[a];
            sortedWorker[slot] = worker[a];
            sortedLabel[slot] = label[a];
        }

        return new CrowdAnswers(itemStart, sortedItem, sortedWorker, sortedLabel, itemIds, workerIds, labels);
    }

    /// <summary>Number of items (including, for <see cref="FromDense"/>, items without answers).</summary>
    public int ItemCount => _itemIds.Length;

    /// <summary>Number of workers.</summary>
    public int WorkerCount => _workerIds.Length;

    /// <summary>Number of distinct labels (classes).</summary>
    public int LabelCount => _labels.Length;

    /// <summary>Number of answers.</summary>
    public int AnswerCount => AnswerItem.Length;

    /// <summary>Item ids by dense index, in order of first appearance.</summary>
    public IReadOnlyList<string> ItemIds => _itemIds;

    /// <summary>Worker ids by dense index, in order of first appearance.</summary>
    public IReadOnlyList<string> WorkerIds => _workerIds;

    /// <summary>Labels by dense index, in canonical order: numeric if every label is a number, ordinal otherwise.</summary>
    public IReadOnlyList<string> Labels => _labels;

    /// <summary>Offsets into the item-major answer arrays; length <see cref="ItemCount"/> + 1.</summary>
    public ReadOnlySpan<int> ItemOffsets => ItemStart;

    /// <summary>Item of each answer, item-major order.</summary>
    public ReadOnlySpan<int> Items => AnswerItem;

    /// <summary>Worker of each answer, item-major order.</summary>
    public ReadOnlySpan<int> Workers => AnswerWorker;

    /// <summary>Label of each answer, item-major order.</summary>
    public ReadOnlySpan<int> Answers => AnswerLabel;

    /// <summary>Builds the dense form from (item, worker, label) triples with arbitrary string ids.</summary>
    public static CrowdAnswers FromTriples(IEnumerable<(string Item, string Worker, string Label)> triples)
    {
        ArgumentNullException.ThrowIfNull(triples);

        // One pass over the rows; arrays and spans are walked directly, other sequences enumerated.
        CrowdAnswersBuilder mapper;
        if (triples is List<(string, string, string)> list)
        {
            mapper = new CrowdAnswersBuilder(list.Count);
            mapper.AddAll(CollectionsMarshal.AsSpan(list));
        }
        else if (triples is (string, string, string)[] array)
        {
            mapper = new CrowdAnswersBuilder(array.Length);
            mapper.AddAll(array);
        }
        else
        {
            mapper = new CrowdAnswersBuilder(triples is ICollection<(string, string, string)> collection ? collection.Count : 16);
            foreach (var (i, w, l) in triples)
            {
                mapper.Add(i, w, l);
            }
        }

        return mapper.Build();
    }

    /// <summary>Builds the dense form from (item, worker, label) triples with arbitrary string ids.</summary>
    public static CrowdAnswers FromTriples(ReadOnlySpan<(string Item, string Worker, string Label)> triples)
    {
        var mapper = new CrowdAnswersBuilder(triples.Length);
        mapper.AddAll(triples);
        return mapper.Build();
    }

    /// <summary>
    /// Builds the dense form from integer arrays (one entry per answer); labels are 0..labelCount-1
    /// and are named "0", "1", ... The arrays are copied.
    /// </summary>
    public static CrowdAnswers FromDense(int[] item, int[] worker, int[] label, int itemCount, int workerCount, int labelCount)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(worker);
        ArgumentNullException.ThrowIfNull(label);
        if (item.Length != worker.Length || item.Length != label.Length)
        {
            throw new ArgumentException("item, worker and label must have one entry per answer.");
        }

        CheckRange(item, itemCount, nameof(item));
        CheckRange(worker, workerCount, nameof(worker));
        CheckRange(label, labelCount, nameof(label));
        return Grouped(item, worker, label, IdMap.Numbered(itemCount), IdMap.Numbered(workerCount), IdMap.Numbered(labelCount), copy: true);
    }

    /// <summary>The number of answers each label received over the whole data set.</summary>
    public int[] LabelFrequencies()
    {
        var counts = new int[LabelCount];
        foreach (var l in AnswerLabel)
        {
            counts[l]++;
        }

        return counts;
    }

    /// <summary>The number of answers each worker gave.</summary>
    public int[] WorkerAnswerCounts()
    {
        var counts = new int[WorkerCount];
        foreach (var w in AnswerWorker)
        {
            counts[w]++;
        }

        return counts;
    }

    /// <summary>The numeric value of each label, or null when some label is not a number.</summary>
    public double[]? NumericLabelValues()
    {
        var values = new double[LabelCount];
        for (var l = 0; l < values.Length; l++)
        {
            if (!LabelOrder.TryParseNumber(_labels[l], out values[l]))
            {
                return null;
            }
        }

        return values;
    }

    private static void CheckRange(int[] values, int count, string name)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count, name + "Count");
        foreach (var v in values)
        {
            if ((uint)v >= (uint)count)
            {
                throw new ArgumentOutOfRangeException(name, v, $"{name} index must be in 0..{count - 1}.");
            }
        }
    }
}
