using System.Net;
using Fairlabel.Tests.Infrastructure;
using static Fairlabel.Tests.Infrastructure.Tasks;
using P = Fairlabel.Tests.Infrastructure.Projects;

namespace Fairlabel.Tests.Work;

/// Giving a task back.
public abstract class SkipTests<TServer>(TServer server) : IClassFixture<TServer> where TServer : FairlabelServer
{
    [Fact]
    public async Task A_submitted_task_cannot_be_skipped_and_a_skip_repeated_changes_nothing()
    {
        var requester = await Api.SignUpAsync(server, "requester");
        var tasker = await Api.SignUpAsync(server, "tasker");
        var id = await P.PublishedAsync(requester, 2, P.Input(overlap: 1));
        var answered = (await NextAsync(tasker, id))!.Value;
        await tasker.PostJsonAsync($"/api/work/tasks/{AssignmentOf(answered)}/submit", P.Answer());

        var refused = await tasker.PostAsync($"/api/work/tasks/{AssignmentOf(answered)}/skip");
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal(409, (await Api.ProblemOf(refused)).GetProperty("status").GetInt32());
        Assert.Equal("submitted", await server.TextAsync($"SELECT status FROM assignments WHERE id = {AssignmentOf(answered)}"));

        var skipped = await server.WrittenAsync((await NextAsync(tasker, id))!.Value);
        for (var i = 0; i < 2; i++)
            Assert.Equal(HttpStatusCode.NoContent, (await tasker.PostAsync($"/api/work/tasks/{AssignmentOf(skipped)}/skip")).StatusCode);
        Assert.Equal(0, await server.ScalarAsync($"SELECT leased FROM items WHERE id = {skipped.GetProperty("itemId").GetInt64()}"));
        Assert.Equal(1, await server.ScalarAsync($"SELECT accepted FROM items WHERE id = {answered.GetProperty("itemId").GetInt64()}"));
    }
}

public sealed class SkipOnSqlite(SqliteServer server) : SkipTests<SqliteServer>(server);
public sealed class SkipOnPostgres(PostgresServer server) : SkipTests<PostgresServer>(server);
