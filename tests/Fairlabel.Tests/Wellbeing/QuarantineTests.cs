using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fairlabel.Tests.Infrastructure;
using Fairlabel.Wellbeing;
using static Fairlabel.Tests.Infrastructure.Tasks;
using P = Fairlabel.Tests.Infrastructure.Projects;

namespace Fairlabel.Tests.Wellbeing;

/// Reporting content: the item leaves every queue at once, the requester decides, and the reporter
/// loses nothing.
public abstract class QuarantineTests<TServer>(TServer server) : IClassFixture<TServer> where TServer : FairlabelServer
{
    /// Items 1..n; the even ones flagged with violence (and item 2 with hate too).
    static string FlaggedLines(int count) =>
        string.Join("\n", Enumerable.Range(1, count).Select(i => JsonSerializer.Serialize(new
        {
            id = $"item-{i}",
            data = new { text = $"Sentence number {i}" },
            provenance = new
            {
                source = "tests", licence = "CC-BY-4.0", consentBasis = "synthetic",
                sensitivity = i == 2 ? new[] { "violence", "hate" } : i % 2 == 0 ? ["violence"] : Array.Empty<string>(),
            },
        })));

    /// A tasker who accepts the test items' categories: no one else is ever handed them (decision 0003).
    async Task<Api> OptedInTaskerAsync()
    {
        var tasker = await Api.SignUpAsync(server, "tasker");
        var optIn = await tasker.Http.PutAsJsonAsync("/api/me/profile", new { sensitivityOptIns = new[] { "violence", "hate" } });
        Assert.Equal(HttpStatusCode.OK, optIn.StatusCode);
        return tasker;
    }

    async Task<int> ProjectAsync(Api requester, int items, int overlap)
    {
        var id = await P.CreateAsync(requester, P.Input(overlap: overlap));
        Assert.Equal("succeeded", (await P.ImportAsync(requester, id, FlaggedLines(items))).GetProperty("status").GetString());
        await P.FundAsync(requester, 1_000_000m);
        await requester.PostJsonAsync($"/api/projects/{id}/publish");
        return id;
    }

    static string ExternalIdOf(JsonElement task) => task.GetProperty("data").GetProperty("text").GetString()!;

