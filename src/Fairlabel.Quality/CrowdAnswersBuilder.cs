namespace Fairlabel.Quality;

/// <summary>
/// Builds <see cref="CrowdAnswers"/> one answer at a time, mapping string ids to dense ids as
/// they arrive: a file reader hands over each row's cells as spans of its buffer, and only ids
/// not seen before become strings.
/// </summary>
/// <param name="capacity">The expected number of answers; the arrays grow past it if needed.</param>
public sealed class CrowdAnswersBuilder(int capacity = 0)
{
    private readonly IdMap _items = new(capacity / 4);
    private readonly IdMap _workers = new(Math.Min(capacity, 1024));
    private readonly IdMap _labels = new();
    // Every entry below _count is written before it is read: no need to zero them.
    private int[] _item = GC.AllocateUninitializedArray<int>(Math.Max(capacity, 4));
    private int[] _worker = GC.AllocateUninitializedArray<int>(Math.Max(capacity, 4));
    private int[] _label = GC.AllocateUninitializedArray<int>(Math.Max(capacity, 4));
    private int _count;

    /// <summary>Number of answers added so far.</summary>
    public int Count => _count;

    internal void AddAll(ReadOnlySpan<(string Item, string Worker, string Label)> rows)
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

    /// <summary>Adds one answer.</summary>
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

    /// <summary>Adds one answer whose ids are read from a buffer; each id is copied only the first time it is seen.</summary>
    public void Add(ReadOnlySpan<char> item, ReadOnlySpan<char> worker, ReadOnlySpan<char> label)
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

    /// <summary>The answers added, grouped by item, with labels in canonical order. Call once.</summary>
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

        return CrowdAnswers.Grouped(_item, _worker, _label, _items.ToArray(), _workers.ToArray(), sortedLabels, copy: false);
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
