namespace Fairlabel.Quality;

/// <summary>
/// Numeric crowd answers (ratings, counts, intensities) as dense, immutable arrays grouped by
/// item, like <see cref="CrowdAnswers"/> but with a real-valued answer.
/// </summary>
public sealed class NumericAnswers
{
    internal readonly int[] ItemStart;
    internal readonly int[] AnswerItem;
    internal readonly int[] AnswerWorker;
    internal readonly double[] AnswerValue;

    private readonly string[] _itemIds;
    private readonly string[] _workerIds;

    private NumericAnswers(int[] item, int[] worker, double[] value, string[] itemIds, string[] workerIds)
    {
        _itemIds = itemIds;
        _workerIds = workerIds;
        ItemStart = new int[itemIds.Length + 1];
        foreach (var i in item)
        {
            ItemStart[i + 1]++;
        }

        for (var i = 0; i < itemIds.Length; i++)
        {
            ItemStart[i + 1] += ItemStart[i];
        }

        var next = ItemStart[..itemIds.Length];
        AnswerItem = new int[item.Length];
        AnswerWorker = new int[item.Length];
        AnswerValue = new double[item.Length];
        for (var a = 0; a < item.Length; a++)
        {
            var slot = next[item[a]]++;
            AnswerItem[slot] = item[a];
            AnswerWorker[slot] = worker[a];
            AnswerValue[slot] = value[a];
        }
    }

    /// <summary>Number of items.</summary>
    public int ItemCount => _itemIds.Length;

    /// <summary>Number of workers.</summary>
    public int WorkerCount => _workerIds.Length;

    /// <summary>Number of answers.</summary>
    public int AnswerCount => AnswerItem.Length;

    /// <summary>Item ids by dense index, in order of first appearance.</summary>
    public IReadOnlyList<string> ItemIds => _itemIds;

    /// <summary>Worker ids by dense index, in order of first appearance.</summary>
    public IReadOnlyList<string> WorkerIds => _workerIds;

    /// <summary>Builds the dense form from (item, worker, value) triples with arbitrary string ids.</summary>
    public static NumericAnswers FromTriples(IEnumerable<(string Item, string Worker, double Value)> triples)
    {
        ArgumentNullException.ThrowIfNull(triples);
        var items = new IdMap();
        var workers = new IdMap();
        var item = new List<int>();
        var worker = new List<int>();
        var value = new List<double>();
        foreach (var (i, w, v) in triples)
        {
            if (!double.IsFinite(v))
            {
                throw new ArgumentException($"Answer of worker '{w}' on item '{i}' is not a finite number.", nameof(triples));
            }

            item.Add(items.GetOrAdd(i));
            worker.Add(workers.GetOrAdd(w));
            value.Add(v);
        }

        return new NumericAnswers(item.ToArray(), worker.ToArray(), value.ToArray(), items.ToArray(), workers.ToArray());
    }

    /// <summary>Builds the dense form from arrays with one entry per answer; ids are named "0", "1", ... The arrays are copied.</summary>
    public static NumericAnswers FromDense(int[] item, int[] worker, double[] value, int itemCount, int workerCount)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(worker);
        ArgumentNullException.ThrowIfNull(value);
        if (item.Length != worker.Length || item.Length != value.Length)
        {
            throw new ArgumentException("item, worker and value must have one entry per answer.");
        }

        foreach (var i in item)
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)i, (uint)itemCount, nameof(item));
        }

        foreach (var w in worker)
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)w, (uint)workerCount, nameof(worker));
        }

        return new NumericAnswers(item, worker, value, IdMap.Numbered(itemCount), IdMap.Numbered(workerCount));
    }
}