    [Fact]
    public async Task A_task_carries_its_items_sensitivity_categories_for_the_page_to_blur()
    {
        var requester = await Api.SignUpAsync(server, "requester");
        var tasker = await OptedInTaskerAsync();
        var id = await ProjectAsync(requester, 2, overlap: 1);
        var first = (await NextAsync(tasker, id))!.Value;
        var second = (await NextAsync(tasker, id))!.Value;
        Assert.Equal("Sentence number 1", ExternalIdOf(first));
        Assert.Empty(first.GetProperty("sensitivity").EnumerateArray());
        Assert.Equal(["violence", "hate"], second.GetProperty("sensitivity").EnumerateArray().Select(c => c.GetString()));
        // Resumed after a reload, too.
        var live = await tasker.GetJsonAsync($"/api/work/projects/{id}/tasks");
        Assert.Equal(["violence", "hate"], live.EnumerateArray().Single(t => AssignmentOf(t) == AssignmentOf(second))
            .GetProperty("sensitivity").EnumerateArray().Select(c => c.GetString()));
        var settings = await tasker.GetJsonAsync("/api/work/wellbeing");
        Assert.Equal(10, settings.GetProperty("breakAfterFlaggedItems").GetInt32());
        Assert.Contains("violence", settings.GetProperty("reportReasons").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public async Task A_reported_item_leaves_everyones_queue_at_once_and_the_report_costs_the_reporter_nothing()
    {
        var requester = await Api.SignUpAsync(server, "requester");
        var reporter = await OptedInTaskerAsync();
        var other = await OptedInTaskerAsync();
        var id = await ProjectAsync(requester, 1, overlap: 3);
        var task = (await NextAsync(reporter, id))!.Value;
        var itemId = task.GetProperty("itemId").GetInt64();

        var receipt = await reporter.PostJsonAsync($"/api/work/tasks/{AssignmentOf(task)}/report",
            new { reason = "violence", note = "<b>graphic</b> injury" });
        Assert.Equal("quarantined", receipt.GetProperty("status").GetString());
        Assert.False(receipt.GetProperty("duplicate").GetBoolean());
        // The other tasker, and the reporter, get nothing: the only item is out of the queue.
        Assert.Null(await NextAsync(other, id));
        Assert.Null(await NextAsync(reporter, id));
        // The reporter's lease ended as a skip: the slot is free, nothing counted against anyone.
        Assert.Equal("skipped", await server.TextAsync($"SELECT status FROM assignments WHERE id = {AssignmentOf(task)}"));
        Assert.Equal(0, await server.ScalarAsync($"SELECT leased + accepted FROM items WHERE id = {itemId}"));

        // A retry records nothing twice.
        var again = await reporter.PostJsonAsync($"/api/work/tasks/{AssignmentOf(task)}/report", new { reason = "violence" });
        Assert.True(again.GetProperty("duplicate").GetBoolean());
        Assert.Equal(1, await server.ScalarAsync($"SELECT count(*) FROM content_reports WHERE item_id = {itemId}"));

        // The requester sees the item and the report, never who made it; the export leaves it out.
        var listed = (await requester.GetJsonAsync($"/api/projects/{id}/quarantine")).EnumerateArray().Single();
        Assert.Equal(itemId, listed.GetProperty("itemId").GetInt64());
        var report = listed.GetProperty("reports").EnumerateArray().Single();
        Assert.Equal("<b>graphic</b> injury", report.GetProperty("note").GetString());
        Assert.False(report.TryGetProperty("taskerId", out _));
        Assert.DoesNotContain(reporter.Email, listed.GetRawText());
        var export = await requester.Http.GetStringAsync($"/api/projects/{id}/export?format=jsonl");
        Assert.DoesNotContain("Sentence number 1", export);

        // Released, it is handed out again — to the other tasker, and not to the reporter, who had it.
        var released = await requester.PostJsonAsync($"/api/projects/{id}/quarantine/{itemId}", new { decision = "release", note = "fine" });
        Assert.Equal("released", released.GetProperty("status").GetString());
        Assert.Null(await NextAsync(reporter, id));
        var back = (await NextAsync(other, id, askAgainWhenBusy: true))!.Value;
        Assert.Equal(itemId, back.GetProperty("itemId").GetInt64());
    }

    [Fact]
    public async Task A_removed_item_is_never_handed_out_again_nor_exported()
    {
        var requester = await Api.SignUpAsync(server, "requester");
        var reporter = await OptedInTaskerAsync();
        var other = await OptedInTaskerAsync();
        var id = await ProjectAsync(requester, 2, overlap: 2);
        var task = (await NextAsync(reporter, id))!.Value;
        var itemId = task.GetProperty("itemId").GetInt64();
        await reporter.PostJsonAsync($"/api/work/tasks/{AssignmentOf(task)}/report", new { reason = "other", note = "a real person's address" });

        var removed = await requester.PostJsonAsync($"/api/projects/{id}/quarantine/{itemId}", new { decision = "remove" });
        Assert.Equal("removed", removed.GetProperty("status").GetString());
        // The same decision again changes nothing; releasing a removed item is refused.
        Assert.False((await requester.PostJsonAsync($"/api/projects/{id}/quarantine/{itemId}", new { decision = "remove" }))
            .GetProperty("changed").GetBoolean());
        var refused = await requester.PostAsync($"/api/projects/{id}/quarantine/{itemId}", new { decision = "release" });
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);

        var handed = new List<long>();
        while (await NextAsync(other, id, askAgainWhenBusy: true) is { } t) handed.Add(t.GetProperty("itemId").GetInt64());
        Assert.DoesNotContain(itemId, handed);
        Assert.Single(handed);
        Assert.DoesNotContain("Sentence number 1\"", await requester.Http.GetStringAsync($"/api/projects/{id}/export?format=jsonl"));
    }

    [Fact]
    public async Task Bad_reports_and_decisions_name_the_field_and_change_nothing()
    {
        var requester = await Api.SignUpAsync(server, "requester");
        var stranger = await Api.SignUpAsync(server, "requester");
        var tasker = await OptedInTaskerAsync();
        var otherTasker = await OptedInTaskerAsync();
        var id = await ProjectAsync(requester, 1, overlap: 2);
        var task = (await NextAsync(tasker, id))!.Value;
        var url = $"/api/work/tasks/{AssignmentOf(task)}/report";

        foreach (var (body, field) in new (object, string)[]
                 {
                     (new { reason = "boring" }, "reason"), (new { note = "x" }, "reason"),
                     (new { reason = "other" }, "note"), (new { reason = "hate", note = new string('x', 1001) }, "note"),
                 })
        {
            var response = await tasker.PostAsync(url, body);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.True((await Api.ProblemOf(response)).GetProperty("errors").TryGetProperty(field, out _), field);
        }
        // Another tasker's task is not found.
        Assert.Equal(HttpStatusCode.NotFound, (await otherTasker.PostAsync(url, new { reason = "hate" })).StatusCode);
        Assert.Equal(0, await server.ScalarAsync($"SELECT count(*) FROM content_reports WHERE project_id = {id}"));
        Assert.Equal(0, await server.ScalarAsync($"SELECT count(*) FROM item_quarantines WHERE project_id = {id}"));
        Assert.Equal("leased", await server.TextAsync($"SELECT status FROM assignments WHERE id = {AssignmentOf(task)}"));

        await tasker.PostJsonAsync(url, new { reason = "hate" });
        var itemId = task.GetProperty("itemId").GetInt64();
        // Another organisation cannot see or decide; a missing decision is named.
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Http.GetAsync($"/api/projects/{id}/quarantine")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound,
            (await stranger.PostAsync($"/api/projects/{id}/quarantine/{itemId}", new { decision = "release" })).StatusCode);
        var missing = await requester.PostAsync($"/api/projects/{id}/quarantine/{itemId}", new { note = "?" });
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.True((await Api.ProblemOf(missing)).GetProperty("errors").TryGetProperty("decision", out _));
        Assert.Equal("quarantined", await server.TextAsync($"SELECT status FROM item_quarantines WHERE item_id = {itemId}"));
        // Taskers cannot decide.
        Assert.Equal(HttpStatusCode.Forbidden,
            (await tasker.PostAsync($"/api/projects/{id}/quarantine/{itemId}", new { decision = "release" })).StatusCode);
    }
}

public sealed class QuarantineOnSqlite(SqliteServer server) : QuarantineTests<SqliteServer>(server);
public sealed class QuarantineOnPostgres(PostgresServer server) : QuarantineTests<PostgresServer>(server);

/// The rule of decisions, on its own.
public sealed class QuarantineRulesTests
{
    [Theory]
    [InlineData("quarantined", Decision.Release, "released", null)]
    [InlineData("quarantined", Decision.Remove, "removed", null)]
    [InlineData("released", Decision.Release, null, null)]
    [InlineData("removed", Decision.Remove, null, null)]
    [InlineData("removed", Decision.Release, null, "removed")]
    [InlineData("released", Decision.Remove, null, "released")]
    public void A_decision_moves_a_waiting_item_only(string current, Decision decision, string? next, string? refusedBecause)
    {
        Assert.Equal(next, QuarantineRules.Next(current, decision, out var refusal));
        if (refusedBecause is null) Assert.Null(refusal);
        else Assert.Contains(refusedBecause, refusal);
    }
}
