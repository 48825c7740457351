namespace Fairlabel.Work;

/// The open items of one project, in import order, with how many more taskers each may take
/// and who has already had it. It only *suggests* an item: the database's conditional writes
/// decide, so a stale pool (another node took the slot) costs a retry, never a broken rule.
public sealed class TaskPool
{
    readonly object _gate = new();
    readonly long[] _itemIds;        // sorted ascending
    readonly int[] _free;            // overlap - accepted - leased, as far as this node knows
    readonly int[]?[] _hadBy;        // tasker ids that were ever given the item
    readonly bool[]? _inFlight;      // a lease of the item is being written (PostgreSQL only)
    int _start;                      // where this node begins looking (spread across nodes)
    int _front;                      // every position before it has no free slot

    /// <param name="spread">Several nodes share the database: start at a random place so the
    /// nodes work on different items, and never write two leases of one item at once (on
    /// PostgreSQL the second would wait for, or skip, the first's row lock).</param>
    public TaskPool(long[] itemIds, int[] free, int[]?[] hadBy, DateTimeOffset loadedAt, bool spread = false)
    {
        _itemIds = itemIds;
        _free = free;
        _hadBy = hadBy;
        LoadedAt = loadedAt;
        if (!spread) return;
        _inFlight = new bool[itemIds.Length];
        _start = itemIds.Length == 0 ? 0 : Random.Shared.Next(itemIds.Length);
    }

    public DateTimeOffset LoadedAt { get; }

    /// Takes a slot of the first item this tasker never had (and not in <paramref name="skip"/>), or returns -1.
    public long Reserve(int taskerId, HashSet<long>? skip = null)
    {
        lock (_gate)
        {
            while (_front < _free.Length && _free[_front] <= 0) _front++;
            var from = Math.Max(_front, _start);
            var found = Scan(from, _free.Length, taskerId, skip);
            if (found < 0 && from > _front) found = Scan(_front, from, taskerId, skip);
            if (found < 0) return -1;
            _free[found]--;
            _hadBy[found] = Append(_hadBy[found], taskerId);
            if (_inFlight is not null) _inFlight[found] = true;
            return _itemIds[found];
        }
    }

    /// How many items this tasker could still be given, as far as this node knows, counted up to
    /// <paramref name="max"/>: what the project list shows, read from memory rather than by a
    /// scan of the project's items in the database (which grows as the project fills). Read
    /// without the lock, so that a long walk (a tasker who had most items) never holds up a lease:
    /// each slot count is one int, and a tasker list is replaced, never changed in place, so every
    /// read is of a whole value, at worst one moment old.
    public int CountOpenFor(int taskerId, int max)
    {
        var count = 0;
        for (var i = Volatile.Read(ref _front); i < _free.Length && count < max; i++)
            if (Volatile.Read(ref _free[i]) > 0 && !Had(i, taskerId)) count++;
        return count;
    }

    int Scan(int from, int to, int taskerId, HashSet<long>? skip)
    {
        for (var i = from; i < to; i++)
        {
            if (_free[i] <= 0 || _inFlight?[i] == true || Had(i, taskerId) || skip?.Contains(_itemIds[i]) == true) continue;
            return i;
        }
        return -1;
    }

    /// The lease write for the item has ended, whatever its outcome.
    public void Written(long itemId)
    {
        if (_inFlight is null) return;
        lock (_gate)
        {
            var i = Array.BinarySearch(_itemIds, itemId);
            if (i >= 0) _inFlight[i] = false;
        }
    }

    /// The database refused the reservation: the slot is gone (another node took it) or the
    /// tasker already had the item. Keep the tasker marked so the item is not offered again.
    public void Refused(long itemId, bool slotGone)
    {
        lock (_gate)
        {
            var i = Array.BinarySearch(_itemIds, itemId);
            if (i < 0) return;
            if (slotGone) _free[i] = 0;
            else _free[i]++;
        }
    }

    /// Another node is at work where this node was looking: look elsewhere from now on, so the two
    /// nodes stop proposing the same items to each other's taskers.
    public void MoveAway()
    {
        if (_inFlight is null) return;
        lock (_gate) _start = Random.Shared.Next(_itemIds.Length);
    }

    /// Sets the free slots of <paramref name="itemIds"/> to what the database says
    /// (<paramref name="used"/> = accepted + leased), except for items this node is writing a
    /// lease of right now, whose count the database does not know yet.
    public void Correct(IReadOnlyList<long> itemIds, IReadOnlyList<int> used, int overlap)
    {
        lock (_gate)
            for (var n = 0; n < itemIds.Count; n++)
            {
                var i = Array.BinarySearch(_itemIds, itemIds[n]);
                if (i < 0 || _inFlight?[i] == true) continue;
                _free[i] = Math.Max(0, overlap - used[n]);
                if (_free[i] > 0 && i < _front) _front = i;
            }
    }

    /// The tasker had these items, through another node: never offer them to the tasker here.
    public void MarkHad(IEnumerable<long> itemIds, int taskerId)
    {
        lock (_gate)
            foreach (var itemId in itemIds)
            {
                var i = Array.BinarySearch(_itemIds, itemId);
                if (i >= 0 && !Had(i, taskerId)) _hadBy[i] = Append(_hadBy[i], taskerId);
            }
    }

    /// The reservation never reached the database (the write failed): undo it completely.
    public void Undo(long itemId, int taskerId)
    {
        lock (_gate)
        {
            var i = Array.BinarySearch(_itemIds, itemId);
            if (i < 0) return;
            _free[i]++;
            _hadBy[i] = Remove(_hadBy[i], taskerId);
            if (i < _front) _front = i;
        }
    }

    /// A lease ended without an answer (skipped or expired): the slot is open again.
    public void Released(long itemId)
    {
        lock (_gate)
        {
            var i = Array.BinarySearch(_itemIds, itemId);
            if (i < 0) return;
            _free[i]++;
            if (i < _front) _front = i;
        }
    }

    /// A late answer to an expired lease took a slot that had been released.
    public void Taken(long itemId)
    {
        lock (_gate)
        {
            var i = Array.BinarySearch(_itemIds, itemId);
            if (i >= 0 && _free[i] > 0) _free[i]--;
        }
    }

    bool Had(int i, int taskerId)
    {
        var had = _hadBy[i];
        if (had is null) return false;
        foreach (var t in had) if (t == taskerId) return true;
        return false;
    }

    static int[] Append(int[]? list, int value)
    {
        if (list is null) return [value];
        var grown = new int[list.Length + 1];
        list.CopyTo(grown, 0);
        grown[^1] = value;
        return grown;
    }

    static int[]? Remove(int[]? list, int value)
    {
        if (list is null) return null;
        var kept = list.Where(t => t != value).ToArray();
        return kept.Length == 0 ? null : kept;
    }
}
