using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;

namespace Fairlabel.Data;

public enum DatabaseProvider { Sqlite, Postgres }

/// Which engine and where: `Database:Provider` (sqlite | postgres) and `ConnectionStrings:Fairlabel`.
/// SQLite defaults to one file under the data directory (`--data`, default ./data).
public sealed class DatabaseSettings
{
    public required DatabaseProvider Provider { get; init; }
    public required string ConnectionString { get; init; }
    public NpgsqlDataSource? Postgres { get; private init; }

    /// PostgreSQL connections whose commits answer as soon as every session sees them, before the
    /// commit is flushed to disk (`synchronous_commit=off` for these connections only; the server
    /// setting stays on). Only for writes a database crash may lose without harm: the work loop's
    /// leases (decision 0003). Every later flushed commit flushes them too.
    public NpgsqlDataSource? PostgresUnflushed { get; private init; }

    /// The configured engine, or null when Database:Provider names none.
    public static DatabaseProvider? TryProviderFrom(IConfiguration configuration) =>
        (configuration["Database:Provider"] ?? "sqlite").ToLowerInvariant() switch
        {
            "sqlite" => DatabaseProvider.Sqlite,
            "postgres" or "postgresql" or "npgsql" => DatabaseProvider.Postgres,
            _ => null,
        };

    public static DatabaseSettings FromConfiguration(IConfiguration configuration)
    {
        var provider = TryProviderFrom(configuration) ?? throw new InvalidOperationException(
            $"Database:Provider is '{configuration["Database:Provider"]}'; use 'sqlite' or 'postgres'.");
        var connectionString = configuration.GetConnectionString("Fairlabel");
        if (provider == DatabaseProvider.Postgres)
        {
            if (string.IsNullOrWhiteSpace(connectionString))
                throw new InvalidOperationException(
                    "Database:Provider is postgres but ConnectionStrings:Fairlabel is not set.");
            // The work loop sends the same few statements over and over: let Npgsql prepare them.
            var postgres = new NpgsqlConnectionStringBuilder(connectionString);
            if (postgres.MaxAutoPrepare == 0) postgres.MaxAutoPrepare = 64;
            // We never change session state, so skip the three reset statements on every return to the pool.
            postgres.NoResetOnClose = true;
            var unflushed = new NpgsqlConnectionStringBuilder(postgres.ConnectionString);
            unflushed.Options = $"{unflushed.Options} -c synchronous_commit=off".Trim();
            return new DatabaseSettings
            {
                Provider = provider,
                ConnectionString = connectionString,
                Postgres = new NpgsqlDataSourceBuilder(postgres.ConnectionString).Build(),
                PostgresUnflushed = new NpgsqlDataSourceBuilder(unflushed.ConnectionString).Build(),
            };
        }
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            var directory = Path.GetFullPath(configuration["DataDirectory"] ?? "data");
            Directory.CreateDirectory(directory);
            connectionString = new SqliteConnectionStringBuilder
            {
                DataSource = Path.Combine(directory, "fairlabel.db"),
                Pooling = true,
                ForeignKeys = true,
            }.ToString();
        }
        return new DatabaseSettings { Provider = provider, ConnectionString = connectionString };
    }

    public bool IsSqlite => Provider == DatabaseProvider.Sqlite;

    /// A short description of where the data lives, for start-up messages and errors (no password).
    public string Target => Provider switch
    {
        DatabaseProvider.Sqlite => $"SQLite file {new SqliteConnectionStringBuilder(ConnectionString).DataSource}",
        _ => DescribePostgres(),
    };

    string DescribePostgres()
    {
        var b = new NpgsqlConnectionStringBuilder(ConnectionString);
        return $"PostgreSQL {b.Host}:{b.Port}/{b.Database}";
    }

    public void Configure(DbContextOptionsBuilder options)
    {
        if (IsSqlite)
            options.UseSqlite(ConnectionString, o => o.MigrationsAssembly("Fairlabel.Migrations.Sqlite"))
                .AddInterceptors(new SqlitePragmas());
        else
            options.UseNpgsql(Postgres!, o => o.MigrationsAssembly("Fairlabel.Migrations.Postgres"));
    }

    /// A raw connection for the hand-written SQL of the hot paths (work loop, import, export).
    public async Task<DbConnection> OpenAsync(CancellationToken cancel = default)
    {
        if (!IsSqlite) return await Postgres!.OpenConnectionAsync(cancel);
        var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync(cancel);
        SqlitePragmas.EnsureWal(connection);
        return connection;
    }
}

/// WAL lets readers run beside the single writer. It is a property of the database file, so it
/// is set once per process, not on every pooled open. SQLite's default `synchronous=FULL` is
/// kept: every acknowledged commit survives power loss, affordable because the work loop
/// commits in groups. Foreign keys are on through the connection string.
sealed class SqlitePragmas : DbConnectionInterceptor
{
    static readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> WalSet = new();

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) =>
        EnsureWal(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData,
        CancellationToken cancellationToken = default)
    {
        EnsureWal(connection);
        return Task.CompletedTask;
    }

    public static void EnsureWal(DbConnection connection)
    {
        if (WalSet.ContainsKey(connection.DataSource)) return;
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode=WAL;";
        command.ExecuteNonQuery();
        WalSet[connection.DataSource] = true;
    }
}
