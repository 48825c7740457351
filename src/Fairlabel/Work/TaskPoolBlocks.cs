using System.Collections.Concurrent;
using Fairlabel.Data;

namespace Fairlabel.Work;

public enum HoldOutcome
{
    /// This node now holds another block with free slots.
    Held,
    /// No item with a free slot is left outside this node's blocks, as far as it knows.
    NoneFree,
    /// The blocks with free slots are held by other nodes (or were just given back): ask again shortly.
    OthersHold,
}

/// The blocks of items this node holds (decision 0007): taken when the node's
/// taskers need them (ahead of demand, so a request rarely waits for one), given back when full,
/// idle, or their pool is replaced.
public sealed partial class TaskPools
{
    /// When the held blocks have fewer free slots than this, the node takes another block in the
    /// background: at 1,300 leases per second a node, under a second of work.
    const int FreeSlotsAhead = 1024;
    const int BlocksTriedPerRequest = 32;
    /// Blocks whose free slots are read at once when a block this node took turns out full.
    const int BlocksRefreshed = 64;
    static readonly long IdleTicks = TimeSpan.FromSeconds(2).Ticks;
    static readonly long OtherNodesTicks = TimeSpan.FromSeconds(1).Ticks;
    static readonly long TurnTicks = TimeSpan.FromSeconds(3).Ticks;
    static readonly long RestTicks = TimeSpan.FromSeconds(3).Ticks;
    static readonly long WantForgottenTicks = TimeSpan.FromSeconds(2).Ticks;

    // Which of this node's pools holds each block. A pool replaced (items imported, or reloaded
    // when dry) keeps its blocks until its last lease is written, and the new pool leaves them
    // alone until then: advisory locks are re-entrant within a session, so PostgreSQL would not.
    readonly ConcurrentDictionary<(int Project, long Block), TaskPool> _holders = new();
    readonly ConcurrentDictionary<TaskPool, int> _retired = new();
    readonly ConcurrentDictionary<TaskPool, SemaphoreSlim> _taking = new();
    // Projects whose taskers here were last told to ask again because other nodes hold the open blocks.
    readonly ConcurrentDictionary<int, long> _wantedAt = new();

    void Retire(int projectId, TaskPool pool)
    {
        _retired[pool] = projectId;
    }

    /// Takes another block for <paramref name="pool"/>, one request or background task at a time
    /// per pool: for a tasker's request, one with a slot for <paramref name="forTasker"/>.
    public async Task<HoldOutcome> HoldMoreAsync(int projectId, int overlap, TaskPool pool, int? forTasker = null, bool[]? pools = null)
    {
        var outcome = await TryHoldMoreAsync(projectId, overlap, pool, forTasker, pools);
        if (outcome == HoldOutcome.OthersHold) await WantAsync(projectId);
        else if (outcome == HoldOutcome.Held && _wantedAt.TryRemove(projectId, out _)) await StopWantingAsync(projectId);
        return outcome;
    }

    async Task<HoldOutcome> TryHoldMoreAsync(int projectId, int overlap, TaskPool pool, int? forTasker, bool[]? pools)
    {
        var taking = _taking.GetOrAdd(pool, _ => new SemaphoreSlim(1, 1));
        await taking.WaitAsync();
        try
        {
            // Requests that ran dry together queue here: only the first need take a block.
            if (forTasker is { } tasker && pool.HasHeldSlotFor(tasker, pools)) return HoldOutcome.Held;
            for (var tries = 0; tries < BlocksTriedPerRequest; tries++)
            {
                var now = clock.GetUtcNow().UtcTicks;
                var block = pool.NextBlockToHold(now, forTasker, out var othersMayHaveMore, pools);
                if (block < 0) return othersMayHaveMore ? HoldOutcome.OthersHold : HoldOutcome.NoneFree;
                var generation = reservations.Generation;
                if (_holders.ContainsKey((projectId, block)) || !await reservations.TryHoldAsync(projectId, block, generation))
                {
                    pool.Avoid(block, now + OtherNodesTicks);
                    continue;
                }
                _holders[(projectId, block)] = pool;
                List<(long, int, string)> items;
                ILookup<long, int> hadBy;
                try
                {
                    (items, hadBy) = await ReadBlockAsync(projectId, block, overlap);
                }
                catch
                {
                    try { await reservations.LetGoAsync(projectId, block, generation); }
                    catch (DatabaseUnavailableException) { }
                    _holders.TryRemove((projectId, block), out _);
                    throw;
                }
                // A block found full after all (this node's map was behind) is given back by the keeper.
                if (pool.Hold(block, generation, items, hadBy, overlap, clock.GetUtcNow().UtcTicks)) return HoldOutcome.Held;
                // Another node filled it, and most likely the blocks after it too, in order: one read
                // of their free slots rather than taking them one by one. Without it, a node that came
                // upon the stretch another had filled took a block at a time while its taskers queued.
                await RefreshAfterAsync(projectId, block, overlap, pool);
            }
            return HoldOutcome.OthersHold;
        }
        finally
        {
            taking.Release();
        }
    }

