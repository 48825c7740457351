using System.Collections.Concurrent;
using Fairlabel.Tests.Infrastructure;
using P = Fairlabel.Tests.Infrastructure.Projects;

namespace Fairlabel.Tests.Operations;

/// Two stateless nodes on one PostgreSQL database behave as one platform.
public sealed class MultiNodeTests
{
    [Fact]
    public async Task Two_nodes_share_the_work_without_breaking_an_invariant_and_one_node_dying_changes_nothing()
    {
        using var database = new ProcessDatabase(Engine.Postgres);
        await using var first = await ServerProcess.StartAsync(database.ServerArguments);
        var second = await ServerProcess.StartAsync(database.ServerArguments);
        const int items = 120, overlap = 3;
        var requester = await Api.SignUpAsync(first.Url, "requester");
        var projectId = await P.PublishedAsync(requester, items, P.Input(overlap: overlap, leaseSeconds: 10));
        var taskers = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Api.SignUpAsync(first.Url, "tasker")));

        // A tasker takes a task on the second node and walks away: only expiry can return it.
        var abandoned = await taskers[0].On(second.Url).PostJsonAsync($"/api/work/projects/{projectId}/tasks/next");

        var acknowledged = new ConcurrentDictionary<long, long>();
        var done = false;
        var work = Crowd.WorkAsync(taskers[1..], [first.Url, second.Url], projectId, acknowledged, () => Volatile.Read(ref done));
        // Half-way, the second node dies; the first takes over its duties (lease expiry included).
        while (acknowledged.Count < items * overlap / 2) await Task.Delay(20);
        second.KillHard();
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (await database.Settings.ScalarAsync($"SELECT count(*) FROM answers WHERE project_id = {projectId}") < items * overlap
               && DateTime.UtcNow < deadline)
            await Task.Delay(200);
        Volatile.Write(ref done, true);
        await work;
        await second.DisposeAsync();

        await Crowd.AssertInvariantsAsync(database.Settings, projectId, overlap, acknowledged);
        Assert.Equal(items * overlap, await database.Settings.ScalarAsync($"SELECT count(*) FROM answers WHERE project_id = {projectId}"));
        Assert.Equal("expired", await database.Settings.TextAsync(
            $"SELECT status FROM assignments WHERE id = {abandoned.GetProperty("assignmentId").GetInt64()}"));
        // Every answer but those in flight on the dying node was acknowledged to its client.
        Assert.True(acknowledged.Count >= items * overlap - 20);
    }
}
