using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fairlabel.Tests.Infrastructure;
using Fairlabel.Work;
using static Fairlabel.Tests.Infrastructure.Tasks;
using P = Fairlabel.Tests.Infrastructure.Projects;

namespace Fairlabel.Tests.Work;

/// "Submit and take the next task" in one request (decision 0008). A class of its own, so its
/// sign-ups have a server (and a sign-up rate limit) of their own.
public abstract class SubmitAndNextTests<TServer>(TServer server) : IClassFixture<TServer> where TServer : FairlabelServer
{
    [Fact]
    public async Task Submit_and_next_stores_the_answer_and_brings_the_next_task_until_none_is_left()
    {
        var requester = await Api.SignUpAsync(server, "requester");
        var tasker = await Api.SignUpAsync(server, "tasker");
        var id = await P.PublishedAsync(requester, 3);
        var task = (await NextAsync(tasker, id))!.Value;
        var items = new List<long> { task.GetProperty("itemId").GetInt64() };
        while (true)
        {
            var reply = await tasker.PostJsonAsync($"/api/work/tasks/{AssignmentOf(task)}/submit-and-next", P.Answer("neg"));
            var submitted = reply.GetProperty("submitted");
            Assert.Equal(AssignmentOf(task), submitted.GetProperty("assignmentId").GetInt64());
            Assert.False(submitted.GetProperty("duplicate").GetBoolean());
            Assert.Equal("submitted", await server.TextAsync($"SELECT status FROM assignments WHERE id = {AssignmentOf(task)}"));
            if (reply.GetProperty("next").ValueKind == JsonValueKind.Null)
            {
                Assert.Equal("none-left", reply.GetProperty("nextState").GetString());
                break;
            }
            Assert.Equal("leased", reply.GetProperty("nextState").GetString());
            task = reply.GetProperty("next");
            Assert.Equal(id, task.GetProperty("projectId").GetInt32());
            Assert.Equal(JsonValueKind.Object, task.GetProperty("data").ValueKind);
            items.Add(task.GetProperty("itemId").GetInt64());
        }
        Assert.Equal(3, items.Distinct().Count());
        Assert.Equal(3, await server.ScalarAsync(
            $"SELECT count(*) FROM answers a JOIN assignments s ON s.id = a.assignment_id WHERE s.project_id = {id} AND s.tasker_id = {tasker.UserId}"));
        Assert.Equal(0, (await tasker.GetJsonAsync($"/api/work/projects/{id}/tasks")).GetArrayLength());
    }

    [Fact]
    public async Task A_retried_submit_and_next_returns_the_task_the_lost_reply_carried_not_a_second_one()
    {
        var requester = await Api.SignUpAsync(server, "requester");
        var tasker = await Api.SignUpAsync(server, "tasker");
        var id = await P.PublishedAsync(requester, 5);
        var first = AssignmentOf((await NextAsync(tasker, id))!.Value);
        async Task<JsonElement> SendAsync()
        {
            var request = new HttpRequestMessage(HttpMethod.Post, $"/api/work/tasks/{first}/submit-and-next")
                { Content = JsonContent.Create(P.Answer("neg")) };
            request.Headers.Add("Idempotency-Key", "lost-reply");
            var response = await tasker.Http.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return await response.Content.ReadFromJsonAsync<JsonElement>();
        }

        var original = await SendAsync();
        var retry = await SendAsync(); // the tasker never saw the first reply
        Assert.True(retry.GetProperty("submitted").GetProperty("duplicate").GetBoolean());
        Assert.Equal(original.GetProperty("submitted").GetProperty("answerId").GetInt64(),
            retry.GetProperty("submitted").GetProperty("answerId").GetInt64());
        Assert.Equal(AssignmentOf(original.GetProperty("next")), AssignmentOf(retry.GetProperty("next")));
        Assert.Equal(1, (await tasker.GetJsonAsync($"/api/work/projects/{id}/tasks")).GetArrayLength());
        Assert.Equal(1, await server.ScalarAsync($"SELECT count(*) FROM answers WHERE assignment_id = {first}"));
    }

