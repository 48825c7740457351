using Fairlabel.Data;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace Fairlabel.Tests.Infrastructure;

public enum Engine { Sqlite, Postgres }

/// The real server in-process, on a fresh SQLite file or a fresh PostgreSQL database.
public class FairlabelServer : WebApplicationFactory<Program>
{
    public const long UploadLimit = 16 << 20;
    public Engine Engine { get; }
    public string DataDirectory { get; } = Directory.CreateTempSubdirectory("fairlabel-test-").FullName;
    public string ConnectionString { get; }
    readonly string? _postgresDatabase;
    readonly bool _ownsDatabase = true;

    public FairlabelServer(Engine engine = Engine.Sqlite)
    {
        Engine = engine;
        if (engine == Engine.Postgres)
        {
            (_postgresDatabase, ConnectionString) = TestPostgres.CreateDatabase();
        }
        else ConnectionString = "";
    }

    /// Another node on the database of <paramref name="sameDatabaseAs"/> (or the same node after a
    /// restart); the first server keeps the database and removes it when disposed.
    public FairlabelServer(FairlabelServer sameDatabaseAs)
    {
        Engine = sameDatabaseAs.Engine;
        DataDirectory = sameDatabaseAs.DataDirectory;
        ConnectionString = sameDatabaseAs.ConnectionString;
        _ownsDatabase = false;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("DataDirectory", DataDirectory);
        builder.UseSetting("Database:MigrateOnStart", "true");
        builder.UseSetting("Work:ExpirySweepInterval", "00:00:01");
        // Above every test's import, and small enough for a test to pass it.
        builder.UseSetting("Imports:MaxUploadBytes", UploadLimit.ToString());
        builder.ConfigureServices(s => s.AddSingleton<IStartupFilter, ClientAddressFromHeader>());
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
        if (!disposing || !_ownsDatabase) return;
        NpgsqlConnection.ClearAllPools();
        if (_postgresDatabase is not null) TestPostgres.DropDatabase(_postgresDatabase);
        try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { }
    }
}

/// The in-process server has no network: a test's browser says which address it comes from in a
/// header (<see cref="BrowserSession.Address"/>), so that what the server counts per client address
/// (rate limits, the login throttle) counts each browser apart, as behind real connections.
sealed class ClientAddressFromHeader : IStartupFilter
{
    public const string Header = "X-Test-Client-Address";

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, nextMiddleware) =>
        {
            if (IPAddress.TryParse(context.Request.Headers[Header], out var address)) context.Connection.RemoteIpAddress = address;
            return nextMiddleware(context);
        });
        next(app);
    };
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

    public static (string Name, string ConnectionString) CreateDatabase(string? admin = null)
    {
        admin ??= AdminConnectionString;
        var name = "fl_" + Guid.NewGuid().ToString("n")[..16];
        using var connection = new NpgsqlConnection(admin);
        connection.Open();
        using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        create.ExecuteNonQuery();
        return (name, new NpgsqlConnectionStringBuilder(admin) { Database = name }.ToString());
    }

    public static void DropDatabase(string name, string? admin = null)
    {
        NpgsqlConnection.ClearAllPools();
        using var connection = new NpgsqlConnection(admin ?? AdminConnectionString);
        connection.Open();
        using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", connection);
        drop.ExecuteNonQuery();
    }
}

/// A database for servers started as processes, with the arguments that point them at it.
public sealed class ProcessDatabase : IDisposable
{
    readonly string? _postgresName;
    public const long UploadLimit = 16 << 20;
    public Engine Engine { get; }
    public string DataDirectory { get; } = Directory.CreateTempSubdirectory("fairlabel-proc-").FullName;
    public string[] ServerArguments { get; }
    public DatabaseSettings Settings { get; }

    public ProcessDatabase(Engine engine)
    {
        Engine = engine;
        var config = new Dictionary<string, string?> { ["DataDirectory"] = DataDirectory };
        List<string> arguments = ["--data", DataDirectory, "--Database:MigrateOnStart", "true", "--Work:ExpirySweepInterval", "00:00:01"];
        if (engine == Engine.Postgres)
        {
            (_postgresName, var connectionString) = TestPostgres.CreateDatabase();
            config["Database:Provider"] = "postgres";
            config["ConnectionStrings:Fairlabel"] = connectionString;
            arguments.AddRange(["--Database:Provider", "postgres", "--ConnectionStrings:Fairlabel", connectionString]);
        }
        ServerArguments = [.. arguments];
        Settings = DatabaseSettings.FromConfiguration(new Microsoft.Extensions.Configuration.ConfigurationBuilder()
            .AddInMemoryCollection(config).Build());
    }

    public void Dispose()
    {
        if (_postgresName is not null) TestPostgres.DropDatabase(_postgresName);
        try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { }
    }
}

public sealed class SqliteServer() : FairlabelServer(Engine.Sqlite);
public sealed class PostgresServer() : FairlabelServer(Engine.Postgres);