    // The mark only tells other nodes to give blocks back after their turn: when it cannot be set
    // or taken back (the database is away), the blocks went with the session anyway.
    async Task WantAsync(int projectId)
    {
        _wantedAt[projectId] = clock.GetUtcNow().UtcTicks;
        try { await reservations.WantAsync(projectId); }
        catch (DatabaseUnavailableException) { }
    }

    async Task StopWantingAsync(int projectId)
    {
        try { await reservations.StopWantingAsync(projectId); }
        catch (DatabaseUnavailableException) { }
    }

    /// Takes another block in the background when the held ones run low, so that requests find
    /// slots waiting rather than wait for a block.
    public void HoldAhead(int projectId, int overlap, TaskPool pool, ILogger log)
    {
        if (pool.HeldFreeSlots >= FreeSlotsAhead) return;
        if (_taking.TryGetValue(pool, out var taking) && taking.CurrentCount == 0) return;
        _ = Task.Run(async () =>
        {
            try { await HoldMoreAsync(projectId, overlap, pool); }
            catch (Exception e) { log.BlockAheadNotTaken(e); }
        });
    }

    // The reads of a stretch of items (@from..@to) go by the id range. The unary `+` keeps
    // SQLite's planner, which has no statistics, from taking the index of the project or of the
    // imports instead: a scan of every item or assignment of the project, or of an import, which
    // grew past 100 ms as a run went on.
    const string ItemsInStretch =
        "FROM items WHERE +project_id = @p AND id BETWEEN @from AND @to " +
        "AND +import_id IN (SELECT id FROM imports WHERE status = 'succeeded') " +
        $"AND id NOT IN ({Wellbeing.Quarantine.WithheldItems})";
    /// A block's items not yet answered by k taskers, with their data: also those whose slots are
    /// all leased, since a lease that ends (skipped, expired) while the block is held gives one
    /// back, and the node then hands the item out from memory.
    internal const string BlockItems = "SELECT id, accepted + leased, data " + ItemsInStretch + " AND accepted < @k ORDER BY id";
    internal const string BlockHistory = "SELECT item_id, tasker_id FROM assignments WHERE item_id BETWEEN @from AND @to AND +project_id = @p";
    internal const string StretchItems = "SELECT id, accepted + leased " + ItemsInStretch + " AND accepted + leased < @k";

