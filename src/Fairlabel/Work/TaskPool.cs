namespace Fairlabel.Work;

/// The open items of one project, in import order, with how many more taskers each may take
/// and who has already had it. It hands out tasks only from blocks of items this node holds
/// (<see cref="NodeReservations"/>), whose counts and histories it read after taking the block
/// and which no other node leases from meanwhile, so its answer stands before the lease is written
/// (decision 0007). Outside its blocks it only tells which blocks are worth taking. On SQLite the
/// one node holds any block it asks for; blocks there only bound the item data kept in memory.
public sealed class TaskPool
{
    readonly object _gate = new();
    readonly long[] _itemIds;        // sorted ascending
    readonly int[] _free;            // overlap - accepted - leased, as far as this node knows
    readonly int[]?[] _hadBy;        // tasker ids that were ever given the item; 0 marks room left
    int _front;                      // every position before it has no free slot

    readonly string?[] _data;        // the item's data, while its block is held
    readonly List<HeldBlock> _held = [];
    readonly Dictionary<long, long> _avoidUntil = [];   // block → when to try it again (ticks)
    readonly Dictionary<long, long> _restUntil = [];    // block → when to take it ahead of demand again (ticks)
    readonly int _start;             // where this node begins looking for blocks
    readonly ushort[]? _poolOf;      // the item's pool, by position in PoolKeys; null: one pool

    sealed class HeldBlock(long number, int from, int to, int generation)
    {
        public long Number => number;
        public int From => from;     // positions [From, To) in the arrays
        public int To => to;
        public int Generation => generation;
        public int Writing;          // leases handed out and not yet written
        public long LastLeaseAt;
        public long HeldSince;
    }

    /// <param name="spreadAcrossNodes">Begin looking for blocks at a random place, so that several
    /// nodes take different blocks; a single node (SQLite) goes through the items in import order.</param>
    /// <param name="poolOf">Which pool each item is in, by position in <paramref name="poolKeys"/>;
    /// null when every item is in one pool. A pool is an opaque key given by the rules (decision
    /// 0003): the pool knows only that a request may draw from some pools and not others.</param>
    public TaskPool(long[] itemIds, int[] free, int[]?[] hadBy, DateTimeOffset loadedAt, bool spreadAcrossNodes = false,
        ushort[]? poolOf = null, string[]? poolKeys = null)
    {
        _poolOf = poolOf;
        PoolKeys = poolKeys ?? [""];
        _itemIds = itemIds;
        _free = free;
        _hadBy = hadBy;
        LoadedAt = loadedAt;
        _data = new string?[itemIds.Length];
        _start = spreadAcrossNodes && itemIds.Length > 0 ? Random.Shared.Next(itemIds.Length) : 0;
    }

    public DateTimeOffset LoadedAt { get; }

    /// The keys of the pools this pool's items are in, fixed when it was loaded.
    public IReadOnlyList<string> PoolKeys { get; }

    /// Whether a request that may draw from <paramref name="pools"/> (by position in
    /// <see cref="PoolKeys"/>; null: from every pool) may be given the item at position i.
    bool InPools(int i, bool[]? pools) => pools is null || pools[_poolOf is null ? 0 : _poolOf[i]];

    /// Takes a slot of the first item in this node's blocks that the tasker never had, in one of
    /// the pools the tasker may draw from, with the item's data and its pool; null when the held
    /// blocks have nothing for this tasker.
    public (long ItemId, string Data, int Pool)? ReserveHeld(int taskerId, long now, bool[]? pools = null)
    {
        lock (_gate)
        {
            foreach (var block in _held)
                for (var i = block.From; i < block.To; i++)
                {
                    if (_free[i] <= 0 || !InPools(i, pools) || Had(i, taskerId)) continue;
                    Take(i, taskerId);
                    block.Writing++;
                    block.LastLeaseAt = now;
                    return (_itemIds[i], _data[i]!, _poolOf is null ? 0 : _poolOf[i]);
                }
            return null;
        }
    }

    void Take(int i, int taskerId)
    {
        _free[i]--;
        Set(i, Append(_hadBy[i], taskerId));
    }

    /// Writes into the big array only when the list itself changed: a write of a young list there
    /// is what a collection must look at.
    void Set(int i, int[]? list)
    {
        if (!ReferenceEquals(_hadBy[i], list)) _hadBy[i] = list;
    }

