using System.Data.Common;
using Fairlabel.Data;

namespace Fairlabel.Infrastructure;

/// Decides which node runs the background duties (lease expiry, failing imports whose node has
/// gone; payouts later) when several nodes share one PostgreSQL database: the node holding a
/// session-level advisory lock. The lock lives as long as that node's connection, so when the
/// node dies PostgreSQL releases it and another node takes over at its next tick. On SQLite
/// there is one node, always the leader.
public sealed class DutyLeader(DatabaseSettings database, ILogger<DutyLeader> log) : IAsyncDisposable
{
    internal const long LockKey = 0x4661_6972_6c61_6231; // "Fairlab1"
    DbConnection? _held;

    readonly SemaphoreSlim _gate = new(1, 1);

    /// Called before each duty run: keeps, checks or tries to take the lock. Several duties ask
    /// (lease expiry, import watch), one at a time, so the node holds one lock connection.
    public async Task<bool> TryLeadAsync()
    {
        if (database.IsSqlite) return true;
        await _gate.WaitAsync();
        try { return await KeepOrTakeAsync(); }
        finally { _gate.Release(); }
    }

    async Task<bool> KeepOrTakeAsync()
    {
        if (_held is not null)
        {
            try
            {
                await _held.ScalarAsync<int>(null, "SELECT 1");
                return true;
            }
            catch (Exception e) when (e is DbException or InvalidOperationException or IOException)
            {
                log.DutyLockLost();
                await ReleaseAsync();
            }
        }
        DbConnection? connection = null;
        try
        {
            connection = await database.OpenAsync();
            if (await connection.ScalarAsync<bool>(null, "SELECT pg_try_advisory_lock(@k)", ("k", LockKey)))
            {
                _held = connection;
                log.LeadingDuties();
                return true;
            }
        }
        catch (Exception e) when (e is DbException or InvalidOperationException or IOException or TimeoutException)
        {
            log.DutyLockUnreachable(e);
        }
        if (connection is not null) await connection.DisposeAsync();
        return false;
    }

    async Task ReleaseAsync()
    {
        if (_held is null) return;
        try { await _held.DisposeAsync(); } catch (Exception e) when (e is DbException or IOException) { }
        _held = null;
    }

    public async ValueTask DisposeAsync() => await ReleaseAsync();
}
