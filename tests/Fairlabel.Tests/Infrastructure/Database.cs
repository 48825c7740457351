using Fairlabel.Data;

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
}

public static class DatabaseWrites
{
    public static async Task ExecuteAsync(this FairlabelServer server, string sql)
    {
        await using var connection = await server.Database.OpenAsync();
        await connection.ExecuteAsync(null, sql);
    }

    public static async Task<string?> TextAsync(this FairlabelServer server, string sql)
    {
        await using var connection = await server.Database.OpenAsync();
        return await connection.ScalarAsync<string>(null, sql);
    }
}

public static class DatabaseSettingsText
{
    public static async Task<string?> TextAsync(this DatabaseSettings database, string sql)
    {
        await using var connection = await database.OpenAsync();
        return await connection.ScalarAsync<string>(null, sql);
    }
}
