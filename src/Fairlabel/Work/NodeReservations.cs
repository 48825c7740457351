using System.Collections.Concurrent;
using System.Data.Common;
using Fairlabel.Data;

namespace Fairlabel.Work;

/// What a node holds so that it can hand out a task without waiting for the database
/// (docs/decisions/0007-leases-from-node-reservations.md). On PostgreSQL:
/// - blocks of items that no other node leases from while this node holds them, as session-level
///   advisory locks (project id, block number). PostgreSQL ties them to this node's session: when
///   the node dies, or its connection breaks, every block it held is free for the other nodes at
///   once, with no expiry to wait for and no sweep;
/// - assignment ids, taken from the table's sequence ahead of use, so a lease has its id before
///   its row is written.
/// - a "wants blocks" mark per project, held (shared) while this node's taskers are told to ask
///   again because other nodes hold the project's open blocks, so that those nodes give a block
///   back after their turn rather than keep it (and, on a single node, never give one back for it).
/// All three go through one connection, one call at a time.
/// On SQLite the one node holds every block without asking (nobody else leases), and takes its
/// ids by moving the table's AUTOINCREMENT mark past them, in a write that reaches the disk before
/// any of them is used: ids handed out before a crash are never handed out again after it.
public sealed class NodeReservations(DatabaseSettings database, GroupCommitWriter writer, ILogger<NodeReservations> log)
    : IAsyncDisposable
{
    /// Item ids per block: small enough that a block's items and their data are one quick read,
    /// large enough that a node claims a block every second or so at full load.
    public const int BlockSize = 256;
    const int IdsTakenAtOnce = 512;
    /// More on SQLite: each batch is a write of its own, in the queue every answer waits in.
    const int IdsTakenAtOnceOnSqlite = 4096;

    public static long BlockOf(long itemId) => itemId / BlockSize;

    readonly SemaphoreSlim _gate = new(1, 1);
    readonly ConcurrentQueue<long> _ids = new();
    readonly ConcurrentDictionary<int, bool> _wanting = new();   // projects whose "wants blocks" mark this session holds
    DbConnection? _session;
    int _generation;
    int _refilling;

    /// Bumped whenever the session is lost: blocks held under an older generation are no longer
    /// this node's, and ids taken under it may be handed out again after a database crash.
    public int Generation => Volatile.Read(ref _generation);

    /// Tries to hold a block; false when another node holds it (or the session it was asked
    /// under is gone). Throws <see cref="DatabaseUnavailableException"/> when the database cannot be reached.
    public Task<bool> TryHoldAsync(int projectId, long block, int generation) => database.IsSqlite ? Task.FromResult(true) :
        OnSessionAsync(generation, session => session.ScalarAsync<bool>(null,
            "SELECT pg_try_advisory_lock(@p, @b)", ("p", projectId), ("b", (int)block)), whenStale: false);

    /// Gives a block back (a no-op when the session it was held under is gone, and the block with it).
    public Task LetGoAsync(int projectId, long block, int generation) => database.IsSqlite ? Task.CompletedTask :
        OnSessionAsync(generation, session => session.ScalarAsync<bool>(null,
            "SELECT pg_advisory_unlock(@p, @b)", ("p", projectId), ("b", (int)block)), whenStale: false);

    // The mark's key: block numbers are never negative, so it cannot be a block's.
    const int WantsBlocks = -1;

    /// Marks that this node's taskers are waiting for blocks of the project that other nodes hold.
    public Task WantAsync(int projectId) => database.IsSqlite || _wanting.ContainsKey(projectId) ? Task.CompletedTask :
        OnSessionAsync(Generation, async session =>
        {
            if (!_wanting.ContainsKey(projectId) && await session.ScalarAsync<bool>(null,
                    "SELECT pg_try_advisory_lock_shared(@p, @w)", ("p", projectId), ("w", WantsBlocks)))
                _wanting[projectId] = true;
            return true;
        }, whenStale: true);

    /// Takes the mark back: the node holds a block of the project again, or its taskers stopped asking.
    public Task StopWantingAsync(int projectId) => database.IsSqlite ? Task.CompletedTask :
        OnSessionAsync(Generation, async session =>
        {
            if (_wanting.TryRemove(projectId, out _))
                await session.ScalarAsync<bool>(null, "SELECT pg_advisory_unlock_shared(@p, @w)", ("p", projectId), ("w", WantsBlocks));
            return true;
        }, whenStale: true);

    /// Whether another node's taskers are waiting for blocks of the project. A lock never conflicts
    /// with the session's own, so this node's mark does not count; the probe is let go at once.
    public Task<bool> OthersWantAsync(int projectId) => database.IsSqlite ? Task.FromResult(false) :
        OnSessionAsync(Generation, session => session.ScalarAsync<bool>(null,
            "SELECT CASE WHEN pg_try_advisory_lock(@p, @w) THEN NOT pg_advisory_unlock(@p, @w) ELSE true END",
            ("p", projectId), ("w", WantsBlocks)), whenStale: false);

    /// Checks the session is alive, so that blocks lost with it are known within moments (the
    /// keeper calls this four times a second); when it is not, the next call opens a new one under
    /// a new generation.
    public Task CheckAsync() => database.IsSqlite ? Task.CompletedTask :
        OnSessionAsync(Generation, session => session.ScalarAsync<int>(null, "SELECT 1"), whenStale: 0);

    /// An assignment id that no other lease has or will have.
    public async ValueTask<long> NextIdAsync()
    {
        while (true)
        {
            if (_ids.TryDequeue(out var id))
            {
                if (_ids.Count < (database.IsSqlite ? IdsTakenAtOnceOnSqlite : IdsTakenAtOnce) / 2) _ = RefillAsync();
                return id;
            }
            await RefillAsync();
        }
    }

    /// An id taken but not used (the tasker was given no task): the next lease uses it.
    public void Return(long id) => _ids.Enqueue(id);

    async Task RefillAsync()
    {
        if (Interlocked.Exchange(ref _refilling, 1) == 1)
        {
            // Another request is refilling: wait for it rather than take a second batch.
            while (Volatile.Read(ref _refilling) == 1 && _ids.IsEmpty) await Task.Delay(1);
            return;
        }
        try
        {
            var ids = database.IsSqlite ? await writer.Run(0, TakeIdsOnSqliteAsync) : await OnSessionAsync(Generation, async session =>
            {
                var taken = new List<long>(IdsTakenAtOnce);
                await using var command = session.Command(WorkSql.TakeIdsOnPostgres).With("n", IdsTakenAtOnce);
                await using var reader = await command.ExecuteReaderAsync();
                while (await reader.ReadAsync()) taken.Add(reader.GetInt64(0));
                return taken;
            }, whenStale: null);
            foreach (var id in ids!) _ids.Enqueue(id);
        }
        finally
        {
            Volatile.Write(ref _refilling, 0);
        }
    }

    /// Moves the AUTOINCREMENT mark of assignments past a batch of ids and returns the batch.
    /// SQLite gives a row inserted without an id one above the larger of the mark and the highest
    /// id, so no other writer takes these either. The mark's row exists once a row has been inserted.
    static async Task<List<long>> TakeIdsOnSqliteAsync(WriteContext w)
    {
        await w.ExecuteAsync(WorkSql.IdMarkOnSqlite);
        var through = await w.ScalarAsync<long>(WorkSql.TakeIdsOnSqlite, ("n", IdsTakenAtOnceOnSqlite));
        var ids = new List<long>(IdsTakenAtOnceOnSqlite);
        for (var id = through - IdsTakenAtOnceOnSqlite + 1; id <= through; id++) ids.Add(id);
        return ids;
    }

    async Task<T> OnSessionAsync<T>(int generation, Func<DbConnection, Task<T>> call, T whenStale)
    {
        await _gate.WaitAsync();
        try
        {
            if (generation != _generation) return whenStale;
            _session ??= await database.OpenAsync();
            return await call(_session);
        }
        catch (Exception e) when (e is DbException or InvalidOperationException or IOException or TimeoutException)
        {
            if (_session is not null)
            {
                log.BlocksConnectionLost();
                try { await _session.DisposeAsync(); } catch (Exception ignored) when (ignored is DbException or IOException) { }
                _session = null;
                _wanting.Clear();
                // Ids taken before a database crash may come out of the sequence again.
                _ids.Clear();
                Interlocked.Increment(ref _generation);
            }
            throw new DatabaseUnavailableException(e);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_session is not null) await _session.DisposeAsync();
    }
}