    [Fact]
    public async Task A_refused_submit_and_next_takes_no_task()
    {
        var requester = await Api.SignUpAsync(server, "requester");
        var tasker = await Api.SignUpAsync(server, "tasker");
        var other = await Api.SignUpAsync(server, "tasker");
        var id = await P.PublishedAsync(requester, 5);
        var held = AssignmentOf((await NextAsync(tasker, id))!.Value);
        var url = $"/api/work/tasks/{held}/submit-and-next";

        var invalid = await tasker.PostAsync(url, new { answer = new { category = "maybe" } });
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.True((await Api.ProblemOf(invalid)).GetProperty("errors").TryGetProperty("answer.category", out _));
        var badTime = await tasker.PostAsync(url, new { answer = new { category = "pos" }, activeSeconds = -1 });
        Assert.True((await Api.ProblemOf(badTime)).GetProperty("errors").TryGetProperty("activeSeconds", out _));
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsync(url, P.Answer())).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await tasker.PostAsync($"/api/work/tasks/{held}/skip")).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await tasker.PostAsync(url, P.Answer())).StatusCode);

        Assert.Equal(0, (await tasker.GetJsonAsync($"/api/work/projects/{id}/tasks")).GetArrayLength());
        Assert.Equal(0, (await other.GetJsonAsync($"/api/work/projects/{id}/tasks")).GetArrayLength());
        Assert.Equal(0, await server.ScalarAsync($"SELECT count(*) FROM answers WHERE project_id = {id}"));
    }

    [Fact]
    public async Task Submit_and_next_for_an_expired_lease_counts_the_answer_once_if_its_slot_is_free_else_takes_no_task()
    {
        var requester = await Api.SignUpAsync(server, "requester");
        var tasker = await Api.SignUpAsync(server, "tasker");
        var quick = await Api.SignUpAsync(server, "tasker");
        var id = await P.PublishedAsync(requester, 3, P.Input(overlap: 1, leaseSeconds: 10));
        var late = await server.WrittenAsync((await NextAsync(tasker, id))!.Value);
        var lost = await server.WrittenAsync((await NextAsync(tasker, id))!.Value);
        await server.RunOutAsync($"tasker_id = {tasker.UserId}");
        // This node still remembers both leases as live: the write finds them expired.

        // The first one's slot is still free: the late answer counts, and the next task comes with it.
        var reply = await tasker.PostJsonAsync($"/api/work/tasks/{AssignmentOf(late)}/submit-and-next", P.Answer());
        Assert.False(reply.GetProperty("submitted").GetProperty("duplicate").GetBoolean());
        Assert.Equal("leased", reply.GetProperty("nextState").GetString());
        Assert.Equal(1, await server.ScalarAsync($"SELECT accepted FROM items WHERE id = {late.GetProperty("itemId").GetInt64()}"));
        var next = reply.GetProperty("next");
        Assert.NotEqual(late.GetProperty("itemId").GetInt64(), next.GetProperty("itemId").GetInt64());
        await tasker.PostJsonAsync($"/api/work/tasks/{AssignmentOf(next)}/submit", P.Answer());

        // The second one's slot went to someone else: refused, and no task is taken with it.
        var retaken = (await NextAsync(quick, id))!.Value;
        Assert.Equal(lost.GetProperty("itemId").GetInt64(), retaken.GetProperty("itemId").GetInt64());
        var refused = await tasker.PostAsync($"/api/work/tasks/{AssignmentOf(lost)}/submit-and-next", P.Answer());
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal(0, (await tasker.GetJsonAsync($"/api/work/projects/{id}/tasks")).GetArrayLength());
        Assert.Equal(0, await server.ScalarAsync($"SELECT count(*) FROM answers WHERE assignment_id = {AssignmentOf(lost)}"));
    }

    [Fact]
    public async Task Submit_and_next_keeps_a_prefetched_task_and_leases_another_within_the_limit()
    {
        var requester = await Api.SignUpAsync(server, "requester");
        var tasker = await Api.SignUpAsync(server, "tasker");
        var id = await P.PublishedAsync(requester, 5);
        var shown = AssignmentOf((await NextAsync(tasker, id))!.Value);
        var prefetched = AssignmentOf((await NextAsync(tasker, id))!.Value);

        var reply = await tasker.PostJsonAsync($"/api/work/tasks/{shown}/submit-and-next", P.Answer());
        var next = AssignmentOf(await server.WrittenAsync(reply.GetProperty("next")));
        Assert.NotEqual(prefetched, next);
        var live = (await tasker.GetJsonAsync($"/api/work/projects/{id}/tasks")).EnumerateArray().Select(AssignmentOf).ToList();
        Assert.Equal([prefetched, next], live);
    }

    [Fact]
    public async Task Under_concurrent_load_submit_and_next_keeps_every_invariant()
    {
        const int items = 40, overlap = 3, taskers = 12;
        var requester = await Api.SignUpAsync(server, "requester");
        var id = await P.PublishedAsync(requester, items, P.Input(overlap: overlap));
        var crowd = await Task.WhenAll(Enumerable.Range(0, taskers).Select(_ => Api.SignUpAsync(server, "tasker")));
        var acknowledged = new ConcurrentBag<long>();

        // Two lanes per tasker, like the task page's shown and prefetched tasks, each answering
        // with submit-and-next until no work is left.
        await Task.WhenAll(crowd.SelectMany(tasker => Enumerable.Range(0, 2).Select(async _ =>
        {
            var task = await NextAsync(tasker, id, askAgainWhenBusy: true);
            while (task is { } current)
            {
                var reply = await tasker.PostJsonAsync($"/api/work/tasks/{AssignmentOf(current)}/submit-and-next", P.Answer());
                acknowledged.Add(reply.GetProperty("submitted").GetProperty("answerId").GetInt64());
                task = reply.GetProperty("nextState").GetString() switch
                {
                    "leased" => reply.GetProperty("next"),
                    "ask-again" => await NextAsync(tasker, id, askAgainWhenBusy: true),
                    _ => null,
                };
            }
        })));

        Assert.Empty(await server.RowsAsync(
            $"SELECT item_id, tasker_id FROM assignments WHERE project_id = {id} GROUP BY item_id, tasker_id HAVING count(*) > 1"));
        Assert.Empty(await server.RowsAsync(
            $"SELECT item_id FROM answers WHERE project_id = {id} GROUP BY item_id HAVING count(*) > {overlap}"));
        Assert.Equal(items * overlap, await server.ScalarAsync($"SELECT count(*) FROM answers WHERE project_id = {id}"));
        Assert.Equal(items * overlap, acknowledged.Distinct().Count());
        Assert.Equal(0, await server.ScalarAsync($"SELECT count(*) FROM items WHERE project_id = {id} AND (accepted <> {overlap} OR leased <> 0)"));
        Assert.Equal(0, await server.ScalarAsync($"SELECT count(*) FROM assignments WHERE project_id = {id} AND status = 'leased'"));
    }
}

public sealed class SubmitAndNextOnSqlite(SqliteServer server) : SubmitAndNextTests<SqliteServer>(server);
public sealed class SubmitAndNextOnPostgres(PostgresServer server) : SubmitAndNextTests<PostgresServer>(server);
