using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fairlabel.Tests.Infrastructure;

namespace Fairlabel.Tests.Operations;

/// `/health/live` while the process serves; `/health/ready` while the database answers and has
/// every migration. (A database that goes away: DatabaseOutageTests.)
public abstract class HealthTests<TServer>(TServer server) : IClassFixture<TServer> where TServer : FairlabelServer
{
    [Fact]
    public async Task A_serving_node_is_live_and_ready()
    {
        using var client = server.CreateClient();
        var live = await client.GetAsync("/health/live");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal("healthy", (await live.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());

        var ready = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var report = await ready.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("healthy", report.GetProperty("status").GetString());
        Assert.Equal("healthy", report.GetProperty("checks").GetProperty("database").GetString());
    }

    [Fact]
    public async Task A_database_missing_a_migration_is_not_ready_but_the_node_is_live()
    {
        using var client = server.CreateClient();
        var latest = await server.TextAsync("SELECT max(\"MigrationId\") FROM \"__EFMigrationsHistory\"");
        var version = await server.TextAsync($"SELECT \"ProductVersion\" FROM \"__EFMigrationsHistory\" WHERE \"MigrationId\" = '{latest}'");
        await server.ExecuteAsync($"DELETE FROM \"__EFMigrationsHistory\" WHERE \"MigrationId\" = '{latest}'");
        try
        {
            var ready = await client.GetAsync("/health/ready");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            var report = await ready.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("unhealthy", report.GetProperty("checks").GetProperty("database").GetString());
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        }
        finally
        {
            await server.ExecuteAsync($"INSERT INTO \"__EFMigrationsHistory\" VALUES ('{latest}', '{version}')");
        }
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
    }
}

public sealed class HealthOnSqlite(SqliteServer server) : HealthTests<SqliteServer>(server);
public sealed class HealthOnPostgres(PostgresServer server) : HealthTests<PostgresServer>(server);
