using System.Data;
using System.Data.Common;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Fairlabel.Data;
using Fairlabel.Infrastructure;
using Microsoft.Extensions.Options;

namespace Fairlabel.Work;

/// Runs the work loop's writes in groups: each group is one transaction, and a request is
/// acknowledged only after the commit that holds its write.
/// - SQLite: one connection takes every queued write (up to 256) and runs them one after another;
///   SQLite allows one writer anyway, and one fsync serves the whole group.
/// - PostgreSQL: a few connections per node each take a group (up to 128) and run its writes
///   side by side: every write's next statement goes to the server in one batch, so a group of a
///   hundred leases and submissions costs about as many round trips as one of them, and one commit.
///   Round trips, not the statements, are what PostgreSQL and the node spend their time on.
///   Leases go in the same groups (no request waits for a lease's write since decision 0007, and
///   one round trip and one commit for both cost PostgreSQL less than two), unless
///   `Work:PostgresLeaseWriters` gives them connections of their own that do not wait for the disk.
public sealed class GroupCommitWriter : IAsyncDisposable
{
    readonly DatabaseSettings _database;
    readonly ILogger<GroupCommitWriter> _log;
    readonly Channel<IPendingWrite> _flushed = Channel.CreateUnbounded<IPendingWrite>();
    readonly Channel<IPendingWrite> _leases;
    readonly int _maxGroup;
    readonly Task[] _loops;
    int _connectionFailures;

    public GroupCommitWriter(DatabaseSettings database, IOptions<WorkOptions> options, ILogger<GroupCommitWriter> log)
    {
        _database = database;
        _log = log;
        _maxGroup = database.IsSqlite ? 256 : Math.Max(1, options.Value.PostgresGroup);
        if (database.IsSqlite)
        {
            _leases = _flushed;
            _loops = [Task.Run(() => RunAsync(_flushed, flushed: true))];
            return;
        }
        _leases = options.Value.PostgresLeaseWriters > 0 ? Channel.CreateUnbounded<IPendingWrite>() : _flushed;
        _loops = Enumerable.Repeat(true, Math.Max(1, options.Value.PostgresWriters))
            .Concat(Enumerable.Repeat(false, Math.Max(0, options.Value.PostgresLeaseWriters)))
            .Select(flushed => Task.Run(() => RunAsync(flushed ? _flushed : _leases, flushed || options.Value.FlushLeases)))
            .ToArray();
    }

    /// Runs <paramref name="write"/> inside a transaction and returns its result once committed
    /// and on disk. The write must not touch memory shared with other requests: the caller applies
    /// such effects after the returned task completes, when the data is durable. <paramref name="itemId"/>
    /// is the item whose row the write changes: a PostgreSQL group runs its writes in item order, so
    /// two groups take item locks in the same order and do not wait for each other in a cycle (a
    /// deadlock costs PostgreSQL's one-second detection and a rerun of the group).
    public Task<T> Run<T>(long itemId, Func<WriteContext, Task<T>> write) => Enqueue(_flushed, itemId, write);

    /// As <see cref="Run"/>, for a lease. With `Work:PostgresLeaseWriters` set, on PostgreSQL it
    /// returns once the commit is visible to every node, without waiting for the flush to disk
    /// (unless `Work:FlushLeases`). Only a database crash within moments of the lease can then lose
    /// it: its slot is free again and the tasker's answer is refused with a reason, as for a lease
    /// that expired. No acknowledged answer is ever lost: answers wait for the flush, and each
    /// flush also writes every lease committed before it (decision 0003).
    public Task<T> RunLease<T>(long itemId, Func<WriteContext, Task<T>> write) => Enqueue(_leases, itemId, write);

    static Task<T> Enqueue<T>(Channel<IPendingWrite> queue, long itemId, Func<WriteContext, Task<T>> write)
    {
        var pending = new PendingWrite<T>(itemId, write);
        if (!queue.Writer.TryWrite(pending)) throw new ObjectDisposedException(nameof(GroupCommitWriter));
        return pending.Completion.Task;
    }

