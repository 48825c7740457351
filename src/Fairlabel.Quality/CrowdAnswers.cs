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
    private static CrowdAnswers Grouped(int[] item, int[] worker, int[] label, string[] itemIds, string[] workerIds, string[] labels, bool copy)
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
        Mapper mapper;
        if (triples is List<(string, string, string)> list)
        {
            mapper = new Mapper(list.Count);
            mapper.AddAll(CollectionsMarshal.AsSpan(list));
        }
        else if (triples is (string, string, string)[] array)
        {
            mapper = new Mapper(array.Length);
            mapper.AddAll(array);
        }
        else
        {
            mapper = new Mapper(triples is ICollection<(string, string, string)> collection ? collection.Count : 16);
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
        var mapper = new Mapper(triples.Length);
        mapper.AddAll(triples);
        return mapper.Build();
    }

    /// <summary>String ids to dense ids, one row at a time, into arrays sized for the expected row count.</summary>
    private sealed class Mapper(int capacity)
    {
        private readonly IdMap _items = new(capacity / 4);
        private readonly IdMap _workers = new(Math.Min(capacity, 1024));
        private readonly IdMap _labels = new();
        // Every entry below _count is written before it is read: no need to zero them.
        private int[] _item = GC.AllocateUninitializedArray<int>(Math.Max(capacity, 4));
        private int[] _worker = GC.AllocateUninitializedArray<int>(Math.Max(capacity, 4));
        private int[] _label = GC.AllocateUninitializedArray<int>(Math.Max(capacity, 4));
        private int _count;

        public void AddAll(ReadOnlySpan<(string Item, string Worker, string Label)> rows)
        {
            if (_item.Length - _count < rows.Length)
            {
                Grow(_count + rows.Length);
            }

            var item = _item.AsSpan(_count, rows.Length);
            var worker = _worker.AsSpan(_count, rows.Length);
            var label = _label.AsSpan(_count, rows.Length);

            // The previous row's ids live in locals here (no field writes per row); labels are
            // few, so the ones seen so far are checked before the map.
            string? lastItem = null, lastWorker = null, lastLabel = null;
            int lastItemId = 0, lastWorkerId = 0, lastLabelId = 0;
            for (var a = 0; a < rows.Length; a++)
            {
                ref readonly var row = ref rows[a];
                var id = row.Item;
                if (!string.Equals(id, lastItem) || lastItem is null)
                {
                    lastItemId = _items.GetOrAddUncached(id);
                    lastItem = id;
                }

                item[a] = lastItemId;
                id = row.Worker;
                if (!string.Equals(id, lastWorker) || lastWorker is null)
                {
                    lastWorkerId = _workers.GetOrAddUncached(id);
                    lastWorker = id;
                }

                worker[a] = lastWorkerId;
                id = row.Label;
                if (!string.Equals(id, lastLabel) || lastLabel is null)
                {
                    lastLabelId = _labels.GetOrAddUncached(id);
                    lastLabel = id;
                }

                label[a] = lastLabelId;
            }

            _count += rows.Length;
        }

        public void Add(string item, string worker, string label)
        {
            if (_count == _item.Length)
            {
                Grow(_count * 2);
            }

            _item[_count] = _items.GetOrAdd(item);
            _worker[_count] = _workers.GetOrAdd(worker);
            _label[_count] = _labels.GetOrAdd(label);
            _count++;
        }

        public CrowdAnswers Build()
        {
            if (_count != _item.Length)
            {
                Array.Resize(ref _item, _count);
                Array.Resize(ref _worker, _count);
                Array.Resize(ref _label, _count);
            }

            var (sortedLabels, newIndex) = LabelOrder.Canonical(_labels.Ids);
            if (!IsIdentity(newIndex))
            {
                var label = _label;
                for (var a = 0; a < label.Length; a++)
                {
                    label[a] = newIndex[label[a]];
                }
            }

            return Grouped(_item, _worker, _label, _items.ToArray(), _workers.ToArray(), sortedLabels, copy: false);
        }

        private void Grow(int size)
        {
            Array.Resize(ref _item, size);
            Array.Resize(ref _worker, size);
            Array.Resize(ref _label, size);
        }

        private static bool IsIdentity(int[] permutation)
        {
            for (var x = 0; x < permutation.Length; x++)
            {
                if (permutation[x] != x)
                {
                    return false;
                }
            }

            return true;
        }
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