    /// Whether a block this node holds has a slot the tasker never had: another request may have
    /// taken a block while this one waited to take one.
    public bool HasHeldSlotFor(int taskerId, bool[]? pools = null)
    {
        lock (_gate)
            foreach (var block in _held)
                for (var i = block.From; i < block.To; i++)
                    if (_free[i] > 0 && InPools(i, pools) && !Had(i, taskerId)) return true;
        return false;
    }

    /// What this node knows of the items in ids [<paramref name="fromId"/>, <paramref name="toId"/>]
    /// outside its blocks, replaced by what the database has: <paramref name="open"/> are the items
    /// with free slots, and how many of each are used; every other item there is full or gone.
    public void Refresh(long fromId, long toId, IReadOnlyList<(long Id, int Used)> open, int overlap)
    {
        lock (_gate)
        {
            var (from, to) = Positions(fromId, toId + 1);
            var known = new Dictionary<long, int>(open.Count);
            foreach (var (id, used) in open) known[id] = used;
            var heldHere = _held.Select(h => h.Number).ToHashSet();
            for (var i = from; i < to; i++)
            {
                if (heldHere.Contains(NodeReservations.BlockOf(_itemIds[i]))) continue;
                _free[i] = known.TryGetValue(_itemIds[i], out var used) ? Math.Max(0, overlap - used) : 0;
                if (_free[i] > 0 && i < _front) _front = i;
            }
        }
    }

    /// Free slots in the blocks this node holds: when few are left, it takes another block ahead of demand.
    public int HeldFreeSlots
    {
        get
        {
            lock (_gate)
            {
                var free = 0;
                foreach (var block in _held)
                    free += FreeSlotsIn(block);
                return free;
            }
        }
    }

    /// The next block worth taking: one with a free slot, not held here, and not recently found
    /// held by another node (nor given back to the others' taskers). For a tasker's request, only
    /// a block with a slot that tasker never had, as far as this node knows; ahead of demand, not
    /// a block given back idle, whose slots none of this node's taskers could take.
    /// <paramref name="othersMayHaveMore"/>: a block with free slots was passed over because other
    /// nodes hold it or have their turn, so "none" does not mean the project is done.
    public long NextBlockToHold(long now, int? forTasker, out bool othersMayHaveMore, bool[]? pools = null)
    {
        othersMayHaveMore = false;
        lock (_gate)
        {
            while (_front < _free.Length && _free[_front] <= 0) _front++;
            var from = Math.Max(_front, _start);
            for (var pass = 0; pass < 2; pass++)
            {
                var (lo, hi) = pass == 0 ? (from, _free.Length) : (_front, from);
                for (var i = lo; i < hi; i++)
                {
                    if (_free[i] <= 0 || forTasker is { } tasker && (!InPools(i, pools) || Had(i, tasker))) continue;
                    var block = NodeReservations.BlockOf(_itemIds[i]);
                    if (_held.Any(h => h.Number == block)) continue;
                    if (_avoidUntil.TryGetValue(block, out var until) && until > now)
                    {
                        othersMayHaveMore = true;
                        continue;
                    }
                    if (forTasker is null && _restUntil.TryGetValue(block, out var rest) && rest > now) continue;
                    return block;
                }
            }
            return -1;
        }
    }

    /// Do not try <paramref name="block"/> again before <paramref name="until"/>: another node holds it,
    /// or this node gave it back for the other nodes' taskers.
    public void Avoid(long block, long until)
    {
        lock (_gate) _avoidUntil[block] = until;
    }

    /// The block is this node's now: its items as the database has them (what the node knew is
    /// replaced, since another node may have leased from the block before), with their data. The
    /// items must include every one not yet answered by k taskers, those fully leased too: a slot
    /// given back while the block is held is handed out with the data read here.
    /// Returns whether it has a free slot.
    public bool Hold(long block, int generation, IReadOnlyList<(long Id, int Used, string Data)> items,
        ILookup<long, int> hadBy, int overlap, long now)
    {
        lock (_gate)
        {
            var (from, to) = Positions(block);
            var free = false;
            foreach (var item in items)
            {
                var i = Array.BinarySearch(_itemIds, item.Id);
                if (i < 0) continue; // imported after this pool was loaded; the next pool has it
                _free[i] = Math.Max(0, overlap - item.Used);
                _data[i] = item.Data;
                _hadBy[i] = hadBy.Contains(item.Id) ? hadBy[item.Id].ToArray() : null;
                if (_free[i] > 0)
                {
                    free = true;
                    if (i < _front) _front = i;
                }
            }
            // Items the read did not return are answered by k taskers, or gone: no slot comes back.
            for (var i = from; i < to; i++)
                if (_data[i] is null) _free[i] = 0;
            _held.Add(new HeldBlock(block, from, to, generation) { HeldSince = now });
            return free;
        }
    }