    async Task RunAsync(Channel<IPendingWrite> queue, bool flushed)
    {
        var group = new List<IPendingWrite>(_maxGroup);
        WriteContext? context = null;
        var openedAfterFailures = 0;
        while (await queue.Reader.WaitToReadAsync())
        {
            while (group.Count < _maxGroup && queue.Reader.TryRead(out var next)) group.Add(next);
            if (group.Count == 0) continue;
            try
            {
                // Another writer's connection failed since this one was opened: the database was
                // probably lost and may have come back, so this connection is likely dead too.
                // Open a new one rather than fail the first group after the database returns.
                if (context is not null && openedAfterFailures != Volatile.Read(ref _connectionFailures))
                {
                    await context.DisposeAsync();
                    context = null;
                }
                if (context is null)
                {
                    openedAfterFailures = Volatile.Read(ref _connectionFailures);
                    context = await WriteContext.OpenAsync(_database, flushed);
                }
                // Something in a group failed: run each write alone so one bad request cannot
                // take the others down with it.
                if (!await TryGroupAsync(context, group))
                    foreach (var write in group) await RunAloneAsync(context, write);
            }
            catch (Exception e) when (e is DbException or InvalidOperationException or IOException or TimeoutException)
            {
                _log.WriterConnectionFailed(e);
                Interlocked.Increment(ref _connectionFailures);
                foreach (var write in group) write.Fail(new DatabaseUnavailableException(e));
                if (context is not null) await context.DisposeAsync();
                context = null;
            }
            group.Clear();
        }
        if (context is not null) await context.DisposeAsync();
    }

    static async Task<bool> TryGroupAsync(WriteContext context, List<IPendingWrite> group)
    {
        try
        {
            await context.RunAsync(group.OrderBy(write => write.ItemId)
                .Select(write => (Func<Task>)(() => write.ExecuteAsync(context))).ToList());
        }
        catch (DbException) when (group.Count > 1)
        {
            return false;
        }
        catch (DbException e) when (context.Connection.State == ConnectionState.Open)
        {
            // The write's own statement failed (a broken connection is the caller's to handle).
            group[0].Fail(e.IsTransient ? new DatabaseUnavailableException(e) : e);
            return true;
        }
        catch (Exception e) when (e is not DbException)
        {
            if (group.Count > 1) return false;
            group[0].Fail(e);
            return true;
        }
        foreach (var write in group) write.Complete();
        return true;
    }

