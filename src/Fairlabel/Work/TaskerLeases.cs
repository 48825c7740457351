using System.Collections.Concurrent;
using System.Text.Json;
using Fairlabel.Data;

namespace Fairlabel.Work;

/// Each tasker's live leases in a project as this node knows them, for the limit on live tasks
/// (decision 0007: the lease is handed out before its row is written, so the limit is checked
/// here rather than in the lease's statement).
/// - Read from the database the first time the tasker asks this node, then kept: leases this node
///   hands out are added, and those answered or skipped here removed.
/// - A tasker who also works through another node may have answered there a lease this node still
///   counts, so a count at the limit is read again before the tasker is refused. The other way, a
///   lease handed out by the other node moments ago may be missing here, and the tasker may then
///   hold one task over the limit: the limit is a courtesy to other taskers, not an invariant of
///   the data, and the database's invariants do not depend on it.
public sealed class TaskerLeases(DatabaseSettings database, TimeProvider clock)
{
    readonly ConcurrentDictionary<(int Project, int Tasker), List<(long Id, long ExpiresAt)>> _known = new();

    /// Counts the tasker's live leases and, below <paramref name="max"/>, counts <paramref name="leaseId"/>
    /// among them; otherwise returns how many the tasker holds.
    public async Task<int?> TryAddAsync(int projectId, int taskerId, long leaseId, long expiresAt, int max)
    {
        var key = (projectId, taskerId);
        var reread = !_known.ContainsKey(key);
        while (true)
        {
            if (reread) _known[key] = await ReadAsync(projectId, taskerId, _known.GetValueOrDefault(key));
            var live = _known[key];
            var now = Sql.Millis(clock.GetUtcNow());
            lock (live)
            {
                live.RemoveAll(lease => lease.ExpiresAt <= now);
                if (live.Count < max)
                {
                    live.Add((leaseId, expiresAt));
                    return null;
                }
                if (reread) return live.Count;
            }
            reread = true;
        }
    }

    /// The ids of the tasker's live leases this node knows of.
    public long[] Known(int projectId, int taskerId)
    {
        if (!_known.TryGetValue((projectId, taskerId), out var live)) return [];
        lock (live) return live.Select(lease => lease.Id).ToArray();
    }

    /// The lease was answered, skipped or lost.
    public void Remove(int projectId, int taskerId, long leaseId)
    {
        if (!_known.TryGetValue((projectId, taskerId), out var live)) return;
        lock (live) live.RemoveAll(lease => lease.Id == leaseId);
    }

    /// The tasker's live leases in the database (an expired one not yet swept does not count: the
    /// expiry bound reads the tasker's recent assignments alone from the index), and those of <paramref name="known"/> not in it
    /// yet: handed out here, their writes still to come (a lease that could not be written is
    /// removed). A known lease the database has ended (answered through another node) is dropped.
    async Task<List<(long, long)>> ReadAsync(int projectId, int taskerId, List<(long Id, long ExpiresAt)>? known)
    {
        long[] knownIds;
        if (known is null) knownIds = [];
        else lock (known) knownIds = known.Select(lease => lease.Id).ToArray();
        var inDatabase = new HashSet<long>();
        var live = new List<(long, long)>();
        await using var connection = await database.OpenAsync();
        await using var command = connection.Command(WorkSql.LeasesOfTasker.For(database.IsSqlite))
            .With("t", taskerId).With("p", projectId).With("now", Sql.Millis(clock.GetUtcNow()))
            .With("known", database.IsSqlite ? JsonSerializer.Serialize(knownIds) : knownIds);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            inDatabase.Add(reader.GetInt64(0));
            if (reader.GetString(2) == AssignmentStatus.Leased) live.Add((reader.GetInt64(0), reader.GetInt64(1)));
        }
        if (known is not null)
            lock (known) live.AddRange(known.Where(lease => !inDatabase.Contains(lease.Id)));
        return live;
    }
}
