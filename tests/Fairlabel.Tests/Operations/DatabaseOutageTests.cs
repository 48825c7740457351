using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Fairlabel.Tests.Infrastructure;
using Npgsql;
using P = Fairlabel.Tests.Infrastructure.Projects;

namespace Fairlabel.Tests.Operations;

/// The database goes away while the server runs: requests fail with 503 problem details, nothing
/// acknowledged is lost, and the server recovers by itself when the database is back.
public sealed class DatabaseOutageTests : IAsyncLifetime
{
    readonly string _directory = Path.Combine(Path.GetTempPath(), "fl-outage-" + Guid.NewGuid().ToString("n")[..8]);
    readonly int _port = ServerProcess.FreePort();
    string _admin = "";

    Task<string> ClusterAsync(string command) => Script(command, _directory, _port);

    static async Task<string> Script(string command, string directory, int port)
    {
        var start = new ProcessStartInfo(Path.Combine(ServerProcess.RepositoryRoot, "scripts", "test-postgres"), command)
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
        };
        start.Environment["FAIRLABEL_PG_DIR"] = directory;
        start.Environment["FAIRLABEL_PG_PORT"] = port.ToString();
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"scripts/test-postgres {command} failed: {error}");
        return output;
    }

    public async Task InitializeAsync()
    {
        var line = await ClusterAsync("start");
        _admin = line[(line.IndexOf('\'') + 1)..line.LastIndexOf('\'')];
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await ClusterAsync("stop");
    }

    [Fact]
    public async Task Requests_fail_with_503_while_the_database_is_down_and_work_resumes_after()
    {
        var (_, connectionString) = TestPostgres.CreateDatabase(_admin);
        await using var server = await ServerProcess.StartAsync(["--Database:Provider", "postgres",
            "--ConnectionStrings:Fairlabel", connectionString + ";Timeout=3", "--Database:MigrateOnStart", "true"]);
        var requester = await Api.SignUpAsync(server.Url, "requester");
        var tasker = await Api.SignUpAsync(server.Url, "tasker");
        var projectId = await P.PublishedAsync(requester, 5);
        var task = await tasker.PostJsonAsync($"/api/work/projects/{projectId}/tasks/next");
        var receipt = await tasker.PostJsonAsync($"/api/work/tasks/{task.GetProperty("assignmentId").GetInt64()}/submit", P.Answer());

        await ClusterAsync("halt");
        // A node hands out tasks from its blocks without asking the database (decision 0007): it
        // learns of the loss within a quarter of a second, and from then on answers 503.
        var during = await tasker.PostAsync($"/api/work/projects/{projectId}/tasks/next");
        for (var i = 0; i < 20 && during.StatusCode != HttpStatusCode.ServiceUnavailable; i++)
        {
            await Task.Delay(100);
            during = await tasker.PostAsync($"/api/work/projects/{projectId}/tasks/next");
        }
        Assert.Equal(HttpStatusCode.ServiceUnavailable, during.StatusCode);
        Assert.Equal("The database is unavailable", (await Api.ProblemOf(during)).GetProperty("title").GetString());
        // Requests refused during the outage must not count toward the tasker's limit of live tasks.
        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await tasker.PostAsync($"/api/work/projects/{projectId}/tasks/next")).StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await server.Url.GetAsync("/health/ready")).StatusCode);

        await ClusterAsync("resume");
        HttpResponseMessage after = during;
        for (var i = 0; i < 100 && after.StatusCode != HttpStatusCode.OK; i++)
        {
            await Task.Delay(200);
            after = await tasker.PostAsync($"/api/work/projects/{projectId}/tasks/next");
        }
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        var next = await after.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        await tasker.PostJsonAsync($"/api/work/tasks/{next.GetProperty("assignmentId").GetInt64()}/submit", P.Answer());
        // Once the database answers, every request does: no writer keeps a dead connection
        // (the node has two; each takes whatever request comes first).
        for (var i = 0; i < 3; i++)
        {
            var more = await tasker.PostJsonAsync($"/api/work/projects/{projectId}/tasks/next");
            await tasker.PostJsonAsync($"/api/work/tasks/{more.GetProperty("assignmentId").GetInt64()}/submit", P.Answer());
        }

        var answers = await requester.GetJsonAsync($"/api/projects/{projectId}/progress");
        Assert.Equal(5, answers.GetProperty("answers").GetInt32());
        Assert.True(receipt.GetProperty("answerId").GetInt64() > 0);
    }
}

static class UriExtensions
{
    public static Task<HttpResponseMessage> GetAsync(this Uri server, string path) =>
        new HttpClient { BaseAddress = server }.GetAsync(path);
}
