using System.Data.Common;
using Fairlabel.Tests.Infrastructure;
using Fairlabel.Data;
using Fairlabel.Work;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Fairlabel.Tests.Work;

/// The writer that every lease and submission goes through. On PostgreSQL a group's writes run
/// side by side, their statements sharing round trips; these tests check that each write still
/// sees exactly its own results, in its own order, and that one failing write fails alone.
public abstract class GroupCommitWriterTests<TServer>(TServer server) : IClassFixture<TServer> where TServer : FairlabelServer
{
    protected GroupCommitWriter Writer => server.Service<GroupCommitWriter>();

    async Task<string> ScratchTableAsync()
    {
        var table = "scratch_" + Guid.NewGuid().ToString("n")[..8];
        await server.ExecuteAsync($"CREATE TABLE {table} (id integer PRIMARY KEY, v integer NOT NULL)");
        return table;
    }

    [Fact]
    public async Task Writes_run_together_each_get_their_own_results_in_their_own_order()
    {
        var table = await ScratchTableAsync();
        const int writes = 300;
        var results = await Task.WhenAll(Enumerable.Range(1, writes).Select(i => Writer.Run(writes - i, async w =>
        {
            // A statement without rows, one with a row, one with an empty result, one with several
            // rows, and a decision taken on an earlier result: the shapes the work loop uses.
            var inserted = await w.ExecuteAsync($"INSERT INTO {table} (id, v) VALUES (@i, @i)", ("i", i));
            var doubled = await w.ScalarAsync<long>($"UPDATE {table} SET v = v * 2 WHERE id = @i RETURNING v", ("i", i));
            var missing = await w.ScalarAsync<long?>($"SELECT v FROM {table} WHERE id = @i", ("i", -i));
            var rows = await w.RowsAsync($"SELECT id, v FROM {table} WHERE id = @i OR id = @j ORDER BY id",
                r => (Id: r.GetInt64(0), V: r.GetInt64(1)), ("i", i), ("j", i + 100_000));
            var untouched = doubled == 2 * i
                ? await w.ExecuteAsync($"UPDATE {table} SET v = v + 1 WHERE id = @i AND v > @big", ("i", i), ("big", 10 * i))
                : -1;
            return (i, inserted, doubled, missing, rows, untouched);
        })));

        foreach (var (i, inserted, doubled, missing, rows, untouched) in results)
        {
            Assert.Equal(1, inserted);
            Assert.Equal(2 * i, doubled);
            Assert.Null(missing);
            Assert.Equal(new List<(long, long)> { (i, 2L * i) }, rows);
            Assert.Equal(0, untouched);
        }
        Assert.Equal(writes, await server.ScalarAsync($"SELECT count(*) FROM {table}"));
        Assert.Equal(writes * (writes + 1L), await server.ScalarAsync($"SELECT sum(v) FROM {table}"));
    }

    // The writer caches a statement by its text: the same text given its values in another order
    // must still put each value under its own name, alone or in a group.
    [Fact]
    public async Task The_same_statement_with_its_values_in_another_order_binds_each_by_name()
    {
        var table = await ScratchTableAsync();
        await server.ExecuteAsync($"INSERT INTO {table} (id, v) VALUES (1, 0), (2, 0)");
        var sql = $"UPDATE {table} SET v = v + @by WHERE id = @id";
        for (var round = 0; round < 3; round++)
        {
            // One write alone (the cached command), then several together (a shared round trip on PostgreSQL).
            await Writer.Run(1, w => w.ExecuteAsync(sql, ("by", 10), ("id", 1)));
            await Writer.Run(1, w => w.ExecuteAsync(sql, ("id", 2), ("by", 1)));
            await Task.WhenAll(
                Writer.Run(1, w => w.ExecuteAsync(sql, ("id", 1), ("by", 100))),
                Writer.Run(2, w => w.ExecuteAsync(sql, ("by", 1000), ("id", 2))));
        }
        Assert.Equal(330L, await server.ScalarAsync($"SELECT v FROM {table} WHERE id = 1"));
        Assert.Equal(3003L, await server.ScalarAsync($"SELECT v FROM {table} WHERE id = 2"));
        var missing = await Assert.ThrowsAnyAsync<Exception>(() => Writer.Run(1, w => w.ExecuteAsync(sql, ("by", 1), ("item", 1))));
        Assert.Contains(sql, missing.Message);                         // a value without its parameter is refused
        Assert.Equal(330L, await server.ScalarAsync($"SELECT v FROM {table} WHERE id = 1"));
    }

    [Fact]
    public async Task A_failing_write_fails_alone_and_the_rest_of_its_group_commits()
    {
        var table = await ScratchTableAsync();
        await server.ExecuteAsync($"INSERT INTO {table} (id, v) VALUES (7, 0)");

        var writes = Enumerable.Range(1, 100).Select(i => Writer.Run(i, async w =>
        {
            await w.ExecuteAsync($"INSERT INTO {table} (id, v) VALUES (@i, 1)", ("i", i == 7 ? 7 : 1000 + i));
            return await w.ScalarAsync<long>($"SELECT v FROM {table} WHERE id = @i", ("i", 1000 + i));
        })).ToList();

        var failure = await Assert.ThrowsAnyAsync<DbException>(() => writes[6]);
        Assert.Contains("UNIQUE", failure.Message, StringComparison.OrdinalIgnoreCase);
        foreach (var write in writes.Where((_, index) => index != 6)) Assert.Equal(1, await write);
        Assert.Equal(99, await server.ScalarAsync($"SELECT count(*) FROM {table} WHERE id > 1000"));
        Assert.Equal(0, await server.ScalarAsync($"SELECT v FROM {table} WHERE id = 7"));
    }