    static async Task RunAloneAsync(WriteContext context, IPendingWrite write)
    {
        try
        {
            await context.RunAsync([() => write.ExecuteAsync(context)]);
            write.Complete();
        }
        catch (Exception e) when (e is not (InvalidOperationException or IOException))
        {
            write.Fail(e is DbException { IsTransient: true } ? new DatabaseUnavailableException(e) : e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _flushed.Writer.TryComplete();
        _leases.Writer.TryComplete();
        await Task.WhenAll(_loops);
    }

    interface IPendingWrite
    {
        long ItemId { get; }
        Task ExecuteAsync(WriteContext context);
        void Complete();
        void Fail(Exception e);
    }

    sealed class PendingWrite<T>(long itemId, Func<WriteContext, Task<T>> write) : IPendingWrite
    {
        public long ItemId => itemId;
        T _result = default!;
        public readonly TaskCompletionSource<T> Completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        // The request that queued the write, if any, and when: the wait until its end is that
        // request's `db` figure (Server-Timing), added before the request resumes.
        readonly StrongBox<long>? _databaseWait = ServerTiming.DatabaseWaitOfThisRequest;
        readonly long _queuedAt = Stopwatch.GetTimestamp();
        public async Task ExecuteAsync(WriteContext context) => _result = await write(context);

        public void Complete()
        {
            ServerTiming.AddDatabaseWait(_databaseWait, _queuedAt);
            Completion.TrySetResult(_result);
        }

        public void Fail(Exception e)
        {
            ServerTiming.AddDatabaseWait(_databaseWait, _queuedAt);
            Completion.TrySetException(e);
        }
    }
}

/// A writer's connection, its current transaction, and its statements. On SQLite a statement
/// executes at once, prepared once per connection and reused with new parameter values
/// (re-preparing cost a quarter of the writer's time). On PostgreSQL statements wait and go to
/// the server together (<see cref="RunSideBySideAsync"/>); Npgsql prepares them automatically.
public sealed partial class WriteContext : IAsyncDisposable
{
    readonly Dictionary<string, DbCommand> _statements = new(StringComparer.Ordinal);
    readonly Dictionary<string, (string Text, string[] Names)> _positional = new(StringComparer.Ordinal);
    DbTransaction? _transaction;
    List<Waiting>? _waiting;
    // The batch, its statements and their parameters, kept from one round trip to the next and
    // given new text and values: built afresh each time, they made a node allocate an eighth more
    // under load (33 MB a second against 29), and every
    // allocation brings the node's next collection, which stops all its requests, nearer.
    DbBatch? _batch;
    readonly List<DbBatchCommand> _batchCommands = [];

    WriteContext(DbConnection connection, bool isSqlite)
    {
        Connection = connection;
        IsSqlite = isSqlite;
    }

    public DbConnection Connection { get; }
    public bool IsSqlite { get; }

    /// <param name="flushed">Whether a commit waits for the disk (always on SQLite).</param>
    public static async Task<WriteContext> OpenAsync(DatabaseSettings database, bool flushed = true)
    {
        var connection = flushed || database.IsSqlite
            ? await database.OpenAsync()
            : await database.PostgresUnflushed!.OpenConnectionAsync();
        if (database.IsSqlite)
        {
            // Checkpoints run beside the writer (SqliteCheckpoints), not inside its commits.
            await connection.ExecuteAsync(null, "PRAGMA wal_autocheckpoint=0");
        }
        return new WriteContext(connection, database.IsSqlite);
    }

    /// Runs writes in one transaction and commits it, or rolls it back and throws: on SQLite one
    /// after another, on PostgreSQL side by side.
    public async Task RunAsync(IReadOnlyList<Func<Task>> writes)
    {
        if (IsSqlite)
        {
            await using var transaction = _transaction = await Connection.BeginTransactionAsync();
            try
            {
                foreach (var write in writes) await write();
                await transaction.CommitAsync();
            }
            finally
            {
                _transaction = null;
            }
        }
        else await RunSideBySideAsync(writes);
    }

    /// Runs writes side by side in one transaction: each runs until it awaits a statement; then all
    /// the waiting statements go to the server in one batch (one round trip), each write resumes
    /// with its result and runs on to its next statement, and so on until all are done. Every
    /// write keeps its own order of statements and decides on its own results, so its logic is the
    /// same as run alone; only the round trips are shared. The conditional statements that hold the
    /// invariants (decision 0003) hold in any interleaving, as they do between concurrent
    /// transactions. A write must await nothing but this context's statements, and each statement
    /// before issuing the next: a lease that asked for its item's slot together with its first
    /// statement took item locks a round earlier than the submissions of its group, and groups then
    /// deadlocked (20 in one run).
    ///
    /// When every write begins with its last statement (a lease, the submission of a live lease),
    /// the group is that one batch, sent without BEGIN: PostgreSQL runs a batch's statements as one
    /// implicit transaction and commits it before it answers (with synchronous_commit on, after the
    /// commit is on disk), so the group costs one round trip instead of two. Any other group is
    /// wrapped in BEGIN … COMMIT.
    async Task RunSideBySideAsync(IReadOnlyList<Func<Task>> writes)
    {
        _waiting = [];
        var running = new Task[writes.Count];
        try
        {
            // Results are set with synchronous continuations, so by the time a batch's results are
            // handed out every write has queued its next statement or finished.
            for (var i = 0; i < writes.Count; i++) running[i] = writes[i]();
            var oneBatch = _waiting.All(statement => statement.Last) &&
                           _waiting.Count == running.Count(write => !write.IsCompleted);
            if (oneBatch)
            {
                if (_waiting.Count > 0) await SendAsync(TakeWaiting());
                if (_waiting.Count > 0) throw new InvalidOperationException("A write went on after its last statement.");
            }
            else
            {
                await using var transaction = _transaction = await Connection.BeginTransactionAsync();
                while (_waiting.Count > 0) await SendAsync(TakeWaiting());
                await transaction.CommitAsync();
            }
            if (running.Any(t => !t.IsCompleted))
                throw new InvalidOperationException("A write awaited something other than its statements.");
            await Task.WhenAll(running);
        }
        catch
        {
            // Let every write finish (with the failure) so none is left waiting or unobserved.
            foreach (var statement in _waiting) statement.Result.TrySetCanceled();
            try { await Task.WhenAll(running.Where(t => t is not null)); } catch { }
            throw;
        }
        finally
        {
            _waiting = null;
            _transaction = null;
        }
    }

    /// The statement with PostgreSQL's own placeholders ($1, $2 … in the order of
    /// <paramref name="parameters"/>) in place of @names. Given @names, Npgsql parses and rewrites
    /// the SQL on every execution, a fresh copy each time (a lease's is 1 KB; with the lookups of
    /// the parameters' names, a seventh of what a node allocated under load); given placeholders
    /// and unnamed parameters, it sends the text as it is. Rewritten once per statement and order
    /// of names.
    string Positional(string sql, (string Name, object? Value)[] parameters)
    {
        if (_positional.TryGetValue(sql, out var known) && SameNames(known.Names, parameters)) return known.Text;
        var text = NamedParameter().Replace(sql, match =>
        {
            var name = match.Groups[1].Value;
            var index = Array.FindIndex(parameters, p => p.Name == name);
            return index >= 0 ? "$" + (index + 1) : throw new InvalidOperationException($"No value for @{name} in: {sql}");
        });
        _positional[sql] = (text, parameters.Select(p => p.Name).ToArray());
        return text;

        static bool SameNames(string[] names, (string Name, object? Value)[] parameters)
        {
            if (names.Length != parameters.Length) return false;
            for (var i = 0; i < names.Length; i++)
                if (names[i] != parameters[i].Name) return false;
            return true;
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"@([A-Za-z_][A-Za-z0-9_]*)")]
    private static partial System.Text.RegularExpressions.Regex NamedParameter();

    List<Waiting> TakeWaiting()
    {
        var waiting = _waiting!;
        _waiting = [];
        return waiting;
    }

    async Task SendAsync(List<Waiting> statements)
    {
        object?[] results;
        try
        {
            var batch = _batch ??= Connection.CreateBatch();
            batch.BatchCommands.Clear();
            batch.Transaction = _transaction;
            for (var i = 0; i < statements.Count; i++)
            {
                var statement = statements[i];
                if (i == _batchCommands.Count) _batchCommands.Add(batch.CreateBatchCommand());
                var command = _batchCommands[i];
                command.CommandText = Positional(statement.Sql, statement.Parameters);
                var parameters = command.Parameters;
                while (parameters.Count > statement.Parameters.Length) parameters.RemoveAt(parameters.Count - 1);
                for (var p = 0; p < statement.Parameters.Length; p++)
                {
                    if (p == parameters.Count) parameters.Add(command.CreateParameter());
                    parameters[p].Value = statement.Parameters[p].Value ?? DBNull.Value;
                }
                batch.BatchCommands.Add(command);
            }
            results = new object?[statements.Count];
            await using (var reader = await batch.ExecuteReaderAsync())
            {
                // Only statements that return rows have a result set in the reader.
                var first = true;
                for (var i = 0; i < statements.Count; i++)
                {
                    if (statements[i].Read is not { } read) continue;
                    if (!first) await reader.NextResultAsync();
                    first = false;
                    results[i] = await read(reader);
                }
            }
            for (var i = 0; i < statements.Count; i++)
                if (statements[i].Read is null) results[i] = batch.BatchCommands[i].RecordsAffected;
        }
        catch (Exception e)
        {
            foreach (var statement in statements) statement.Result.TrySetException(e);
            throw;
        }
        for (var i = 0; i < statements.Count; i++) statements[i].Result.TrySetResult(results[i]);
    }

    Task<object?> Wait(string sql, (string Name, object? Value)[] parameters, Func<DbDataReader, Task<object?>>? read, bool last)
    {
        var waiting = new Waiting(sql, parameters, read, last);
        _waiting!.Add(waiting);
        return waiting.Result.Task;
    }

    /// A statement waiting for the next batch; Read is null for one that returns no rows; Last when
    /// its write issues nothing after it.
    sealed record Waiting(string Sql, (string Name, object? Value)[] Parameters, Func<DbDataReader, Task<object?>>? Read, bool Last)
    {
        public readonly TaskCompletionSource<object?> Result = new();
    }

    /// The prepared command for <paramref name="sql"/>, cached by its text, with the values bound.
    /// A later call may give the same text's values in another order: they are bound by name then
    /// (positional binding would put each value under another name, unseen); a name the cached
    /// command lacks, or one more or fewer, is refused naming the statement.
    DbCommand Statement(string sql, (string Name, object? Value)[] parameters)
    {
        if (!_statements.TryGetValue(sql, out var command))
        {
            command = Connection.Command(sql);
            foreach (var (name, _) in parameters) command.With(name, null);
            _statements[sql] = command;
        }
        command.Transaction = _transaction;
        var cached = command.Parameters;
        if (cached.Count != parameters.Length)
            throw new InvalidOperationException($"{parameters.Length} values for the {cached.Count} parameters of: {sql}");
        for (var i = 0; i < parameters.Length; i++)
        {
            var (name, value) = parameters[i];
            var parameter = cached[i].ParameterName == name ? cached[i]
                : cached.IndexOf(name) is var at and >= 0 ? cached[at]
                : throw new InvalidOperationException($"No parameter @{name} in: {sql}");
            parameter.Value = value ?? DBNull.Value;
        }
        return command;
    }

    /// A statement that returns no rows; its result is the number of rows it changed.
    public async Task<int> ExecuteAsync(string sql, params (string Name, object? Value)[] parameters) =>
        _waiting is null
            ? await Statement(sql, parameters).ExecuteNonQueryAsync()
            : (int)(await Wait(sql, parameters, null, last: false))!;

    /// The first column of the first row, or default when there is no row.
    public Task<T?> ScalarAsync<T>(string sql, params (string Name, object? Value)[] parameters) =>
        ScalarAsync<T>(sql, parameters, last: false);

    /// Every row, each read with <paramref name="row"/>.
    public Task<List<T>> RowsAsync<T>(string sql, Func<DbDataReader, T> row, params (string Name, object? Value)[] parameters) =>
        RowsAsync(sql, row, parameters, last: false);

    /// As <see cref="ScalarAsync{T}"/>, for a write's last statement: the write issues nothing after
    /// it, whatever it returns, so the statement must leave the data consistent on its own.
    public Task<T?> LastScalarAsync<T>(string sql, params (string Name, object? Value)[] parameters) =>
        ScalarAsync<T>(sql, parameters, last: true);

    /// As <see cref="RowsAsync{T}"/>, for a write's last statement (see <see cref="LastScalarAsync{T}"/>).
    public Task<List<T>> LastRowsAsync<T>(string sql, Func<DbDataReader, T> row, params (string Name, object? Value)[] parameters) =>
        RowsAsync(sql, row, parameters, last: true);

    async Task<T?> ScalarAsync<T>(string sql, (string Name, object? Value)[] parameters, bool last) =>
        Sql.As<T>(_waiting is null
            ? await Statement(sql, parameters).ExecuteScalarAsync()
            : await Wait(sql, parameters, FirstValueAsync, last));

    async Task<List<T>> RowsAsync<T>(string sql, Func<DbDataReader, T> row, (string Name, object? Value)[] parameters, bool last)
    {
        if (_waiting is not null) return (List<T>)(await Wait(sql, parameters, async r => await ReadAllAsync(r, row), last))!;
        await using var reader = await Statement(sql, parameters).ExecuteReaderAsync();
        return await ReadAllAsync(reader, row);
    }

    static async Task<object?> FirstValueAsync(DbDataReader reader) => await reader.ReadAsync() ? reader.GetValue(0) : null;

    static async Task<List<T>> ReadAllAsync<T>(DbDataReader reader, Func<DbDataReader, T> row)
    {
        var rows = new List<T>();
        while (await reader.ReadAsync()) rows.Add(row(reader));
        return rows;
    }

    public async ValueTask DisposeAsync()
    {
        if (_batch is not null) await _batch.DisposeAsync();
        foreach (var command in _statements.Values) await command.DisposeAsync();
        await Connection.DisposeAsync();
    }
}

/// Keeps SQLite's write-ahead log short by checkpointing from its own connection once a second,
/// so the work loop's writer never pays for a checkpoint inside a commit.
public sealed class SqliteCheckpoints(DatabaseSettings database, ILogger<SqliteCheckpoints> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        if (!database.IsSqlite) return;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        while (await timer.WaitForNextTickAsync(stopping))
        {
            try
            {
                await using var connection = await database.OpenAsync(stopping);
                await connection.ExecuteAsync(null, "PRAGMA wal_checkpoint(PASSIVE)");
            }
            catch (Exception e) when (e is DbException or IOException)
            {
                log.CheckpointSkipped(e);
            }
        }
    }
}

/// The database could not be reached; the API answers 503 and the client retries.
public sealed class DatabaseUnavailableException(Exception inner)
    : Exception("The database is unavailable.", inner);
