using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Fairlabel.Tests.Infrastructure;

/// Simulated taskers working a project concurrently over real HTTP.
public static class Crowd
{
    /// Each tasker loops next → submit until <paramref name="stop"/> says so. Every acknowledged
    /// submission is recorded (assignment → answer id). Request <c>n</c> of a tasker goes to
    /// <c>nodes[n % nodes.Count]</c>, so with two nodes every tasker alternates between them.
    public static Task WorkAsync(IReadOnlyList<Api> taskers, IReadOnlyList<Uri> nodes, int projectId,
        ConcurrentDictionary<long, long> acknowledged, Func<bool> stop) =>
        Task.WhenAll(taskers.Select(tasker => Task.Run(async () =>
        {
            var clients = nodes.Select(tasker.On).Select(a => a.Http).ToList();
            var n = 0;
            while (!stop())
            {
                try
                {
                    var next = await clients[n++ % clients.Count].PostAsJsonAsync($"/api/work/projects/{projectId}/tasks/next", new { });
                    if (next.StatusCode != HttpStatusCode.OK)
                    {
                        await Task.Delay(100);
                        continue;
                    }
                    var assignment = (await next.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("assignmentId").GetInt64();
                    // Like the task page: retry the submission with the same key until it is answered.
                    while (!stop())
                    {
                        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/work/tasks/{assignment}/submit")
                        {
                            Content = JsonContent.Create(Projects.Answer()),
                        };
                        request.Headers.Add("Idempotency-Key", $"a-{assignment}");
                        try
                        {
                            var submit = await clients[n++ % clients.Count].SendAsync(request);
                            if (submit.StatusCode == HttpStatusCode.OK)
                                acknowledged[assignment] = (await submit.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("answerId").GetInt64();
                            if ((int)submit.StatusCode < 500) break;
                        }
                        catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { }
                        await Task.Delay(50);
                    }
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
                {
                    await Task.Delay(50); // the node is down or restarting; keep trying like a real client
                }
            }
        })));

    /// Checks the work loop's invariants in the database itself.
    public static async Task AssertInvariantsAsync(Fairlabel.Data.DatabaseSettings database, int projectId, int overlap,
        IReadOnlyDictionary<long, long> acknowledged)
    {
        Assert.Empty(await database.RowsAsync(
            $"SELECT item_id, tasker_id FROM assignments WHERE project_id = {projectId} GROUP BY item_id, tasker_id HAVING count(*) > 1"));
        Assert.Empty(await database.RowsAsync(
            $"SELECT item_id FROM answers WHERE project_id = {projectId} GROUP BY item_id HAVING count(*) > {overlap}"));
        Assert.Empty(await database.RowsAsync(
            $"SELECT assignment_id FROM answers WHERE project_id = {projectId} GROUP BY assignment_id HAVING count(*) > 1"));
        // Every acknowledged submission is stored, under the answer id the client was given.
        var stored = (await database.RowsAsync($"SELECT assignment_id, id FROM answers WHERE project_id = {projectId}"))
            .ToDictionary(r => r[0], r => r[1]);
        foreach (var (assignment, answer) in acknowledged)
        {
            Assert.True(stored.TryGetValue(assignment, out var id), $"acknowledged answer for assignment {assignment} was lost");
            Assert.Equal(answer, id);
        }
        // The counters agree with the rows they summarise.
        Assert.Empty(await database.RowsAsync(
            $"SELECT i.id FROM items i WHERE i.project_id = {projectId} AND (i.accepted <> " +
            "(SELECT count(*) FROM answers a WHERE a.item_id = i.id) OR i.leased <> " +
            "(SELECT count(*) FROM assignments s WHERE s.item_id = i.id AND s.status = 'leased'))"));
    }
}
