using System.Data.Common;
using System.Diagnostics;
using System.Threading.Channels;
using Fairlabel.Data;
using Microsoft.Extensions.Options;

namespace Fairlabel.Work;

/// What the database made of a lease a node handed out. NotTried: the write failed before it
/// decided anything.
public enum LeaseKind { Leased, SlotGone, AlreadyHad, NotTried }

/// Writes the leases a node has handed out (decision 0007), each under the id its tasker was
/// given, or changes nothing for it. No request waits for these writes.
/// - SQLite: each lease in the writer's next group, statement by statement (each a call into the
///   library, not a round trip).
/// - PostgreSQL: many leases as one statement over arrays, at most one statement per
///   `Work:LeaseBatchWindow` unless a full batch is waiting. PostgreSQL's cost of a lease is mostly
///   per statement, not per row: on the benchmark's database, 64 leases as one statement took half
///   the machine's CPU of 64 one-lease statements in one round trip, while a batch of 8 saved
///   nothing (docs/benchmarks.md, seventeenth session). Under load a node hands out about a
///   thousand leases a second, so a 50 ms window makes batches of about 60; when leases come
///   slowly, each is written at once.
public sealed class LeaseWrites : IAsyncDisposable
{
    const int FullBatch = 1_000;

    readonly DatabaseSettings _database;
    readonly GroupCommitWriter _writer;
    readonly ILogger<LeaseWrites> _log;
    readonly TimeSpan _window;
    readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(); // counts what waits, as a single-reader channel cannot
    readonly Task _loop = Task.CompletedTask;
    readonly CancellationTokenSource _stopping = new();

    public LeaseWrites(DatabaseSettings database, GroupCommitWriter writer, IOptions<WorkOptions> options, ILogger<LeaseWrites> log)
    {
        _database = database;
        _writer = writer;
        _log = log;
        _window = options.Value.LeaseBatchWindow;
        if (!database.IsSqlite) _loop = Task.Run(RunAsync);
    }

    sealed record Pending(ProjectRules Rules, LeasedTask Task, int TaskerId)
    {
        public readonly TaskCompletionSource<LeaseKind> Written = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// Writes the lease: its slot taken and its row in, or nothing changed and the reason why.
    /// Throws <see cref="DatabaseUnavailableException"/> when the database could not be reached.
    public Task<LeaseKind> WriteAsync(ProjectRules rules, LeasedTask task, int taskerId)
    {
        if (_database.IsSqlite) return _writer.Run(task.ItemId, w => WriteOnSqliteAsync(w, rules, task, taskerId));
        var pending = new Pending(rules, task, taskerId);
        if (!_queue.Writer.TryWrite(pending)) throw new ObjectDisposedException(nameof(LeaseWrites));
        return pending.Written.Task;
    }

    const string LeaseColumns = "project_id, item_id, tasker_id, status, leased_at, expires_at, pay_rate, currency";

    static async Task<LeaseKind> WriteOnSqliteAsync(WriteContext w, ProjectRules rules, LeasedTask task, int taskerId)
    {
        (string, object?)[] lease =
        [
            ("i", task.ItemId), ("k", rules.Overlap), ("a", task.AssignmentId), ("p", rules.Id), ("t", taskerId),
            ("now", Sql.Millis(task.LeasedAt)), ("exp", Sql.Millis(task.ExpiresAt)), ("pay", rules.PayPerTask),
            ("cur", rules.Currency),
        ];
        if (await w.ExecuteAsync("UPDATE items SET leased = leased + 1 WHERE id = @i AND accepted + leased < @k", lease) == 0)
            return LeaseKind.SlotGone;
        if (await w.ExecuteAsync(
                $"INSERT INTO assignments (id, {LeaseColumns}) VALUES (@a, @p, @i, @t, 'leased', @now, @exp, @pay, @cur) " +
                "ON CONFLICT (item_id, tasker_id) DO NOTHING", lease) == 1)
            return LeaseKind.Leased;
        await w.ExecuteAsync("UPDATE items SET leased = leased - 1 WHERE id = @i", lease);
        return LeaseKind.AlreadyHad;
    }

