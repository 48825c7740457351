using System.Data.Common;
using System.Threading.Channels;
using Fairlabel.Data;
using Microsoft.Extensions.Options;

namespace Fairlabel.Work;

/// Runs the work loop's writes. On SQLite one connection takes every queued write into one
/// transaction and completes the requests after the commit: SQLite allows one writer anyway,
/// and one fsync serves the whole group. On PostgreSQL several connections each run one write
/// per transaction: the server groups concurrent commits itself, and short transactions hold
/// row locks for the least time, so nodes sharing the database rarely wait for each other.
/// Either way a request is acknowledged only after the commit that holds its write.
public sealed class GroupCommitWriter : IAsyncDisposable
{
    readonly DatabaseSettings _database;
    readonly ILogger<GroupCommitWriter> _log;
    readonly Channel<IPendingWrite> _queue = Channel.CreateUnbounded<IPendingWrite>();
    readonly int _maxGroup;
    readonly Task[] _loops;

    public GroupCommitWriter(DatabaseSettings database, IOptions<WorkOptions> options, ILogger<GroupCommitWriter> log)
    {
        _database = database;
        _log = log;
        _maxGroup = database.IsSqlite ? 256 : 1;
        var writers = database.IsSqlite ? 1 : Math.Max(1, options.Value.PostgresWriters);
        _loops = Enumerable.Range(0, writers).Select(_ => Task.Run(RunAsync)).ToArray();
    }

    /// Runs <paramref name="write"/> inside a transaction and returns its result once committed.
    /// The write must not touch memory shared with other requests: the caller applies such effects
    /// after the returned task completes, when the data is durable.
    public Task<T> Run<T>(Func<WriteContext, Task<T>> write)
    {
        var pending = new PendingWrite<T>(write);
        if (!_queue.Writer.TryWrite(pending)) throw new ObjectDisposedException(nameof(GroupCommitWriter));
        return pending.Completion.Task;
    }

    async Task RunAsync()
    {
        var group = new List<IPendingWrite>(_maxGroup);
        WriteContext? context = null;
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (group.Count < _maxGroup && _queue.Reader.TryRead(out var next)) group.Add(next);
            if (group.Count == 0) continue;
            try
            {
                context ??= await WriteContext.OpenAsync(_database);
                // Something in a group failed: run each write alone so one bad request cannot
                // take the others down with it.
                if (!await TryGroupAsync(context, group))
                    foreach (var write in group) await RunAloneAsync(context, write);
            }
            catch (Exception e) when (e is DbException or InvalidOperationException or IOException or TimeoutException)
            {
                _log.LogWarning(e, "The work loop's database connection failed; retrying with a new one");
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
        await using var transaction = await context.BeginAsync();
        try
        {
            foreach (var write in group) await write.ExecuteAsync(context);
            await transaction.CommitAsync();
        }
        catch (DbException) when (group.Count > 1)
        {
            await transaction.RollbackAsync();
            return false;
        }
        catch (Exception e) when (e is not DbException)
        {
            await transaction.RollbackAsync();
            if (group.Count > 1) return false;
            group[0].Fail(e);
            return true;
        }
        foreach (var write in group) write.Complete();
        return true;
    }

    static async Task RunAloneAsync(WriteContext context, IPendingWrite write)
    {
        await using var transaction = await context.BeginAsync();
        try
        {
            await write.ExecuteAsync(context);
            await transaction.CommitAsync();
            write.Complete();
        }
        catch (Exception e) when (e is not (InvalidOperationException or IOException))
        {
            write.Fail(e is DbException { IsTransient: true } ? new DatabaseUnavailableException(e) : e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await Task.WhenAll(_loops);
    }

    interface IPendingWrite
    {
        Task ExecuteAsync(WriteContext context);
        void Complete();
        void Fail(Exception e);
    }

    sealed class PendingWrite<T>(Func<WriteContext, Task<T>> write) : IPendingWrite
    {
        T _result = default!;
        public readonly TaskCompletionSource<T> Completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public async Task ExecuteAsync(WriteContext context) => _result = await write(context);
        public void Complete() => Completion.TrySetResult(_result);
        public void Fail(Exception e) => Completion.TrySetException(e);
    }
}

/// A writer's connection, its current transaction, and its statements, each prepared once and
/// reused with new parameter values (re-preparing cost a quarter of the writer's time).
public sealed class WriteContext : IAsyncDisposable
{
    readonly Dictionary<string, DbCommand> _statements = new(StringComparer.Ordinal);
    DbTransaction? _transaction;

    WriteContext(DbConnection connection, bool isSqlite)
    {
        Connection = connection;
        IsSqlite = isSqlite;
    }

    public DbConnection Connection { get; }
    public bool IsSqlite { get; }

    public static async Task<WriteContext> OpenAsync(DatabaseSettings database)
    {
        var connection = await database.OpenAsync();
        if (database.IsSqlite)
        {
            // Checkpoints run beside the writer (SqliteCheckpoints), not inside its commits.
            await connection.ExecuteAsync(null, "PRAGMA wal_autocheckpoint=0");
        }
        return new WriteContext(connection, database.IsSqlite);
    }

    public async Task<DbTransaction> BeginAsync() => _transaction = await Connection.BeginTransactionAsync();

    public DbCommand Statement(string sql, params (string Name, object? Value)[] parameters)
    {
        if (!_statements.TryGetValue(sql, out var command))
        {
            command = Connection.Command(sql);
            foreach (var (name, _) in parameters) command.With(name, null);
            _statements[sql] = command;
        }
        command.Transaction = _transaction;
        for (var i = 0; i < parameters.Length; i++) command.Parameters[i].Value = parameters[i].Value ?? DBNull.Value;
        return command;
    }

    public Task<int> ExecuteAsync(string sql, params (string Name, object? Value)[] parameters) =>
        Statement(sql, parameters).ExecuteNonQueryAsync();

    public async Task<T?> ScalarAsync<T>(string sql, params (string Name, object? Value)[] parameters) =>
        Sql.As<T>(await Statement(sql, parameters).ExecuteScalarAsync());

    public Task<DbDataReader> ReaderAsync(string sql, params (string Name, object? Value)[] parameters) =>
        Statement(sql, parameters).ExecuteReaderAsync();

    public async ValueTask DisposeAsync()
    {
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
                log.LogDebug(e, "Checkpoint skipped");
            }
        }
    }
}

/// The database could not be reached; the API answers 503 and the client retries.
public sealed class DatabaseUnavailableException(Exception inner)
    : Exception("The database is unavailable.", inner);