    (int From, int To) Positions(long block) =>
        Positions(block * NodeReservations.BlockSize, (block + 1) * NodeReservations.BlockSize);

    /// The positions in the arrays of item ids [<paramref name="fromId"/>, <paramref name="toId"/>).
    (int From, int To) Positions(long fromId, long toId)
    {
        var from = Array.BinarySearch(_itemIds, fromId);
        var to = Array.BinarySearch(_itemIds, toId);
        return (from < 0 ? ~from : from, to < 0 ? ~to : to);
    }

    /// A late answer to an expired lease of <paramref name="itemId"/>: when the item
    /// is in a block this node holds, takes its free slot here before the answer's write, so the
    /// node does not hand it out meanwhile, and keeps the block until <see cref="Written"/>.
    public LateSlot TakeForLateAnswer(long itemId)
    {
        lock (_gate)
        {
            var number = NodeReservations.BlockOf(itemId);
            var block = _held.FirstOrDefault(h => h.Number == number);
            var i = Array.BinarySearch(_itemIds, itemId);
            if (block is null || i < 0) return LateSlot.NotHeld;
            if (_free[i] <= 0) return LateSlot.NoneFree;
            _free[i]--;
            block.Writing++;
            return LateSlot.Taken;
        }
    }

    /// The lease of an item from a held block has been written, or has failed.
    public void Written(long itemId)
    {
        lock (_gate)
        {
            var block = NodeReservations.BlockOf(itemId);
            foreach (var held in _held)
                if (held.Number == block) held.Writing--;
        }
    }

    /// Whether a block has been held longer than <paramref name="turnTicks"/> with free slots: its
    /// slots may be waited for by the other nodes' taskers, if any are waiting.
    public bool HeldLongerThan(long now, long turnTicks)
    {
        lock (_gate) return _held.Any(h => now - h.HeldSince > turnTicks && FreeSlotsIn(h) > 0);
    }

    /// Blocks to give back, with the generation each was held under:
    /// - every block when <paramref name="all"/> (the pool is being replaced);
    /// - blocks with no free slot left;
    /// - blocks with free slots that no lease came from for <paramref name="idleTicks"/>: near a
    ///   project's end their slots are for taskers this node is not serving. Not taken ahead of
    ///   demand again for <paramref name="restTicks"/>, though a tasker's request here still may;
    /// - when <paramref name="othersWant"/> (other nodes' taskers are told to ask again), blocks
    ///   held for <paramref name="turnTicks"/> with free slots: in a project of a few blocks the
    ///   nodes take turns. This node then leaves the block to the others for <paramref name="restTicks"/>.
    /// Never a block with a lease still being written: the next holder must read it complete.
    public List<(long Block, int Generation)> BlocksToLetGo(long now, long idleTicks, long turnTicks, long restTicks,
        bool othersWant, bool all = false)
    {
        var letGo = new List<(long, int)>();
        lock (_gate)
            for (var n = _held.Count - 1; n >= 0; n--)
            {
                var block = _held[n];
                if (block.Writing > 0) continue;
                var free = FreeSlotsIn(block) > 0;
                var idle = now - Math.Max(block.LastLeaseAt, block.HeldSince) > idleTicks;
                var turnOver = othersWant && now - block.HeldSince > turnTicks;
                if (!all && free && !idle && !turnOver) continue;
                Unhold(n);
                if (!all && free) (othersWant ? _avoidUntil : _restUntil)[block.Number] = now + restTicks;
                letGo.Add((block.Number, block.Generation));
            }
        return letGo;
    }

    /// The session that held the blocks is gone, and the blocks with it (another node may hold them now).
    public List<long> DropHeldUnder(int generation)
    {
        var dropped = new List<long>();
        lock (_gate)
            for (var n = _held.Count - 1; n >= 0; n--)
                if (_held[n].Generation < generation)
                {
                    dropped.Add(_held[n].Number);
                    Unhold(n);
                }
        return dropped;
    }

