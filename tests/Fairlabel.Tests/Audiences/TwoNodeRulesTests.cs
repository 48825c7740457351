using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fairlabel.Tests.Infrastructure;
using P = Fairlabel.Tests.Infrastructure.Projects;

namespace Fairlabel.Tests.Audiences;

/// The rules hold on two nodes sharing one PostgreSQL database, checked in the database afterwards.
public sealed class TwoNodeRulesTests
{
    [Fact]
    public async Task On_two_nodes_no_tasker_is_ever_handed_an_item_of_a_category_they_did_not_opt_in_to()
    {
        using var database = new ProcessDatabase(Engine.Postgres);
        await using var first = await ServerProcess.StartAsync(database.ServerArguments);
        await using var second = await ServerProcess.StartAsync(database.ServerArguments);
        const int items = 300, overlap = 2;
        var requester = await Api.SignUpAsync(first.Url, "requester");
        // One item in ten is violent, one in ten medical: 20 % flagged, in two categories.
        var lines = string.Join("\n", Enumerable.Range(1, items).Select(i => JsonSerializer.Serialize(new
        {
            id = $"item-{i}", data = new { text = $"Sentence {i}" },
            provenance = new
            {
                source = "tests", licence = "CC-BY-4.0", consentBasis = "synthetic",
                sensitivity = (i % 10) switch { 0 => new[] { "violence" }, 5 => new[] { "medical" }, _ => [] },
            },
        })));
        var projectId = await P.CreateAsync(requester, P.Input(overlap: overlap));
        Assert.Equal("succeeded", (await P.ImportAsync(requester, projectId, lines)).GetProperty("status").GetString());
        await P.FundAsync(requester, 1_000_000m);
        await requester.PostJsonAsync($"/api/projects/{projectId}/publish");
        var audience = await requester.Http.PutAsJsonAsync($"/api/projects/{projectId}/audience", new { countryMode = "deny", countries = new[] { "UG" } });
        Assert.Equal(HttpStatusCode.OK, audience.StatusCode);

        var taskers = await Task.WhenAll(Enumerable.Range(0, 14).Select(_ => Api.SignUpAsync(first.Url, "tasker")));
        // 0-4 accept both categories, 5-6 violence only, 7-11 none, 12-13 are in a country the project refuses.
        string[] OptInsOf(int n) => n < 5 ? ["medical", "violence"] : n < 7 ? ["violence"] : [];
        for (var n = 0; n < taskers.Length; n++)
        {
            var profile = await taskers[n].Http.PutAsJsonAsync("/api/me/profile",
                new { country = n >= 12 ? "UG" : n % 2 == 0 ? "KE" : "TZ", languages = new[] { "en", "sw" }, sensitivityOptIns = OptInsOf(n) });
            Assert.Equal(HttpStatusCode.OK, profile.StatusCode);
        }

        var acknowledged = new ConcurrentDictionary<long, long>();
        var done = false;
        var work = Crowd.WorkAsync(taskers, [first.Url, second.Url], projectId, acknowledged, () => Volatile.Read(ref done));
        // Half-way, tasker 0 withdraws their opt-ins, through the first node.
        while (acknowledged.Count < items * overlap / 2) await Task.Delay(20);
        var withdrawn = await taskers[0].Http.PutAsJsonAsync("/api/me/profile", new { sensitivityOptIns = Array.Empty<string>() });
        Assert.Equal(HttpStatusCode.OK, withdrawn.StatusCode);
        var withdrawnAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (await database.Settings.ScalarAsync($"SELECT count(*) FROM answers WHERE project_id = {projectId}") < items * overlap
               && DateTime.UtcNow < deadline)
            await Task.Delay(200);
        Volatile.Write(ref done, true);
        await work;

        await Crowd.AssertInvariantsAsync(database.Settings, projectId, overlap, acknowledged);
        Assert.Equal(items * overlap, await database.Settings.ScalarAsync($"SELECT count(*) FROM answers WHERE project_id = {projectId}"));
        var handed = await database.Settings.RowsAsync(
            "SELECT a.tasker_id, CASE i.sensitivity WHEN '' THEN 0 WHEN 'violence' THEN 1 ELSE 2 END, a.leased_at " +
            $"FROM assignments a JOIN items i ON i.id = a.item_id WHERE a.project_id = {projectId}");
        for (var n = 0; n < taskers.Length; n++)
        {
            var mine = handed.Where(r => r[0] == taskers[n].UserId).ToList();
            if (n >= 12) Assert.Empty(mine);   // outside the audience: nothing, on either node
            if (n >= 7) Assert.DoesNotContain(mine, r => r[1] != 0);
            else if (n >= 5) Assert.DoesNotContain(mine, r => r[1] == 2);
        }
        // The withdrawal reached both nodes within the second the profile is cached for.
        Assert.DoesNotContain(handed, r => r[0] == taskers[0].UserId && r[1] != 0 && r[2] > withdrawnAt + 1100);
        Assert.Contains(handed, r => r[1] == 2);   // the medical items did go out, to those who accept them
    }

    // A change of audience taken by one node reaches the other's next hand-out within the second
    // the project's rules are cached for.
    [Fact]
    public async Task An_audience_changed_through_one_node_refuses_the_next_task_on_the_other_within_a_second()
    {
        using var database = new ProcessDatabase(Engine.Postgres);
        await using var first = await ServerProcess.StartAsync(database.ServerArguments);
        await using var second = await ServerProcess.StartAsync(database.ServerArguments);
        var requester = await Api.SignUpAsync(first.Url, "requester");
        // Enough items that the tasker cannot run out of work before the change arrives.
        var projectId = await P.PublishedAsync(requester, 200);
        var tasker = (await Api.SignUpAsync(first.Url, "tasker")).On(second.Url);   // in KE
        var task = await tasker.PostJsonAsync($"/api/work/projects/{projectId}/tasks/next");
        await tasker.PostJsonAsync($"/api/work/tasks/{task.GetProperty("assignmentId").GetInt64()}/submit", P.Answer());

        var changed = await requester.Http.PutAsJsonAsync($"/api/projects/{projectId}/audience", new { countryMode = "deny", countries = new[] { "KE" } });
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        var at = System.Diagnostics.Stopwatch.StartNew();
        HttpResponseMessage next;
        while ((next = await tasker.PostAsync($"/api/work/projects/{projectId}/tasks/next")).StatusCode == HttpStatusCode.OK)
        {
            await tasker.PostJsonAsync($"/api/work/tasks/{(await next.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("assignmentId").GetInt64()}/submit", P.Answer());
            await Task.Delay(50);
        }
        Assert.Equal(HttpStatusCode.Forbidden, next.StatusCode);
        Assert.Equal("country", (await Api.ProblemOf(next)).GetProperty("rule").GetString());
        Assert.InRange(at.ElapsedMilliseconds, 0, 1500);
    }
}
