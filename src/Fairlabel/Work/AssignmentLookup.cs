using System.Collections.Concurrent;
using System.Data.Common;
using System.Threading.Channels;
using Fairlabel.Data;

namespace Fairlabel.Work;

/// An assignment as a submission or a skip first sees it, before its write.
public sealed record FoundAssignment(long Id, int ProjectId, long ItemId, int TaskerId, string Status, long? AnswerId);

/// Finds the assignment a submission or skip names.
/// - A lease this node granted is remembered until it is answered, skipped or long expired: its
///   project, item and tasker never change, so most submissions need no read at all. Its status
///   may have moved on (another node, the expiry sweep); the write checks it, never this copy.
/// - Otherwise, on SQLite each lookup reads at once: reads are in-process and run beside the
///   writer. On PostgreSQL the lookups that arrive while one query runs wait and share the next
///   (`WHERE id = ANY(@ids)`): one round trip for many submissions, which is what the database
///   and the node spend their time on under load.
public sealed class AssignmentLookup : IAsyncDisposable
{
    const int MaxShared = 512;

    readonly DatabaseSettings _database;
    readonly Channel<Lookup> _queue = Channel.CreateUnbounded<Lookup>();
    readonly Task[] _loops = [];
    readonly ConcurrentDictionary<long, Granted> _granted = new();
    int _forgetExpiredAbove = 10_000;

    /// <param name="Written">The lease's write, which may still be running (decision 0007): true
    /// once the row is in, false if it could not be written.</param>
    sealed record Granted(FoundAssignment Assignment, DateTimeOffset ExpiresAt, Task<bool>? Written);

    sealed record Lookup(long Id)
    {
        public readonly TaskCompletionSource<FoundAssignment?> Found = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public AssignmentLookup(DatabaseSettings database)
    {
        _database = database;
        // Two loops, so one collects lookups while the other's query runs.
        if (!database.IsSqlite) _loops = [Task.Run(RunAsync), Task.Run(RunAsync)];
    }

    /// A lease this node has just handed out, being <paramref name="written"/>.
    public void Remember(LeasedTask lease, int taskerId, Task<bool>? written = null)
    {
        _granted[lease.AssignmentId] = new Granted(
            new FoundAssignment(lease.AssignmentId, lease.ProjectId, lease.ItemId, taskerId, AssignmentStatus.Leased, null),
            lease.ExpiresAt, written);
        if (_granted.Count > _forgetExpiredAbove) ForgetExpired(lease.LeasedAt);
    }

    /// Waits until the leases among <paramref name="assignmentIds"/> that this node handed out are written (or lost).
    public async Task WrittenAsync(IEnumerable<long> assignmentIds)
    {
        foreach (var id in assignmentIds)
            if (_granted.TryGetValue(id, out var granted) && granted.Written is { } written)
                await written;
    }

    /// The lease was answered or skipped: the next lookup must read what the database holds.
    public void Forget(long assignmentId) => _granted.TryRemove(assignmentId, out _);

    // Leases that expired unanswered are dropped once the memory has doubled since the last sweep,
    // a minute after their expiry (a late answer still finds them in the database).
    void ForgetExpired(DateTimeOffset now)
    {
        lock (_granted)
        {
            if (_granted.Count <= _forgetExpiredAbove) return;
            foreach (var (id, granted) in _granted)
                if (granted.ExpiresAt < now.AddMinutes(-1)) _granted.TryRemove(id, out _);
            _forgetExpiredAbove = Math.Max(10_000, _granted.Count * 2);
        }
    }

    /// The assignment, once its lease is written; a lease this node handed out and could not
    /// write comes back with the status <see cref="AssignmentStatus.Lost"/>.
    public async Task<FoundAssignment?> FindAsync(long assignmentId)
    {
        if (_granted.TryGetValue(assignmentId, out var granted))
        {
            if (granted.Written is null || await granted.Written) return granted.Assignment;
            return granted.Assignment with { Status = AssignmentStatus.Lost };
        }
        if (_database.IsSqlite)
        {
            await using var connection = await _database.OpenAsync();
            await using var command = connection.Command(WorkSql.FindAssignmentOnSqlite).With("id", assignmentId);
            await using var reader = await command.ExecuteReaderAsync();
            return await reader.ReadAsync() ? Read(reader) : null;
        }
        // Another node hands out a lease a few milliseconds before its row is written: a client
        // quicker than that, or a database slow for a moment, must not be told "not found". Only
        // an id that is not (yet) in the database pays these waits, 0.8 s in all.
        for (var wait = 25; ; wait *= 2)
        {
            var lookup = new Lookup(assignmentId);
            if (!_queue.Writer.TryWrite(lookup)) throw new ObjectDisposedException(nameof(AssignmentLookup));
            if (await lookup.Found.Task is { } found || wait > 400) return await lookup.Found.Task;
            await Task.Delay(wait);
        }
    }

    static FoundAssignment Read(DbDataReader r) =>
        new(r.GetInt64(0), r.GetInt32(1), r.GetInt64(2), r.GetInt32(3), r.GetString(4), r.IsDBNull(5) ? null : r.GetInt64(5));

    async Task RunAsync()
    {
        var shared = new List<Lookup>(MaxShared);
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (shared.Count < MaxShared && _queue.Reader.TryRead(out var next)) shared.Add(next);
            if (shared.Count == 0) continue;
            try
            {
                var found = new Dictionary<long, FoundAssignment>(shared.Count);
                await using (var connection = await _database.OpenAsync())
                await using (var command = connection.Command(WorkSql.FindAssignmentsOnPostgres)
                                 .With("ids", shared.Select(l => l.Id).Distinct().ToArray()))
                await using (var reader = await command.ExecuteReaderAsync())
                    while (await reader.ReadAsync())
                    {
                        var assignment = Read(reader);
                        found[assignment.Id] = assignment;
                    }
                foreach (var lookup in shared) lookup.Found.TrySetResult(found.GetValueOrDefault(lookup.Id));
            }
            catch (Exception e)
            {
                var failure = e is DbException or IOException or TimeoutException ? new DatabaseUnavailableException(e) : e;
                foreach (var lookup in shared) lookup.Found.TrySetException(failure);
            }
            shared.Clear();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await Task.WhenAll(_loops);
    }
}
