using System.Collections.Concurrent;
using Fairlabel.Data;

namespace Fairlabel.Work;

/// One <see cref="TaskPool"/> per project, loaded from the database on first use and reloaded
/// when it runs dry (another node may have released slots) or when items are imported.
/// Items are in pools by their sensitivity categories, each pool named by the key
/// <paramref name="poolKeyOf"/> gives (the rules' function): a request draws only from the pools it
/// is given, and this class never learns what a key means.
public sealed partial class TaskPools(DatabaseSettings database, NodeReservations reservations, TimeProvider clock, ItemPoolKey poolKeyOf)
{
    static readonly TimeSpan ReloadWhenDryAfter = TimeSpan.FromSeconds(2);
    readonly ConcurrentDictionary<int, Lazy<Task<TaskPool>>> _pools = new();

    public Task<TaskPool> GetAsync(int projectId, int overlap) =>
        _pools.GetOrAdd(projectId, id => new Lazy<Task<TaskPool>>(() => LoadAsync(id, overlap))).Value;

    /// The pool offered nothing: reload it if it is old enough that the database may know better.
    public async Task<TaskPool?> ReloadIfStaleAsync(int projectId, int overlap, TaskPool current)
    {
        if (clock.GetUtcNow() - current.LoadedAt < ReloadWhenDryAfter) return null;
        var fresh = new Lazy<Task<TaskPool>>(() => LoadAsync(projectId, overlap));
        var replaced = false;
        _pools.AddOrUpdate(projectId, fresh, (_, now) =>
        {
            // Another request has reloaded it already: use that pool.
            if (now.IsValueCreated && now.Value.IsCompletedSuccessfully && now.Value.Result != current) return now;
            replaced = true;
            return fresh;
        });
        if (!replaced) return await _pools[projectId].Value;
        Retire(projectId, current);
        await LetGoOfRetiredAsync(projectId, current);
        return await fresh.Value;
    }

    /// Every item the tasker was ever given in the project, marked in the pool: for a tasker who
    /// also works through another node, whose leases this node's pool has not seen.
    public async Task LearnTaskerHistoryAsync(int projectId, TaskPool pool, int taskerId)
    {
        var had = new List<long>();
        await using var connection = await database.OpenAsync();
        await using var command = connection.Command(
            "SELECT item_id FROM assignments WHERE tasker_id = @t AND project_id = @p").With("t", taskerId).With("p", projectId);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) had.Add(reader.GetInt64(0));
        pool.MarkHad(had, taskerId);
    }

    /// How many tasks the tasker could take in the project, up to <paramref name="max"/>, from the
    /// pool (loaded if need be: a tasker looking at the list is about to work). With several nodes
    /// the tasker's history is read first, since some of it may have passed through another node;
    /// slots other nodes filled since the pool was loaded still count, so the figure is a close
    /// estimate, never a promise: the next-task request decides.
    public async Task<int> CountOpenForAsync(int projectId, int overlap, int taskerId, int max, Func<TaskPool, bool[]?>? pools = null)
    {
        var pool = await GetAsync(projectId, overlap);
        if (!database.IsSqlite) await LearnTaskerHistoryAsync(projectId, pool, taskerId);
        return pool.CountOpenFor(taskerId, max, pools?.Invoke(pool));
    }

    public bool TryGetLoaded(int projectId, out TaskPool pool)
    {
        pool = null!;
        if (!_pools.TryGetValue(projectId, out var lazy) || !lazy.IsValueCreated || !lazy.Value.IsCompletedSuccessfully)
            return false;
        pool = lazy.Value.Result;
        return true;
    }

    /// Items were added or the overlap changed: the next request loads the pool afresh.
    public void Forget(int projectId)
    {
        if (_pools.TryRemove(projectId, out var gone) && gone.IsValueCreated && gone.Value.IsCompletedSuccessfully)
            Retire(projectId, gone.Value.Result);
    }

    /// The item must not be handed out again (reported content, Wellbeing/Quarantine.cs): dropped
    /// from the project's pool and from any pool being replaced, which may still serve a request.
    public void Withdraw(int projectId, long itemId)
    {
        if (TryGetLoaded(projectId, out var pool)) pool.Withdraw(itemId);
        foreach (var (retired, project) in _retired)
            if (project == projectId) retired.Withdraw(itemId);
    }

    async Task<TaskPool> LoadAsync(int projectId, int overlap)
    {
        var loadedAt = clock.GetUtcNow();
        await using var connection = await database.OpenAsync();
        var ids = new List<long>();
        var free = new List<int>();
        var poolOf = new List<ushort>();
        var poolKeys = new Dictionary<string, ushort>(StringComparer.Ordinal) { [""] = 0 };
        var byCategories = new Dictionary<string, ushort>(StringComparer.Ordinal) { [""] = 0 };
        await using (var command = connection.Command(
            "SELECT id, accepted + leased, sensitivity FROM items WHERE project_id = @p AND accepted + leased < @k " +
            "AND import_id IN (SELECT id FROM imports WHERE status = 'succeeded') " +
            $"AND id NOT IN ({Wellbeing.Quarantine.WithheldItems}) ORDER BY id")
            .With("p", projectId).With("k", overlap))
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync())
            {
                ids.Add(reader.GetInt64(0));
                free.Add(overlap - reader.GetInt32(1));
                var categories = reader.GetString(2);
                if (!byCategories.TryGetValue(categories, out var pool))
                {
                    var key = poolKeyOf(categories);
                    if (!poolKeys.TryGetValue(key, out pool))
                    {
                        if (poolKeys.Count > ushort.MaxValue) throw new InvalidOperationException("Too many pools of items in one project.");
                        poolKeys[key] = pool = (ushort)poolKeys.Count;
                    }
                    byCategories[categories] = pool;
                }
                poolOf.Add(pool);
            }

        var itemIds = ids.ToArray();
        var hadBy = new int[]?[itemIds.Length];
        await using (var command = connection.Command(
            "SELECT a.item_id, a.tasker_id FROM assignments a JOIN items i ON i.id = a.item_id " +
            "WHERE a.project_id = @p AND i.accepted + i.leased < @k ORDER BY a.item_id")
            .With("p", projectId).With("k", overlap))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            var taskers = new List<int>();
            long current = -1;
            while (await reader.ReadAsync())
            {
                var item = reader.GetInt64(0);
                if (item != current) Flush();
                current = item;
                taskers.Add(reader.GetInt32(1));
            }
            Flush();

            void Flush()
            {
                if (taskers.Count == 0) return;
                var i = Array.BinarySearch(itemIds, current);
                if (i >= 0) hadBy[i] = taskers.ToArray();
                taskers.Clear();
            }
        }
        // One pool (no item has a category): no pool per item to keep or check.
        return new TaskPool(itemIds, free.ToArray(), hadBy, loadedAt, spreadAcrossNodes: !database.IsSqlite,
            poolOf: poolKeys.Count == 1 ? null : poolOf.ToArray(),
            poolKeys: poolKeys.OrderBy(k => k.Value).Select(k => k.Key).ToArray());
    }
}

/// The pool an item is in, from its stored sensitivity categories: the rules' function, opaque here.
public delegate string ItemPoolKey(string sensitivity);
