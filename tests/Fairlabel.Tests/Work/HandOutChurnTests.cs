using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fairlabel.Tests.Infrastructure;
using Fairlabel.Work;
using Microsoft.AspNetCore.Hosting;
using static Fairlabel.Tests.Infrastructure.Tasks;
using P = Fairlabel.Tests.Infrastructure.Projects;

namespace Fairlabel.Tests.Work;

/// The hand-out while leases end all the time: skips, abandoned tasks whose short leases expire,
/// and blocks of items taken again with some of their items' slots all leased.
public abstract class HandOutChurnTests<TServer>(TServer server) : IClassFixture<TServer> where TServer : FairlabelServer
{
    // A block taken again read only the items with a free slot, so an item whose slots were all
    // leased had no data in the pool; when one of those leases ended (skip or expiry) the slot came
    // back without it, and the next hand-out of the item failed with 500 (ArgumentNullException
    // 'json'), in submit-and-next after the answer was stored.
    [Fact]
    public async Task A_lease_ending_on_an_item_fully_leased_when_its_block_was_taken_again_hands_it_out_with_its_data()
    {
        var requester = await Api.SignUpAsync(server, "requester");
        var (first, second, third) = (await Api.SignUpAsync(server, "tasker"), await Api.SignUpAsync(server, "tasker"),
            await Api.SignUpAsync(server, "tasker"));
        var id = await P.PublishedAsync(requester, 3, P.Input(overlap: 1));
        var firstTask = await server.WrittenAsync((await NextAsync(first, id))!.Value);

        // No lease comes from the block for 2 s: the node gives it back, item 1's only slot leased.
        var pool = await server.Service<TaskPools>().GetAsync(id, 1);
        for (var waited = 0; pool.HoldsAny; waited += 50)
        {
            Assert.True(waited < 10_000, "the idle block was not given back");
            await Task.Delay(50);
        }

        // Taking the block again, for the second tasker; then item 1's lease ends.
        var secondTask = await server.WrittenAsync((await NextAsync(second, id))!.Value);
        Assert.NotEqual(firstTask.GetProperty("itemId").GetInt64(), secondTask.GetProperty("itemId").GetInt64());
        Assert.Equal(HttpStatusCode.NoContent, (await first.PostAsync($"/api/work/tasks/{AssignmentOf(firstTask)}/skip")).StatusCode);

        // The second tasker's answer is stored and the freed item is the next task, with its data.
        var reply = await second.PostAsync($"/api/work/tasks/{AssignmentOf(secondTask)}/submit-and-next", P.Answer());
        Assert.Equal(HttpStatusCode.OK, reply.StatusCode);
        var next = (await reply.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("next");
        Assert.Equal(firstTask.GetProperty("itemId").GetInt64(), next.GetProperty("itemId").GetInt64());
        Assert.Equal("Sentence number 1", next.GetProperty("data").GetProperty("text").GetString());
        Assert.NotNull(await NextAsync(third, id));
    }

    // The probe's mix that found the 500s: 50 taskers on 300 items (k = 3) with short leases, who
    // skip 10 % of their tasks and abandon 5 %, half answering with submit-and-next.
    [Fact]
    public async Task Under_skips_abandoned_tasks_and_short_leases_no_request_fails_and_every_invariant_holds()
    {
        const int items = 300, overlap = 3, taskers = 50;
        var requester = await Api.SignUpAsync(server, "requester");
        var id = await P.PublishedAsync(requester, items, P.Input(overlap: overlap, leaseSeconds: 10));
        var crowd = await Task.WhenAll(Enumerable.Range(0, taskers).Select(_ => Api.SignUpAsync(server, "tasker")));
        var failures = new ConcurrentQueue<string>();
        var acknowledged = new ConcurrentDictionary<long, long>();
        var given = new ConcurrentDictionary<(int Tasker, long Item), ConcurrentQueue<long>>();
        var running = System.Diagnostics.Stopwatch.StartNew();
        var stop = () => running.Elapsed > TimeSpan.FromSeconds(20);

        await Task.WhenAll(crowd.Select((tasker, n) => Task.Run(() =>
            new ChurningTasker(tasker, id, new Random(n), failures, acknowledged, given).WorkAsync(stop))));
        await Task.Delay(500); // the last leases handed out are written

        Assert.Empty(failures);
        foreach (var ((who, item), leases) in given.Where(g => g.Value.Count > 1))
            Assert.Fail($"tasker {who} was given item {item} {leases.Count} times, as assignments {string.Join(", ", leases)}");
        await Crowd.AssertInvariantsAsync(server.Database, id, overlap, acknowledged);
        Assert.True(acknowledged.Count > items, $"only {acknowledged.Count} answers in the run");
        Assert.True(await server.ScalarAsync($"SELECT count(*) FROM assignments WHERE project_id = {id} AND status = 'expired'") > 0);
    }

    /// One simulated tasker of the mix. A failure is any 5xx but the documented "ask again" (503
    /// with Retry-After), and any reply that does not fit what was asked.
    sealed class ChurningTasker(Api tasker, int projectId, Random random, ConcurrentQueue<string> failures,
        ConcurrentDictionary<long, long> acknowledged, ConcurrentDictionary<(int, long), ConcurrentQueue<long>> given)
    {
        public async Task WorkAsync(Func<bool> stop)
        {
            JsonElement? task = null;
            while (!stop())
            {
                task ??= await NextAsync();
                if (task is not { } current)
                {
                    await Task.Delay(200); // none left for now, the limit reached, or ask again
                    continue;
                }
                var roll = random.NextDouble();
                var assignment = AssignmentOf(current);
                if (roll < 0.05) task = null; // abandoned: the lease runs out
                else if (roll < 0.15)
                {
                    Check(await tasker.PostAsync($"/api/work/tasks/{assignment}/skip"), "skip", HttpStatusCode.NoContent);
                    task = null;
                }
                else if (roll < 0.55) task = await SubmitAsync(assignment, andNext: true);
                else task = await SubmitAsync(assignment, andNext: false);
            }
        }

        async Task<JsonElement?> NextAsync()
        {
            var response = await tasker.PostAsync($"/api/work/projects/{projectId}/tasks/next");
            if (!Check(response, "next", HttpStatusCode.OK, HttpStatusCode.NoContent, HttpStatusCode.Conflict)) return null;
            return response.StatusCode == HttpStatusCode.OK ? Given(await response.Content.ReadFromJsonAsync<JsonElement>()) : null;
        }

        /// The answer, and the next task when submit-and-next brought one. A late answer may be
        /// refused (409): its slot went to another tasker.
        async Task<JsonElement?> SubmitAsync(long assignment, bool andNext)
        {
            var response = await tasker.PostAsync($"/api/work/tasks/{assignment}/{(andNext ? "submit-and-next" : "submit")}", P.Answer());
            if (!Check(response, andNext ? "submit-and-next" : "submit", HttpStatusCode.OK, HttpStatusCode.Conflict) ||
                response.StatusCode != HttpStatusCode.OK)
                return null;
            var reply = await response.Content.ReadFromJsonAsync<JsonElement>();
            var receipt = andNext ? reply.GetProperty("submitted") : reply;
            acknowledged[assignment] = receipt.GetProperty("answerId").GetInt64();
            return andNext && reply.GetProperty("next") is { ValueKind: JsonValueKind.Object } next ? Given(next) : null;
        }

        JsonElement Given(JsonElement task)
        {
            if (task.GetProperty("data").ValueKind != JsonValueKind.Object) failures.Enqueue($"a task without data: {task}");
            given.GetOrAdd((tasker.UserId, task.GetProperty("itemId").GetInt64()), _ => new()).Enqueue(AssignmentOf(task));
            return task;
        }

        bool Check(HttpResponseMessage response, string what, params HttpStatusCode[] expected)
        {
            if (expected.Contains(response.StatusCode)) return true;
            var askAgain = response.StatusCode == HttpStatusCode.ServiceUnavailable && response.Headers.RetryAfter is not null;
            if (!askAgain) failures.Enqueue($"{what}: {(int)response.StatusCode} {response.Content.ReadAsStringAsync().Result}");
            return false;
        }
    }
}

/// Sign-ups for a crowd of 50 go past the default limit of a minute's sign-ups from one address.
public class ChurnServer(Engine engine) : FairlabelServer(engine)
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("RateLimits:SignUp:PermitLimit", "1000");
    }
}

public sealed class SqliteChurnServer() : ChurnServer(Engine.Sqlite);
public sealed class PostgresChurnServer() : ChurnServer(Engine.Postgres);

public sealed class HandOutChurnOnSqlite(SqliteChurnServer server) : HandOutChurnTests<SqliteChurnServer>(server);
public sealed class HandOutChurnOnPostgres(PostgresChurnServer server) : HandOutChurnTests<PostgresChurnServer>(server);