    /// PostgreSQL: a batch of leases as one statement, each taking its item's slot and writing its
    /// row, or changing nothing:
    /// - `slot` locks every item of the batch, in item order (as the answers' groups lock theirs, so
    ///   neither waits for the other in a cycle), and waits for a submission of the same item to
    ///   commit: the lease was promised, so it must not skip the row;
    /// - `fresh` leaves out a tasker who already had the item, and numbers the rest of an item's
    ///   leases, so that the n-th lease of an item fits only if n slots are free (a node hands out
    ///   the same item to several taskers within one window);
    /// - `lease` writes the rows that fit; `taken` counts them on their items.
    /// Each lease's outcome comes back with its id. A lease whose row a concurrent transaction wrote
    /// first (ON CONFLICT) keeps its number, so a later lease of the same item in the batch may be
    /// refused a slot that was in fact free: refused, never doubled.
    const string LeasesOnPostgres =
        "WITH input AS (SELECT * FROM unnest(@a::bigint[], @i::bigint[], @t::integer[], @p::integer[], @k::integer[], " +
        "                 @at::bigint[], @exp::bigint[], @pay::numeric[], @cur::text[]) AS x(a, i, t, p, k, at, exp, pay, cur)), " +
        "slot AS (SELECT id, accepted + leased AS used FROM items WHERE id = ANY(@i) ORDER BY id FOR UPDATE), " +
        "fresh AS (SELECT input.*, slot.used + row_number() OVER (PARTITION BY input.i ORDER BY input.a) AS used_with " +
        "          FROM input JOIN slot ON slot.id = input.i " +
        "          WHERE NOT EXISTS (SELECT 1 FROM assignments had WHERE had.item_id = input.i AND had.tasker_id = input.t)), " +
        $"lease AS (INSERT INTO assignments (id, {LeaseColumns}) " +
        "          SELECT a, p, i, t, 'leased', at, exp, pay, cur FROM fresh WHERE used_with <= k " +
        "          ON CONFLICT (item_id, tasker_id) DO NOTHING RETURNING id, item_id), " +
        "taken AS (UPDATE items SET leased = leased + n.leases " +
        "          FROM (SELECT item_id, count(*) AS leases FROM lease GROUP BY item_id) n WHERE items.id = n.item_id) " +
        "SELECT input.a, lease.id IS NOT NULL, " +
        "       fresh.used_with <= fresh.k OR fresh.a IS NULL AND EXISTS (SELECT 1 FROM slot WHERE slot.id = input.i) " +
        "FROM input LEFT JOIN lease ON lease.id = input.a LEFT JOIN fresh ON fresh.a = input.a";

    async Task RunAsync()
    {
        var batch = new List<Pending>();
        WriteContext? context = null;
        var lastStarted = 0L;
        while (await _queue.Reader.WaitToReadAsync())
        {
            // Leases coming slowly are written at once; under load, one statement per window.
            var since = Stopwatch.GetElapsedTime(lastStarted);
            if (since < _window && _queue.Reader.Count < FullBatch && !_stopping.IsCancellationRequested)
                // On shutdown, what is waiting is written at once.
                try { await Task.Delay(_window - since, _stopping.Token); } catch (OperationCanceledException) { }
            lastStarted = Stopwatch.GetTimestamp();
            while (batch.Count < FullBatch && _queue.Reader.TryRead(out var next)) batch.Add(next);
            try
            {
                context ??= await WriteContext.OpenAsync(_database);
                if (!await TryWriteAsync(context, batch))
                    foreach (var lease in batch) await TryWriteAsync(context, [lease]);
            }
            catch (Exception e)
            {
                // The loop must outlive any failure, or every later lease would wait for ever.
                var lostConnection = e is DbException or InvalidOperationException or IOException or TimeoutException;
                if (lostConnection) _log.LogWarning(e, "The lease writer's database connection failed; retrying with a new one");
                else _log.LogError(e, "Writing {Count} leases failed", batch.Count);
                foreach (var lease in batch) lease.Written.TrySetException(lostConnection ? new DatabaseUnavailableException(e) : e);
                if (context is not null) await context.DisposeAsync();
                context = null;
            }
            batch.Clear();
        }
        if (context is not null) await context.DisposeAsync();
    }

    /// False when the statement failed for one of several leases' values: each is then tried alone,
    /// so one bad lease cannot take the others down with it.
    static async Task<bool> TryWriteAsync(WriteContext context, List<Pending> batch)
    {
        List<(long Id, bool Leased, bool AlreadyHad)> rows = [];
        try
        {
            await context.RunAsync([async () => rows = await context.LastRowsAsync(LeasesOnPostgres,
                r => (r.GetInt64(0), r.GetBoolean(1), !r.IsDBNull(2) && r.GetBoolean(2)), Arrays(batch))]);
        }
        catch (DbException e) when (!e.IsTransient && context.Connection.State == System.Data.ConnectionState.Open)
        {
            if (batch.Count > 1) return false;
            batch[0].Written.TrySetException(e);
            return true;
        }
        var outcomes = rows.ToDictionary(r => r.Id);
        foreach (var lease in batch)
            lease.Written.TrySetResult(outcomes.TryGetValue(lease.Task.AssignmentId, out var row)
                ? row.Leased ? LeaseKind.Leased : row.AlreadyHad ? LeaseKind.AlreadyHad : LeaseKind.SlotGone
                : LeaseKind.NotTried);
        return true;
    }

    static (string, object?)[] Arrays(List<Pending> batch) =>
    [
        ("a", batch.Select(l => l.Task.AssignmentId).ToArray()),
        ("i", batch.Select(l => l.Task.ItemId).ToArray()),
        ("t", batch.Select(l => l.TaskerId).ToArray()),
        ("p", batch.Select(l => l.Rules.Id).ToArray()),
        ("k", batch.Select(l => l.Rules.Overlap).ToArray()),
        ("at", batch.Select(l => Sql.Millis(l.Task.LeasedAt)).ToArray()),
        ("exp", batch.Select(l => Sql.Millis(l.Task.ExpiresAt)).ToArray()),
        ("pay", batch.Select(l => l.Rules.PayPerTask).ToArray()),
        ("cur", batch.Select(l => l.Rules.Currency).ToArray()),
    ];

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _stopping.CancelAsync();
        await _loop;
        _stopping.Dispose();
    }
}