    int FreeSlotsIn(HeldBlock block)
    {
        var free = 0;
        for (var i = block.From; i < block.To; i++) free += Math.Max(0, _free[i]);
        return free;
    }

    /// The block is no longer this node's: its data is dropped (its counts stay, as hints).
    void Unhold(int n)
    {
        for (var i = _held[n].From; i < _held[n].To; i++) _data[i] = null;
        _held.RemoveAt(n);
    }

    public bool HoldsAny
    {
        get { lock (_gate) return _held.Count > 0; }
    }

    /// How many items this tasker could still be given, as far as this node knows, counted up to
    /// <paramref name="max"/>: what the project list shows, read from memory rather than by a
    /// scan of the project's items in the database (which grows as the project fills). Read
    /// without the lock, so that a long walk (a tasker who had most items) never holds up a lease:
    /// each slot count is one int, and a tasker list is replaced, never changed in place, so every
    /// read is of a whole value, at worst one moment old.
    public int CountOpenFor(int taskerId, int max, bool[]? pools = null)
    {
        var count = 0;
        for (var i = Volatile.Read(ref _front); i < _free.Length && count < max; i++)
            if (Volatile.Read(ref _free[i]) > 0 && InPools(i, pools) && !Had(i, taskerId)) count++;
        return count;
    }

    /// The database refused the lease: the slot is gone (another tasker has it) or the tasker
    /// already had the item. Keep the tasker marked so the item is not offered again.
    public void Refused(long itemId, bool slotGone)
    {
        lock (_gate)
        {
            var i = Array.BinarySearch(_itemIds, itemId);
            if (i < 0) return;
            if (slotGone) _free[i] = Math.Min(_free[i], 0);
            else _free[i]++;
        }
    }

    /// A count of free slots so far below zero that no slot given back (skips, expiries, undone
    /// leases) brings it above zero: the item is never handed out again by this pool.
    const int Withdrawn = int.MinValue / 2;

    /// The item is out of every queue (reported content): no slot of it is handed out again here.
    /// The database leaves it out of every block read and pool loaded afterwards.
    public void Withdraw(long itemId)
    {
        lock (_gate)
        {
            var i = Array.BinarySearch(_itemIds, itemId);
            if (i >= 0) _free[i] = Withdrawn;
        }
    }

    /// The tasker had these items, through another node: never offer them to the tasker here.
    public void MarkHad(IEnumerable<long> itemIds, int taskerId)
    {
        lock (_gate)
            foreach (var itemId in itemIds)
            {
                var i = Array.BinarySearch(_itemIds, itemId);
                if (i >= 0 && !Had(i, taskerId)) Set(i, Append(_hadBy[i], taskerId));
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
            Set(i, Remove(_hadBy[i], taskerId));
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
        foreach (var t in had)
        {
            if (t == taskerId) return true;
            if (t == 0) return false;
        }
        return false;
    }

    /// Writes the tasker into the item's list, in the room left when there is some: a new list
    /// for every lease was most of what stayed young and reachable from this pool's long-lived
    /// arrays at each garbage collection, which the collection must then mark and move
    /// under load. Tasker ids start at 1, so 0 marks room.
    static int[] Append(int[]? list, int value)
    {
        if (list is null) return [value, 0, 0, 0];
        var free = Array.IndexOf(list, 0);
        if (free >= 0)
        {
            list[free] = value;
            return list;
        }
        var grown = new int[list.Length * 2];
        list.CopyTo(grown, 0);
        grown[list.Length] = value;
        return grown;
    }

    static int[]? Remove(int[]? list, int value)
    {
        if (list is null) return null;
        var at = Array.IndexOf(list, value);
        if (at < 0) return list;
        // Shifted down so the taskers stay before the room left.
        Array.Copy(list, at + 1, list, at, list.Length - at - 1);
        list[^1] = 0;
        return list[0] == 0 ? null : list;
    }
}

/// What <see cref="TaskPool.TakeForLateAnswer"/> found: the item is not in a block this node holds
/// (the database decides alone), its slot was taken here, or it has no free slot.
public enum LateSlot { NotHeld, Taken, NoneFree }
