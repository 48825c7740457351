using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Fairlabel.LoadGen;

/// Accounts and API tokens written straight into the server's database, in one transaction:
/// creating a thousand taskers through the sign-up endpoint would measure password hashing.
/// Columns follow the Initial migrations; times are Unix milliseconds; tokens are stored as the
/// lowercase hex SHA-256 of "fl_" + 48 hex characters, like `ApiTokenAuthentication`.
sealed class Seeder(Options options) : IAsyncDisposable
{
    DbConnection? _connection;

    public string Describe() => options.IsPostgres
        ? $"PostgreSQL {new NpgsqlConnectionStringBuilder(options.ConnectionString).Host}:{new NpgsqlConnectionStringBuilder(options.ConnectionString).Port}"
        : $"SQLite {SqlitePath}";

    string SqlitePath => options.ConnectionString is { Length: > 0 } cs
        ? new SqliteConnectionStringBuilder(cs).DataSource
        : Path.Combine(Path.GetFullPath(options.DataDirectory), "fairlabel.db");

    async Task<DbConnection> OpenAsync()
    {
        if (_connection is not null) return _connection;
        if (options.IsPostgres)
        {
            var pg = new NpgsqlConnection(options.ConnectionString);
            await pg.OpenAsync();
            _connection = pg;
        }
        else
        {
            if (!File.Exists(SqlitePath))
                throw new InvalidOperationException($"{SqlitePath} does not exist: start the server (migrated) first");
            var sqlite = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = SqlitePath, Pooling = false }.ToString());
            await sqlite.OpenAsync();
            await using var pragmas = sqlite.CreateCommand();
            pragmas.CommandText = "PRAGMA busy_timeout=30000; PRAGMA foreign_keys=ON;";
            await pragmas.ExecuteNonQueryAsync();
            _connection = sqlite;
        }
        return _connection;
    }

    string EmptyList => options.IsPostgres ? "'{}'" : "'[]'";

    public static string NewToken() => "fl_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
    static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
    static long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    /// A requester owning a new organisation funded with 10 million USD, and an API token for it.
    public async Task<string> RequesterAsync(string runId)
    {
        var c = await OpenAsync();
        await using var t = await c.BeginTransactionAsync();
        var now = Now();
        var org = await ScalarAsync(c, t, "INSERT INTO organisations (name, created_at) VALUES (@n, @now) RETURNING id",
            ("n", $"Load test {runId}"), ("now", now));
        var user = await ScalarAsync(c, t,
            "INSERT INTO users (email, display_name, password_hash, role, organisation_id, organisation_role, languages, expertise, created_at) " +
            $"VALUES (@e, @d, '!not-loginable', 'requester', @o, 'owner', {EmptyList}, {EmptyList}, @now) RETURNING id",
            ("e", $"loadgen-requester-{runId}@loadgen.invalid"), ("d", "Load generator"), ("o", (int)org), ("now", now));
        var token = NewToken();
        await ScalarAsync(c, t, "INSERT INTO api_tokens (user_id, name, prefix, hash, created_at) VALUES (@u, 'loadgen', @p, @h, @now) RETURNING id",
            ("u", (int)user), ("p", token[..7]), ("h", Hash(token)), ("now", now));
        // The organisation's payment, as an operator records it, so that publishing finds funds for escrow.
        await ScalarAsync(c, t,
            "INSERT INTO ledger_transfers (key, from_account, to_account, amount_micros, currency, kind, organisation_id, at) " +
            "VALUES (@k, @from, @to, @m, 'USD', 'deposit', @o, @now) RETURNING id",
            ("k", $"deposit:{org}:loadgen-{runId}"), ("from", $"deposits:org:{org}"), ("to", $"funding:org:{org}"),
            ("m", 10_000_000L * 1_000_000L), ("o", (int)org), ("now", now));
        await t.CommitAsync();
        return token;
    }

    /// <paramref name="count"/> taskers with one API token each, in one transaction; returns the tokens.
    public async Task<string[]> TaskersAsync(string runId, int count)
    {
        var c = await OpenAsync();
        var tokens = new string[count];
        await using var t = await c.BeginTransactionAsync();
        var now = Now();
        await using var user = c.CreateCommand();
        user.Transaction = t;
        user.CommandText =
            "INSERT INTO users (email, display_name, password_hash, role, languages, expertise, created_at) " +
            $"VALUES (@e, @d, '!not-loginable', 'tasker', {EmptyList}, {EmptyList}, @now) RETURNING id";
        var email = Parameter(user, "e", "");
        var display = Parameter(user, "d", "");
        Parameter(user, "now", now);
        await user.PrepareAsync();
        await using var token = c.CreateCommand();
        token.Transaction = t;
        token.CommandText = "INSERT INTO api_tokens (user_id, name, prefix, hash, created_at) VALUES (@u, 'loadgen', @p, @h, @now)";
        var userId = Parameter(token, "u", 0);
        var prefix = Parameter(token, "p", "");
        var hash = Parameter(token, "h", "");
        Parameter(token, "now", now);
        await token.PrepareAsync();
        for (var i = 0; i < count; i++)
        {
            email.Value = $"loadgen-tasker-{runId}-{i}@loadgen.invalid";
            display.Value = $"Tasker {i}";
            userId.Value = Convert.ToInt32(await user.ExecuteScalarAsync());
            var value = NewToken();
            prefix.Value = value[..7];
            hash.Value = Hash(value);
            await token.ExecuteNonQueryAsync();
            tokens[i] = value;
        }
        await t.CommitAsync();
        return tokens;
    }

    /// Consistency checks after the run: no tasker answered an item twice, no item over k.
    public async Task<(long Answers, long Doubles, long OverK)> CheckAsync(int projectId, int overlap)
    {
        var c = await OpenAsync();
        var answers = await ScalarAsync(c, null, "SELECT count(*) FROM answers WHERE project_id = @p", ("p", projectId));
        var doubles = await ScalarAsync(c, null,
            "SELECT count(*) FROM (SELECT item_id, tasker_id FROM answers WHERE project_id = @p GROUP BY item_id, tasker_id HAVING count(*) > 1) d",
            ("p", projectId));
        var overK = await ScalarAsync(c, null,
            "SELECT count(*) FROM items WHERE project_id = @p AND (accepted > @k OR accepted + leased > @k)", ("p", projectId), ("k", overlap));
        return (answers, doubles, overK);
    }

    /// Deadlocks PostgreSQL detected in this database since the cluster started (each cost a
    /// writer group a second's wait and a rerun); null on SQLite, which has one writer.
    public async Task<long?> DeadlocksAsync() => options.IsPostgres
        ? await ScalarAsync(await OpenAsync(), null, "SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()")
        : null;

    static DbParameter Parameter(DbCommand command, string name, object value)
    {
        var p = command.CreateParameter();
        p.ParameterName = name;
        p.Value = value;
        command.Parameters.Add(p);
        return p;
    }

    static async Task<long> ScalarAsync(DbConnection c, DbTransaction? t, string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = c.CreateCommand();
        command.Transaction = t;
        command.CommandText = sql;
        foreach (var (name, value) in parameters) Parameter(command, name, value);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null) await _connection.DisposeAsync();
    }
}
