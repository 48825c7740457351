using System.Data.Common;
using System.Threading.Channels;
using Fairlabel.Data;

namespace Fairlabel.Work;

/// Runs the work loop's writes through one connection, many to a transaction: a request is
/// acknowledged only after the commit that holds it, and one fsync serves the whole group.
/// SQLite allows one writer at a time anyway; on PostgreSQL every node has its own writer and
/// the row-level conditions in each statement keep the nodes consistent.
public sealed class GroupCommitWriter : IAsyncDisposable
{
    const int MaxGroup = 256;

    readonly DatabaseSettings _database;
    readonly ILogger<GroupCommitWriter> _log;
    readonly Channel<IPendingWrite> _queue = Channel.CreateUnbounded<IPendingWrite>(
        new UnboundedChannelOptions { SingleReader = true });
    readonly Task _loop;

    public GroupCommitWriter(DatabaseSettings database, ILogger<GroupCommitWriter> log)
    {
        _database = database;
        _log = log;
        _loop = Task.Run(RunAsync);
    }

    /// Runs <paramref name="write"/> inside a group transaction and returns its result once committed.
    /// The write must not touch memory shared with other requests: the caller applies such effects
    /// after the returned task completes, when the data is durable.
    public Task<T> Run<T>(Func<DbConnection, DbTransaction, Task<T>> write)
    {
        var pending = new PendingWrite<T>(write);
        if (!_queue.Writer.TryWrite(pending))
            throw new ObjectDisposedException(nameof(GroupCommitWriter));
        return pending.Completion.Task;
    }

    async Task RunAsync()
    {
        var group = new List<IPendingWrite>(MaxGroup);
        DbConnection? connection = null;
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (group.Count < MaxGroup && _queue.Reader.TryRead(out var next)) group.Add(next);
            try
            {
                connection ??= await _database.OpenAsync();
                if (!await TryGroupAsync(connection, group))
                {
                    // Something in the group failed: run each write alone so one bad request
                    // cannot take the others down with it.
                    foreach (var write in group) await RunAloneAsync(connection, write);
                }
            }
            catch (Exception e) when (e is DbException or InvalidOperationException or IOException or TimeoutException)
            {
                _log.LogWarning(e, "The work loop's database connection failed; retrying with a new one");
                foreach (var write in group) write.Fail(new DatabaseUnavailableException(e));
                if (connection is not null) await connection.DisposeAsync();
                connection = null;
            }
            group.Clear();
        }
        if (connection is not null) await connection.DisposeAsync();
    }

    static async Task<bool> TryGroupAsync(DbConnection connection, List<IPendingWrite> group)
    {
        await using var transaction = await connection.BeginTransactionAsync();
        try
        {
            foreach (var write in group) await write.ExecuteAsync(connection, transaction);
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

    static async Task RunAloneAsync(DbConnection connection, IPendingWrite write)
    {
        await using var transaction = await connection.BeginTransactionAsync();
        try
        {
            await write.ExecuteAsync(connection, transaction);
            await transaction.CommitAsync();
            write.Complete();
        }
        catch (Exception e) when (e is not (InvalidOperationException or IOException))
        {
            write.Fail(e is DbException db && IsConnectionLost(db) ? new DatabaseUnavailableException(e) : e);
        }
    }

    static bool IsConnectionLost(DbException e) => e.IsTransient;

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
    }

    interface IPendingWrite
    {
        Task ExecuteAsync(DbConnection connection, DbTransaction transaction);
        void Complete();
        void Fail(Exception e);
    }

    sealed class PendingWrite<T>(Func<DbConnection, DbTransaction, Task<T>> write) : IPendingWrite
    {
        T _result = default!;
        public readonly TaskCompletionSource<T> Completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public async Task ExecuteAsync(DbConnection connection, DbTransaction transaction) =>
            _result = await write(connection, transaction);
        public void Complete() => Completion.TrySetResult(_result);
        public void Fail(Exception e) => Completion.TrySetException(e);
    }
}

/// The database could not be reached; the API answers 503 and the client retries.
public sealed class DatabaseUnavailableException(Exception inner)
    : Exception("The database is unavailable.", inner);
