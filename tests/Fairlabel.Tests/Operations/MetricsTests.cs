using System.Globalization;
using System.Net;
using Fairlabel.Infrastructure;
using Fairlabel.Tests.Infrastructure;
using static Fairlabel.Tests.Infrastructure.Tasks;
using P = Fairlabel.Tests.Infrastructure.Projects;

namespace Fairlabel.Tests.Operations;

/// `/metrics` shows the work loop's own counters, the imports' and exports', and the framework's
/// (ASP.NET Core, the .NET runtime). The server runs in a process of its own, so that the counts
/// are its alone: in one process, a meter provider also sees the other servers' meters of the same name.
public abstract class MetricsTests(Engine engine)
{
    [Fact]
    public async Task The_scrape_counts_hand_outs_submissions_skips_expiries_imports_and_exports()
    {
        using var database = new ProcessDatabase(engine);
        await using var server = await ServerProcess.StartAsync([.. database.ServerArguments, "--" + Observability.PrometheusSetting, "true"]);
        var requester = await Api.SignUpAsync(server.Url, "requester");
        var tasker = await Api.SignUpAsync(server.Url, "tasker");
        var id = await P.PublishedAsync(requester, 6, P.Input(overlap: 1));
        var failed = await P.ImportAsync(requester, id, "{not json", "broken.jsonl");
        Assert.Equal("failed", failed.GetProperty("status").GetString());

        // Two cycles through submit, one through submit-and-next, a retried submission, a skip.
        var first = (await NextAsync(tasker, id))!.Value;
        await tasker.PostJsonAsync($"/api/work/tasks/{AssignmentOf(first)}/submit", P.Answer());
        await tasker.PostJsonAsync($"/api/work/tasks/{AssignmentOf(first)}/submit", P.Answer());
        var second = (await NextAsync(tasker, id))!.Value;
        var third = (await tasker.PostJsonAsync($"/api/work/tasks/{AssignmentOf(second)}/submit-and-next", P.Answer()))
            .GetProperty("next");
        await tasker.PostJsonAsync($"/api/work/tasks/{AssignmentOf(third)}/skip");
        var abandoned = AssignmentOf((await NextAsync(tasker, id))!.Value);
        await database.Settings.UntilAsync($"SELECT count(*) FROM assignments WHERE id = {abandoned}", 1);
        await database.Settings.RunOutAsync($"id = {abandoned}");

        var export = await requester.Http.GetAsync($"/api/projects/{id}/export?format=jsonl");
        var exported = (await export.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;

        var scrape = await ScrapeUntilAsync(server.Url, "fairlabel_leases_expired_total", 1);
        Assert.Equal(4, Counter(scrape, "fairlabel_leases_handed_out_total"));
        Assert.Equal(2, Counter(scrape, "fairlabel_answers_submitted_total"));
        Assert.Equal(1, Counter(scrape, "fairlabel_answers_resubmitted_total"));
        Assert.Equal(1, Counter(scrape, "fairlabel_leases_skipped_total"));
        Assert.Equal(1, Counter(scrape, "fairlabel_leases_expired_total"));
        Assert.Equal(1, Counter(scrape, "fairlabel_imports_succeeded_total"));
        Assert.Equal(1, Counter(scrape, "fairlabel_imports_failed_total"));
        Assert.Equal(6, Counter(scrape, "fairlabel_imports_rows_total"));
        Assert.Equal(1, Counter(scrape, "fairlabel_exports_total"));
        Assert.Equal(exported, Counter(scrape, "fairlabel_exports_rows_total"));
        // The framework's own instruments are there beside them.
        Assert.Contains("\nhttp_server_request_duration_seconds_bucket{", scrape);
        Assert.Contains("\ndotnet_gc_collections_total{", scrape);
        if (engine == Engine.Postgres) Assert.Contains("\ndb_client_operation_duration_seconds_bucket{", scrape);
    }

    /// Scrapes until the counter reaches <paramref name="expected"/>: the lease sweep counts its
    /// leases a moment after their rows change, and a scrape may be served from the exporter's
    /// cache of the last one (300 ms).
    static async Task<string> ScrapeUntilAsync(Uri server, string counter, long expected)
    {
        for (var waited = 0; ; waited += 100)
        {
            var response = await server.GetAsync(Observability.MetricsPath);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
            var scrape = "\n" + await response.Content.ReadAsStringAsync();
            if (Counter(scrape, counter) == expected || waited > 10_000) return scrape;
            await Task.Delay(100);
        }
    }

    /// The value of a counter in the scrape, summed over its label sets; 0 when it is absent.
    static long Counter(string scrape, string name) => scrape.Split('\n')
        .Where(line => line.StartsWith(name + "{", StringComparison.Ordinal) || line.StartsWith(name + " ", StringComparison.Ordinal))
        .Sum(line => long.Parse(line[(line.LastIndexOf('}') is var end and >= 0 ? end + 1 : name.Length)..].Trim().Split(' ')[0],
            CultureInfo.InvariantCulture));
}

public sealed class MetricsOnSqlite() : MetricsTests(Engine.Sqlite);
public sealed class MetricsOnPostgres() : MetricsTests(Engine.Postgres);

/// Without the setting, nothing is exported and /metrics is no scrape endpoint.
public abstract class MetricsOffTests<TServer>(TServer server) : IClassFixture<TServer> where TServer : FairlabelServer
{
    [Fact]
    public async Task By_default_there_is_no_scrape_endpoint()
    {
        var response = await server.CreateClient().GetAsync(Observability.MetricsPath);
        Assert.DoesNotContain("# TYPE ", await response.Content.ReadAsStringAsync());
    }
}

public sealed class MetricsOffOnSqlite(SqliteServer server) : MetricsOffTests<SqliteServer>(server);
public sealed class MetricsOffOnPostgres(PostgresServer server) : MetricsOffTests<PostgresServer>(server);
