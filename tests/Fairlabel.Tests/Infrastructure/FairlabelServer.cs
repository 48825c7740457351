using Fairlabel.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Fairlabel.Tests.Infrastructure;

public enum Engine { Sqlite, Postgres }

/// The real server in-process, on a fresh SQLite file or a fresh PostgreSQL database.
public class FairlabelServer : WebApplicationFactory<Program>
{
    public Engine Engine { get; }
    public string DataDirectory { get; } = Directory.CreateTempSubdirectory("fairlabel-test-").FullName;
    public string ConnectionString { get; }
    readonly string? _postgresDatabase;

    public FairlabelServer(Engine engine = Engine.Sqlite)
    {
        Engine = engine;
        if (engine == Engine.Postgres)
        {
            _postgresDatabase = "fl_" + Guid.NewGuid().ToString("n")[..16];
            using var admin = new NpgsqlConnection(TestPostgres.AdminConnectionString);
            admin.Open();
            using var create = new NpgsqlCommand($"CREATE DATABASE {_postgresDatabase}", admin);
            create.ExecuteNonQuery();
            ConnectionString = new NpgsqlConnectionStringBuilder(TestPostgres.AdminConnectionString)
                { Database = _postgresDatabase }.ToString();
        }
        else ConnectionString = "";
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("DataDirectory", DataDirectory);
        builder.UseSetting("Database:MigrateOnStart", "true");
        builder.UseSetting("Work:ExpirySweepInterval", "00:00:01");
        if (Engine == Engine.Postgres)
        {
            builder.UseSetting("Database:Provider", "postgres");
            builder.UseSetting("ConnectionStrings:Fairlabel", ConnectionString);
        }
    }

    public T Service<T>() where T : notnull => Services.GetRequiredService<T>();

    public DatabaseSettings Database => Service<DatabaseSettings>();

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (!disposing) return;
        NpgsqlConnection.ClearAllPools();
        if (_postgresDatabase is not null)
        {
            using var admin = new NpgsqlConnection(TestPostgres.AdminConnectionString);
            admin.Open();
            using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_postgresDatabase} WITH (FORCE)", admin);
            drop.ExecuteNonQuery();
        }
        try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { }
    }
}

/// The PostgreSQL server the tests use: `scripts/test-postgres start` runs a throwaway cluster and
/// `.ci/run` exports its address in FAIRLABEL_TEST_POSTGRES.
public static class TestPostgres
{
    public static string AdminConnectionString =>
        Environment.GetEnvironmentVariable("FAIRLABEL_TEST_POSTGRES")
        ?? throw new InvalidOperationException(
            "FAIRLABEL_TEST_POSTGRES is not set: start the test cluster with `scripts/test-postgres start` " +
            "and export the connection string it prints (see README).");
}

public sealed class SqliteServer() : FairlabelServer(Engine.Sqlite);
public sealed class PostgresServer() : FairlabelServer(Engine.Postgres);
