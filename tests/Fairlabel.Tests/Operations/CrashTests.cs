using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Fairlabel.Tests.Infrastructure;
using P = Fairlabel.Tests.Infrastructure.Projects;

namespace Fairlabel.Tests.Operations;

/// SIGKILL in the middle of a load run: every acknowledged answer is stored exactly once, and the
/// tasks leased at the crash return to the pool when their lease runs out.
public abstract class CrashTests(Engine engine)
{
    [Fact]
    public async Task Acknowledged_answers_survive_sigkill_and_leases_held_at_the_crash_expire()
    {
        using var database = new ProcessDatabase(engine);
        var port = ServerProcess.FreePort();
        await using var server = await ServerProcess.StartAsync(database.ServerArguments, port);
        var requester = await Api.SignUpAsync(server.Url, "requester");
        var projectId = await P.PublishedAsync(requester, 300, P.Input(overlap: 3, leaseSeconds: 10));
        var taskers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Api.SignUpAsync(server.Url, "tasker")));
        // Signed up before the load: a sign-up hashes a password, and under load that took long
        // enough for the crowd to answer or lease every slot first (CI, SQLite).
        var reading = await Api.SignUpAsync(server.Url, "tasker");

        var acknowledged = new ConcurrentDictionary<long, long>();
        var killed = false;
        var work = Crowd.WorkAsync(taskers, [server.Url], projectId, acknowledged, () => Volatile.Read(ref killed));
        while (acknowledged.Count < 150) await Task.Delay(20);
        // One more tasker is reading a task when the server dies. The crowd's own leases may all be
        // answered at the moment of the kill: their writes share group commits, so the taskers
        // move almost in step (on PostgreSQL, in two of four runs no lease was live at the kill).
        Assert.Equal(System.Net.HttpStatusCode.OK,
            (await reading.PostAsync($"/api/work/projects/{projectId}/tasks/next")).StatusCode);
        server.KillHard();
        Volatile.Write(ref killed, true);
        await work;
        var leasedAtCrash = await database.Settings.ScalarAsync(
            $"SELECT count(*) FROM assignments WHERE project_id = {projectId} AND status = 'leased'");
        await server.DisposeAsync();

        await using var restarted = await ServerProcess.StartAsync(database.ServerArguments, port);
        await Crowd.AssertInvariantsAsync(database.Settings, projectId, 3, acknowledged);
        Assert.True(leasedAtCrash > 0, "the crash should have caught some tasks in flight");

        // The leases held at the crash run out (10 s) and the sweep returns their slots.
        for (var i = 0; i < 300 && await database.Settings.ScalarAsync(
                 $"SELECT count(*) FROM assignments WHERE project_id = {projectId} AND status = 'leased'") > 0; i++)
            await Task.Delay(100);
        Assert.Equal(0, await database.Settings.ScalarAsync($"SELECT sum(leased) FROM items WHERE project_id = {projectId}"));
        Assert.Equal(leasedAtCrash, await database.Settings.ScalarAsync(
            $"SELECT count(*) FROM assignments WHERE project_id = {projectId} AND status = 'expired'"));
        await Crowd.AssertInvariantsAsync(database.Settings, projectId, 3, acknowledged);
    }

    // A node hands out a task before its lease is written (decision 0007), so a crash can lose a
    // lease the tasker holds. Its id must never be handed out again: the tasker's answer to it
    // would then be stored as an answer to another task. On SQLite the node's ids are taken by
    // moving the table's AUTOINCREMENT mark past them before use; one taken as "the highest id
    // stored, plus one" after the restart would be this one again.
    [Fact]
    public async Task A_lease_lost_in_a_crash_before_it_was_written_never_has_its_id_handed_out_again()
    {
        using var database = new ProcessDatabase(engine);
        var port = ServerProcess.FreePort();
        await using var server = await ServerProcess.StartAsync(database.ServerArguments, port);
        var requester = await Api.SignUpAsync(server.Url, "requester");
        var projectId = await P.PublishedAsync(requester, 3, P.Input(overlap: 1, leaseSeconds: 10));
        var first = await Api.SignUpAsync(server.Url, "tasker");
        var second = await Api.SignUpAsync(server.Url, "tasker");
        var written = Tasks.AssignmentOf((await Tasks.NextAsync(first, projectId))!.Value);
        await database.Settings.UntilAsync($"SELECT count(*) FROM assignments WHERE id = {written}", 1);

        JsonElement handedOut;
        await using (await database.Settings.HoldWritesAsync(projectId))
        {
            handedOut = (await Tasks.NextAsync(second, projectId))!.Value;
            server.KillHard();
        }
        var lost = Tasks.AssignmentOf(handedOut);
        await server.DisposeAsync();

        await using var restarted = await ServerProcess.StartAsync(database.ServerArguments, port);
        var answer = await second.PostAsync($"/api/work/tasks/{lost}/submit", P.Answer());
        var next = Tasks.AssignmentOf((await Tasks.NextAsync(second, projectId))!.Value);
        Assert.True(next > lost, $"the lease after the restart has id {next}, not above the lost lease's {lost}");
        // On SQLite the write died with the node. On PostgreSQL a statement already waiting in the
        // database runs on after its node is gone, so the lease may have been written after all;
        // then the answer to it counts, for the task the tasker was given.
        if (answer.StatusCode == HttpStatusCode.NotFound)
            Assert.Equal(0, await database.Settings.ScalarAsync($"SELECT count(*) FROM assignments WHERE id = {lost}"));
        else
        {
            Assert.Equal(Engine.Postgres, engine);
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            Assert.Equal(handedOut.GetProperty("itemId").GetInt64(),
                await database.Settings.ScalarAsync($"SELECT item_id FROM answers WHERE assignment_id = {lost}"));
        }
    }
}

public sealed class CrashTestsOnSqlite() : CrashTests(Engine.Sqlite);
public sealed class CrashTestsOnPostgres() : CrashTests(Engine.Postgres);