    // A write alone in its group whose statement fails (here a unique key) must report that
    // failure, not a lost database: the API answers the first with a problem about the request,
    // the second with 503 and "retry".
    [Fact]
    public async Task A_write_failing_alone_reports_its_own_error_and_the_connection_stays_in_use()
    {
        var table = await ScratchTableAsync();
        await Writer.Run(1, w => w.ExecuteAsync($"INSERT INTO {table} (id, v) VALUES (1, 0)"));

        var failure = await Assert.ThrowsAnyAsync<DbException>(() =>
            Writer.Run(1, w => w.ExecuteAsync($"INSERT INTO {table} (id, v) VALUES (1, 0)")));
        Assert.Contains("UNIQUE", failure.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(1, await Writer.Run(2, w => w.ExecuteAsync($"INSERT INTO {table} (id, v) VALUES (2, 0)")));
    }

    // On PostgreSQL a group of such writes is one batch sent without BEGIN, which the server runs
    // and commits as one implicit transaction.
    [Fact]
    public async Task Writes_of_one_last_statement_commit_together_and_a_failing_one_fails_alone()
    {
        var table = await ScratchTableAsync();
        await server.ExecuteAsync($"INSERT INTO {table} (id, v) VALUES (7, 0)");

        var writes = Enumerable.Range(1, 100).Select(i => Writer.Run(i, w =>
            w.LastScalarAsync<long>($"INSERT INTO {table} (id, v) VALUES (@i, @v) RETURNING v", ("i", i == 7 ? 7 : 1000 + i), ("v", i))))
            .ToList();

        await Assert.ThrowsAnyAsync<DbException>(() => writes[6]);
        foreach (var (write, i) in writes.Select((write, index) => (write, index + 1)).Where(w => w.Item2 != 7))
            Assert.Equal(i, await write);
        Assert.Equal(99, await server.ScalarAsync($"SELECT count(*) FROM {table} WHERE id > 1000"));
        Assert.Equal(0, await server.ScalarAsync($"SELECT v FROM {table} WHERE id = 7"));
    }

    // One write of several statements puts its whole group in BEGIN … COMMIT.
    [Fact]
    public async Task Writes_of_one_statement_and_of_several_share_a_group()
    {
        var table = await ScratchTableAsync();
        var writes = Enumerable.Range(1, 60).Select(i => Writer.Run(i, async w =>
        {
            if (i % 3 != 0)
                return await w.LastScalarAsync<long>($"INSERT INTO {table} (id, v) VALUES (@i, 1) RETURNING v", ("i", i));
            await w.ExecuteAsync($"INSERT INTO {table} (id, v) VALUES (@i, 1)", ("i", i));
            return await w.ScalarAsync<long>($"UPDATE {table} SET v = v + 1 WHERE id = @i RETURNING v", ("i", i));
        })).ToList();

        var results = await Task.WhenAll(writes);
        Assert.Equal(Enumerable.Range(1, 60).Select(i => i % 3 == 0 ? 2L : 1L), results);
        Assert.Equal(80, await server.ScalarAsync($"SELECT sum(v) FROM {table}"));
    }
}

public sealed class GroupCommitWriterOnSqlite(SqliteServer server) : GroupCommitWriterTests<SqliteServer>(server);
public sealed class GroupCommitWriterOnPostgres(PostgresServer server) : GroupCommitWriterTests<PostgresServer>(server)
{
    readonly PostgresServer _server = server;

    static Task<string?> SynchronousCommitSourceAsync(WriteContext w) =>
        w.LastScalarAsync<string>("SELECT source FROM pg_settings WHERE name = 'synchronous_commit'");

    // By default leases go in the answers' groups, and keep the server's setting (on, in
    // production: an answer is acknowledged once on disk, and the leases of its group with it).
    [Fact]
    public async Task Leases_share_the_answers_groups_and_their_flush()
    {
        Assert.NotEqual("client", await Writer.RunLease(1, SynchronousCommitSourceAsync));
        var backends = await Task.WhenAll(Writer.Run(1, w => w.ScalarAsync<int>("SELECT pg_backend_pid()")),
            Writer.RunLease(2, w => w.ScalarAsync<int>("SELECT pg_backend_pid()")));
        Assert.Equal(backends[0], backends[1]);
    }

    // With lease writers of their own, leases commit without waiting for the disk; everything
    // else keeps the server's setting.
    [Fact]
    public async Task Lease_writers_of_their_own_commit_without_waiting_for_the_disk()
    {
        await using var writer = new GroupCommitWriter(_server.Service<DatabaseSettings>(),
            Options.Create(new WorkOptions { PostgresLeaseWriters = 1 }), NullLogger<GroupCommitWriter>.Instance);
        var lease = await writer.RunLease(1, async w =>
            (Setting: await w.ScalarAsync<string>("SHOW synchronous_commit"), Source: await SynchronousCommitSourceAsync(w)));
        Assert.Equal(("off", "client"), lease);
        Assert.NotEqual("client", await writer.Run(1, SynchronousCommitSourceAsync));
    }

    [Fact]
    public async Task With_FlushLeases_leases_wait_for_the_disk_too()
    {
        await using var writer = new GroupCommitWriter(_server.Service<DatabaseSettings>(),
            Options.Create(new WorkOptions { PostgresLeaseWriters = 1, FlushLeases = true }), NullLogger<GroupCommitWriter>.Instance);
        Assert.NotEqual("client", await writer.RunLease(1, SynchronousCommitSourceAsync));
    }
}
