using Fairlabel.Data;
using Npgsql;

namespace Fairlabel.Tests.Infrastructure;

/// Reads straight from the database, to check invariants behind the API's back.
public static class Database
{
    public static Task<List<long[]>> RowsAsync(this FairlabelServer server, string sql) => server.Database.RowsAsync(sql);

    public static async Task<List<long[]>> RowsAsync(this DatabaseSettings database, string sql)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.Command(sql);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<long[]>();
        while (await reader.ReadAsync())
        {
            var row = new long[reader.FieldCount];
            for (var i = 0; i < row.Length; i++) row[i] = Convert.ToInt64(reader.GetValue(i));
            rows.Add(row);
        }
        return rows;
    }

    public static async Task<long> ScalarAsync(this FairlabelServer server, string sql) => (await server.RowsAsync(sql))[0][0];
    public static async Task<long> ScalarAsync(this DatabaseSettings database, string sql) => (await database.RowsAsync(sql))[0][0];

    /// Waits until <paramref name="countSql"/> reads <paramref name="expected"/>: for what a node
    /// does a moment after its reply (a lease written, a lease swept, a write waiting for a lock).
    public static async Task UntilAsync(this DatabaseSettings database, string countSql, long expected)
    {
        for (var waited = 0; await database.ScalarAsync(countSql) != expected; waited += 20)
        {
            Assert.True(waited < 10_000, $"still not {expected} after 10 s: {countSql}");
            await Task.Delay(20);
        }
    }
}

public static class DatabaseWrites
{
    public static Task ExecuteAsync(this FairlabelServer server, string sql) => server.Database.ExecuteAsync(sql);

    public static async Task ExecuteAsync(this DatabaseSettings database, string sql)
    {
        await using var connection = await database.OpenAsync();
        await connection.ExecuteAsync(null, sql);
    }

    public static Task<string?> TextAsync(this FairlabelServer server, string sql) => server.Database.TextAsync(sql);

    public static async Task<string?> TextAsync(this DatabaseSettings database, string sql)
    {
        await using var connection = await database.OpenAsync();
        return await connection.ScalarAsync<string>(null, sql);
    }

    /// Holds up every write of the project's items until disposed, as another writer would: on
    /// SQLite the file's write lock, on PostgreSQL the items' rows. Reads go on.
    public static async Task<System.Data.Common.DbConnection> HoldWritesAsync(this DatabaseSettings database, int projectId)
    {
        if (!database.IsSqlite)
            return await database.HoldRowsAsync($"SELECT 1 FROM items WHERE project_id = {projectId} FOR UPDATE");
        // Not from the pool: closing it must end the transaction, not keep it for the next user.
        var connection = new Microsoft.Data.Sqlite.SqliteConnection(
            new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(database.ConnectionString) { Pooling = false }.ToString());
        await connection.OpenAsync();
        await connection.ExecuteAsync(null, "BEGIN IMMEDIATE");
        return connection;
    }

    /// PostgreSQL: holds the item's row as another write would, until disposed (closing the
    /// connection rolls its transaction back). A node's write of that item waits meanwhile.
    public static Task<NpgsqlConnection> HoldItemRowAsync(this DatabaseSettings database, long item) =>
        database.HoldRowsAsync($"SELECT 1 FROM items WHERE id = {item} FOR UPDATE");

    static async Task<NpgsqlConnection> HoldRowsAsync(this DatabaseSettings database, string lockingSelect)
    {
        var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        var write = await connection.BeginTransactionAsync();
        await using var hold = new NpgsqlCommand(lockingSelect, connection, write);
        await hold.ExecuteScalarAsync();
        return connection;
    }
}
