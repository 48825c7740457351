using System.Data.Common;

namespace Fairlabel.Data;

/// Small helpers for the hand-written SQL of the hot paths. Named parameters (@name) work the
/// same on SQLite and PostgreSQL.
static class Sql
{
    public static DbCommand Command(this DbConnection connection, string text, DbTransaction? transaction = null)
    {
        var command = connection.CreateCommand();
        command.CommandText = text;
        command.Transaction = transaction;
        return command;
    }

    public static DbCommand With(this DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
        return command;
    }

    public static async Task<int> ExecuteAsync(this DbConnection connection, DbTransaction? transaction, string text,
        params (string Name, object? Value)[] parameters)
    {
        await using var command = connection.Command(text, transaction);
        foreach (var (name, value) in parameters) command.With(name, value);
        return await command.ExecuteNonQueryAsync();
    }

    public static async Task<T?> ScalarAsync<T>(this DbConnection connection, DbTransaction? transaction, string text,
        params (string Name, object? Value)[] parameters)
    {
        await using var command = connection.Command(text, transaction);
        foreach (var (name, value) in parameters) command.With(name, value);
        return As<T>(await command.ExecuteScalarAsync());
    }

    /// A scalar result as T: null for SQL NULL, numbers converted (SQLite returns every integer as long).
    public static T? As<T>(object? result) =>
        result is null or DBNull ? default : (T)Convert.ChangeType(result, Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T));

    public static long Millis(DateTimeOffset time) => time.ToUnixTimeMilliseconds();
}

/// One statement's text on each engine, side by side; picking one is a field read, so a hot
/// path's statements stay static strings.
readonly record struct EngineSql(string Sqlite, string Postgres)
{
    public string For(bool isSqlite) => isSqlite ? Sqlite : Postgres;
}
