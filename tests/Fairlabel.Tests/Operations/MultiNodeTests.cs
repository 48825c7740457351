using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using Fairlabel.Tests.Infrastructure;
using P = Fairlabel.Tests.Infrastructure.Projects;
using DutyLeader = Fairlabel.Infrastructure.DutyLeader;

namespace Fairlabel.Tests.Operations;

/// Two stateless nodes on one PostgreSQL database behave as one platform.
public sealed class MultiNodeTests
{
    // The duty lock in this test's database only: advisory locks are per database, and the
    // servers of tests running beside this one hold the same key in theirs. A bigint key shows as
    // its high and low 32 bits.
    static readonly string DutyLocks = "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted " +
        "AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) " +
        $"AND classid = {DutyLeader.LockKey >> 32} AND objid = {DutyLeader.LockKey & 0xffff_ffff}";

    [Fact]
    public async Task Two_nodes_share_the_work_without_breaking_an_invariant_and_one_node_dying_changes_nothing()
    {
        using var database = new ProcessDatabase(Engine.Postgres);
        // The first node starts first, so it takes the duty lock (it sweeps leases every second).
        await using var first = await ServerProcess.StartAsync(database.ServerArguments);
        await Task.Delay(1500);
        await using var second = await ServerProcess.StartAsync(database.ServerArguments);
        Assert.Equal(1, await database.Settings.ScalarAsync(DutyLocks));
        const int items = 120, overlap = 3;
        var requester = await Api.SignUpAsync(first.Url, "requester");
        var projectId = await P.PublishedAsync(requester, items, P.Input(overlap: overlap, leaseSeconds: 10));
        var taskers = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Api.SignUpAsync(first.Url, "tasker")));

        // A tasker takes a task and walks away: only the expiry sweep can return it.
        var abandoned = await taskers[0].On(second.Url).PostJsonAsync($"/api/work/projects/{projectId}/tasks/next");

        var acknowledged = new ConcurrentDictionary<long, long>();
        var done = false;
        var work = Crowd.WorkAsync(taskers[1..], [first.Url, second.Url], projectId, acknowledged, () => Volatile.Read(ref done));
        // Half-way, the node running the background duties dies; the other takes them over
        // (the abandoned lease can only come back if it does).
        while (acknowledged.Count < items * overlap / 2) await Task.Delay(20);
        first.KillHard();
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (await database.Settings.ScalarAsync($"SELECT count(*) FROM answers WHERE project_id = {projectId}") < items * overlap
               && DateTime.UtcNow < deadline)
            await Task.Delay(200);
        Volatile.Write(ref done, true);
        await work;
        Assert.Equal(1, await database.Settings.ScalarAsync(DutyLocks));

        await Crowd.AssertInvariantsAsync(database.Settings, projectId, overlap, acknowledged);
        Assert.Equal(items * overlap, await database.Settings.ScalarAsync($"SELECT count(*) FROM answers WHERE project_id = {projectId}"));
        Assert.Equal("expired", await database.Settings.TextAsync(
            $"SELECT status FROM assignments WHERE id = {abandoned.GetProperty("assignmentId").GetInt64()}"));
        // Every answer but those in flight on the dying node was acknowledged to its client.
        Assert.True(acknowledged.Count >= items * overlap - 20);
    }

    // A tasker's project list counts only tasks the tasker has not had, also when the tasks were
    // taken through the other node, whose leases this node's pool never saw.
    [Fact]
    public async Task The_project_list_on_one_node_knows_the_tasks_a_tasker_did_through_the_other()
    {
        using var database = new ProcessDatabase(Engine.Postgres);
        await using var first = await ServerProcess.StartAsync(database.ServerArguments);
        await using var second = await ServerProcess.StartAsync(database.ServerArguments);
        var requester = await Api.SignUpAsync(first.Url, "requester");
        var projectId = await P.PublishedAsync(requester, 10, P.Input(overlap: 2));
        var tasker = await Api.SignUpAsync(first.Url, "tasker");
        async Task<int> AvailableOnFirstAsync() =>
            (await tasker.On(first.Url).GetJsonAsync("/api/work/projects")).EnumerateArray()
            .Single(p => p.GetProperty("id").GetInt32() == projectId).GetProperty("tasksAvailable").GetInt32();
        Assert.Equal(10, await AvailableOnFirstAsync());   // the first node's pool is loaded now

        for (var i = 0; i < 4; i++) Assert.True(await AnswerAsync(tasker.On(second.Url), projectId));

        Assert.Equal(6, await AvailableOnFirstAsync());
    }

    // Each node keeps its own view of the open items and does not see the other's leases. A node
    // that comes upon a stretch the other has filled must find the tasks beyond it, not tell its
    // taskers that none are left.
    [Fact]
    public async Task A_node_finds_every_open_task_after_the_other_node_filled_many_it_still_thinks_open()
    {
        using var database = new ProcessDatabase(Engine.Postgres);
        await using var first = await ServerProcess.StartAsync(database.ServerArguments);
        await using var second = await ServerProcess.StartAsync(database.ServerArguments);
        const int items = 240, filledElsewhere = 160;
        var requester = await Api.SignUpAsync(first.Url, "requester");
        var projectId = await P.PublishedAsync(requester, items, P.Input(overlap: 1));
        var taskers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Api.SignUpAsync(first.Url, "tasker")));

        // The first node loads its view of the project, then the second fills 160 items.
        await AnswerAsync(taskers[0].On(first.Url), projectId);
        for (var done = 0; done < filledElsewhere;)
        {
            var answered = await Task.WhenAll(taskers.Select(t => AnswerAsync(t.On(second.Url), projectId)));
            done += answered.Count(a => a);
        }

        // The first node now hands one tasker every remaining item, and only then says none are left.
        var remaining = items - await database.Settings.ScalarAsync($"SELECT count(*) FROM answers WHERE project_id = {projectId}");
        var got = 0;
        while (await AnswerAsync(taskers[0].On(first.Url), projectId)) got++;
        Assert.Equal(remaining, got);
        Assert.Equal(items, await database.Settings.ScalarAsync($"SELECT count(*) FROM answers WHERE project_id = {projectId}"));
        await Crowd.AssertInvariantsAsync(database.Settings, projectId, 1, new Dictionary<long, long>());
    }

    // A project of one block of items: one node holds it at a time (decision 0007). The holder
    // keeps it while its taskers work, and gives it back after a turn of 3 s once the other node's
    // taskers are waiting for it (the other node marks that it wants the project's blocks).
    [Fact]
    public async Task On_a_project_of_one_block_the_nodes_take_turns_while_taskers_wait_on_both()
    {
        using var database = new ProcessDatabase(Engine.Postgres);
        await using var first = await ServerProcess.StartAsync(database.ServerArguments);
        await using var second = await ServerProcess.StartAsync(database.ServerArguments);
        var requester = await Api.SignUpAsync(first.Url, "requester");
        var projectId = await P.PublishedAsync(requester, 200, P.Input(overlap: 2));
        var busy = await Api.SignUpAsync(first.Url, "tasker");
        var waiting = await Api.SignUpAsync(first.Url, "tasker");

        // The first node's tasker works without pause, so the first node's block is never idle.
        Assert.True(await AnswerAsync(busy.On(first.Url), projectId));
        var served = false;
        var work = Task.Run(async () =>
        {
            while (!Volatile.Read(ref served) && await AnswerAsync(busy.On(first.Url), projectId)) await Task.Delay(100);
        });
        var waited = System.Diagnostics.Stopwatch.StartNew();
        var next = await waiting.On(second.Url).PostAsync($"/api/work/projects/{projectId}/tasks/next");
        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, next.StatusCode);
        Assert.Contains("open tasks are held by another server", await next.Content.ReadAsStringAsync());
        while (next.StatusCode == System.Net.HttpStatusCode.ServiceUnavailable && waited.Elapsed < TimeSpan.FromSeconds(15))
        {
            await Task.Delay(100);
            next = await waiting.On(second.Url).PostAsync($"/api/work/projects/{projectId}/tasks/next");
        }
        Volatile.Write(ref served, true);
        await work;
        Assert.Equal(System.Net.HttpStatusCode.OK, next.StatusCode);
        Assert.InRange(waited.Elapsed, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(10));
    }

    // A late answer through the node that does not hold the item's block cannot know that the
    // holding node has just handed the slot out again (decision 0007, "What it costs"). Here the
    // late answer reaches the database first, so the database gives it the slot, and the lease
    // handed out meanwhile is refused when it is written: its tasker is told why on submitting,
    // and the item never has more than k answers.
    [Fact]
    public async Task A_late_answer_through_the_other_node_wins_a_slot_handed_out_again_and_the_new_lease_is_lost_with_a_reason()
    {
        using var database = new ProcessDatabase(Engine.Postgres);
        // The first node sweeps expired leases (it starts first, so it takes the duty lock), so its
        // pool learns at once that the slot is free again. It has one write connection: a write
        // held up in the database holds up every write after it, the new lease's among them.
        await using var first = await ServerProcess.StartAsync([.. database.ServerArguments, "--Work:PostgresWriters", "1"]);
        await Task.Delay(1500);
        await using var second = await ServerProcess.StartAsync(database.ServerArguments);
        var requester = await Api.SignUpAsync(first.Url, "requester");
        var projectId = await P.PublishedAsync(requester, 1, P.Input(overlap: 1, leaseSeconds: 60));
        var otherProject = await P.PublishedAsync(requester, 1, P.Input(overlap: 1, leaseSeconds: 60, name: "Other"));
        var slow = (await Api.SignUpAsync(first.Url, "tasker")).On(first.Url);
        var quick = (await Api.SignUpAsync(first.Url, "tasker")).On(first.Url);
        var other = (await Api.SignUpAsync(first.Url, "tasker")).On(first.Url);
        var item = await database.Settings.ScalarAsync($"SELECT id FROM items WHERE project_id = {projectId}");
        var otherItem = await database.Settings.ScalarAsync($"SELECT id FROM items WHERE project_id = {otherProject}");

        var abandoned = Tasks.AssignmentOf((await Tasks.NextAsync(slow, projectId))!.Value);
        var otherTask = Tasks.AssignmentOf((await Tasks.NextAsync(other, otherProject))!.Value);
        await database.Settings.UntilAsync($"SELECT count(*) FROM assignments WHERE id IN ({abandoned}, {otherTask})", 2);
        await database.Settings.RunOutAsync($"id = {abandoned}");

        long retaken;
        Task<HttpResponseMessage> heldUp;
        await using (await database.Settings.HoldItemRowAsync(otherItem))
        {
            heldUp = other.PostAsync($"/api/work/tasks/{otherTask}/submit", P.Answer());
            await database.Settings.UntilAsync("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() " +
                "AND wait_event_type = 'Lock' AND query LIKE '%INSERT INTO answers%'", 1);
            retaken = Tasks.AssignmentOf((await Tasks.NextAsync(quick, projectId))!.Value);

            var late = await slow.On(second.Url).PostJsonAsync($"/api/work/tasks/{abandoned}/submit", P.Answer());
            Assert.False(late.GetProperty("duplicate").GetBoolean());
            Assert.Equal(0, await database.Settings.ScalarAsync($"SELECT count(*) FROM assignments WHERE id = {retaken}"));
        }
        Assert.Equal(HttpStatusCode.OK, (await heldUp).StatusCode);

        var refused = await quick.PostAsync($"/api/work/tasks/{retaken}/submit", P.Answer());
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("lost before it could be stored", (await Api.ProblemOf(refused)).GetProperty("detail").GetString());
        Assert.Equal(0, await database.Settings.ScalarAsync($"SELECT count(*) FROM assignments WHERE id = {retaken}"));
        Assert.Equal(1, await database.Settings.ScalarAsync($"SELECT accepted FROM items WHERE id = {item}"));
        Assert.Equal(0, await database.Settings.ScalarAsync($"SELECT leased FROM items WHERE id = {item}"));
        Assert.Equal(abandoned, await database.Settings.ScalarAsync($"SELECT assignment_id FROM answers WHERE project_id = {projectId}"));
        Assert.Null(await Tasks.NextAsync(quick, projectId));
    }

    /// A self-signed certificate with its private key, as an operator would give every node.
    public static string SessionKeyCertificateFile(string directory, string password)
    {
        using var rsa = System.Security.Cryptography.RSA.Create(2048);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=fairlabel session keys", rsa,
            System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var path = Path.Combine(directory, "session-keys.pfx");
        File.WriteAllBytes(path, certificate.Export(System.Security.Cryptography.X509Certificates.X509ContentType.Pfx, password));
        return path;
    }

    /// Takes the tasker's next task and answers it; false when the node says none is left.
    static async Task<bool> AnswerAsync(Api tasker, int projectId)
    {
        var next = await tasker.PostAsync($"/api/work/projects/{projectId}/tasks/next");
        // "Ask again": the items left are in a block the other node holds (decision 0007).
        for (var asked = 1; next.StatusCode == System.Net.HttpStatusCode.ServiceUnavailable; asked++)
        {
            Assert.True(asked < 200, "asked again for 20 s");
            await Task.Delay(100);
            next = await tasker.PostAsync($"/api/work/projects/{projectId}/tasks/next");
        }
        if (next.StatusCode == System.Net.HttpStatusCode.NoContent) return false;
        Assert.Equal(System.Net.HttpStatusCode.OK, next.StatusCode);
        var assignment = (await next.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("assignmentId").GetInt64();
        var submit = await tasker.PostAsync($"/api/work/tasks/{assignment}/submit", P.Answer());
        Assert.Equal(System.Net.HttpStatusCode.OK, submit.StatusCode);
        return true;
    }

    // With a certificate (DataProtection:CertificateFile) the keys in the database are encrypted,
    // and every node holding the certificate reads them.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_session_started_on_one_node_is_valid_on_the_other(bool keysEncrypted)
    {
        using var database = new ProcessDatabase(Engine.Postgres);
        string[] arguments = keysEncrypted
            ? [.. database.ServerArguments, "--DataProtection:CertificateFile", SessionKeyCertificateFile(database.DataDirectory, "s3cret"),
               "--DataProtection:CertificatePassword", "s3cret"]
            : database.ServerArguments;
        await using var first = await ServerProcess.StartAsync(arguments);
        await using var second = await ServerProcess.StartAsync(arguments);
        var user = await Api.SignUpAsync(first.Url, "tasker");

        // One browser, two nodes behind a load balancer: the cookie jar is shared.
        var cookies = new System.Net.CookieContainer();
        using var handler = new HttpClientHandler { CookieContainer = cookies };
        using var toFirst = new HttpClient(handler, disposeHandler: false) { BaseAddress = first.Url };
        using var toSecond = new HttpClient(handler, disposeHandler: false) { BaseAddress = second.Url };
        var login = await toFirst.PostAsJsonAsync("/api/auth/login", new { email = user.Email, password = Api.Password });
        Assert.Equal(System.Net.HttpStatusCode.OK, login.StatusCode);

        // The key ring lives in the shared database, not on one machine's disk.
        Assert.True(await database.Settings.ScalarAsync("SELECT count(*) FROM data_protection_keys") >= 1);
        var key = (await database.Settings.TextAsync("SELECT xml FROM data_protection_keys ORDER BY id LIMIT 1"))!;
        if (keysEncrypted)
        {
            Assert.Contains("EncryptedData", key);
            Assert.DoesNotContain("<value>", key);
        }
        else Assert.Contains("<value>", key);
        var me = await toSecond.GetAsync("/api/auth/me");
        Assert.Equal(System.Net.HttpStatusCode.OK, me.StatusCode);
        // The antiforgery token issued by one node is accepted by the other.
        var xsrf = cookies.GetCookies(second.Url)["XSRF-TOKEN"]!.Value;
        var request = new HttpRequestMessage(HttpMethod.Put, "/api/me/profile") { Content = JsonContent.Create(new { country = "GH" }) };
        request.Headers.Add("X-XSRF-TOKEN", Uri.UnescapeDataString(xsrf));
        Assert.Equal(System.Net.HttpStatusCode.OK, (await toFirst.SendAsync(request)).StatusCode);
    }
}