    /// The block's items that may have a free slot while it is held (<see cref="BlockItems"/>), and
    /// who had each of its items: read after the block is held, so no other node changes its leases meanwhile.
    async Task<(List<(long, int, string)>, ILookup<long, int>)> ReadBlockAsync(int projectId, long block, int overlap)
    {
        var (from, to) = (block * NodeReservations.BlockSize, (block + 1) * NodeReservations.BlockSize - 1);
        var items = new List<(long, int, string)>();
        var hadBy = new List<(long Item, int Tasker)>();
        await using var connection = await database.OpenAsync();
        await using (var command = connection.Command(BlockItems)
            .With("p", projectId).With("from", from).With("to", to).With("k", overlap))
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync()) items.Add((reader.GetInt64(0), reader.GetInt32(1), reader.GetString(2)));
        await using (var command = connection.Command(BlockHistory)
            .With("p", projectId).With("from", from).With("to", to))
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync()) hadBy.Add((reader.GetInt64(0), reader.GetInt32(1)));
        return (items, hadBy.ToLookup(h => h.Item, h => h.Tasker));
    }

    async Task RefreshAfterAsync(int projectId, long block, int overlap, TaskPool pool)
    {
        var (from, to) = ((block + 1) * NodeReservations.BlockSize, (block + 1 + BlocksRefreshed) * NodeReservations.BlockSize - 1);
        var open = new List<(long, int)>();
        await using var connection = await database.OpenAsync();
        await using (var command = connection.Command(StretchItems)
            .With("p", projectId).With("from", from).With("to", to).With("k", overlap))
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync()) open.Add((reader.GetInt64(0), reader.GetInt32(1)));
        pool.Refresh(from, to, open, overlap);
    }

    /// Gives back the blocks no longer needed, and forgets those lost with the session. Run a few
    /// times a second by <see cref="HeldBlocksKeeper"/>.
    public async Task KeepBlocksAsync()
    {
        try
        {
            await reservations.CheckAsync();
        }
        catch (DatabaseUnavailableException)
        {
            // The blocks went with the session: forget them below, and take new ones when the database is back.
        }
        var generation = reservations.Generation;
        var now = clock.GetUtcNow().UtcTicks;
        var pools = _pools.Where(p => p.Value.IsValueCreated && p.Value.Value.IsCompletedSuccessfully)
            .Select(p => (Project: p.Key, Pool: p.Value.Value.Result, Retired: false))
            .Concat(_retired.Select(r => (Project: r.Value, Pool: r.Key, Retired: true)));
        foreach (var (project, wantedAt) in _wantedAt)
            if (now - wantedAt > WantForgottenTicks && _wantedAt.TryRemove(new(project, wantedAt)))
                await StopWantingAsync(project);
        foreach (var (project, pool, retired) in pools.ToList())
        {
            foreach (var lost in pool.DropHeldUnder(generation)) _holders.TryRemove((project, lost), out _);
            var othersWant = !retired && pool.HeldLongerThan(now, TurnTicks) && await OthersWantAsync(project);
            await LetGoAsync(project, pool, pool.BlocksToLetGo(now, IdleTicks, TurnTicks, RestTicks, othersWant, all: retired), retired);
        }
    }

    /// A replaced pool gives back at once the blocks it has no lease still being written in, so
    /// that the pool replacing it can take them now: until the keeper's next tick it would find
    /// them held and tell its taskers to ask again, on a single node too.
    async Task LetGoOfRetiredAsync(int projectId, TaskPool retired)
    {
        var now = clock.GetUtcNow().UtcTicks;
        await LetGoAsync(projectId, retired, retired.BlocksToLetGo(now, IdleTicks, TurnTicks, RestTicks, othersWant: false, all: true), true);
    }

    async Task LetGoAsync(int projectId, TaskPool pool, List<(long Block, int Generation)> blocks, bool retired)
    {
        foreach (var (block, heldUnder) in blocks)
        {
            try
            {
                await reservations.LetGoAsync(projectId, block, heldUnder);
            }
            catch (DatabaseUnavailableException)
            {
                // Gone with the session.
            }
            _holders.TryRemove((projectId, block), out _);
        }
        if (retired && !pool.HoldsAny && _retired.TryRemove(pool, out _)) _taking.TryRemove(pool, out _);
    }

    async Task<bool> OthersWantAsync(int projectId)
    {
        try { return await reservations.OthersWantAsync(projectId); }
        catch (DatabaseUnavailableException) { return false; }
    }
}

/// Runs <see cref="TaskPools.KeepBlocksAsync"/> four times a second.
public sealed class HeldBlocksKeeper(TaskPools pools, ILogger<HeldBlocksKeeper> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
        while (await timer.WaitForNextTickAsync(stopping))
        {
            try { await pools.KeepBlocksAsync(); }
            catch (Exception e) when (!stopping.IsCancellationRequested)
            {
                log.KeepingBlocksFailed(e);
            }
        }
    }
}
