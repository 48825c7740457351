using System.Net;
using Fairlabel.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using static Fairlabel.Tests.Infrastructure.Tasks;
using P = Fairlabel.Tests.Infrastructure.Projects;

namespace Fairlabel.Tests.Work;

/// The operator sets how many live tasks a tasker may hold at once in a project.
public abstract class LiveLeaseLimitTests<TServer>(TServer server) : IClassFixture<TServer> where TServer : FairlabelServer
{
    [Fact]
    public async Task A_tasker_holds_at_most_the_configured_number_of_live_tasks_and_one_answered_frees_a_place()
    {
        var requester = await Api.SignUpAsync(server, "requester");
        var id = await P.PublishedAsync(requester, 10);
        var tasker = await Api.SignUpAsync(server, "tasker");
        var held = new List<long>();
        for (var i = 0; i < 3; i++) held.Add(AssignmentOf((await NextAsync(tasker, id, askAgainWhenBusy: true))!.Value));

        var refused = await tasker.PostAsync($"/api/work/projects/{id}/tasks/next");
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("3 tasks", (await Api.ProblemOf(refused)).GetProperty("detail").GetString());

        await tasker.PostJsonAsync($"/api/work/tasks/{held[0]}/submit", P.Answer());
        Assert.NotNull(await NextAsync(tasker, id, askAgainWhenBusy: true));
    }
}

public class ThreeLiveLeasesServer(Engine engine) : FairlabelServer(engine)
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Work:MaxLiveLeasesPerTasker", "3");
    }
}

public sealed class ThreeLiveLeasesOnSqlite() : ThreeLiveLeasesServer(Engine.Sqlite);
public sealed class ThreeLiveLeasesOnPostgres() : ThreeLiveLeasesServer(Engine.Postgres);
public sealed class LiveLeaseLimitOnSqlite(ThreeLiveLeasesOnSqlite server) : LiveLeaseLimitTests<ThreeLiveLeasesOnSqlite>(server);
public sealed class LiveLeaseLimitOnPostgres(ThreeLiveLeasesOnPostgres server) : LiveLeaseLimitTests<ThreeLiveLeasesOnPostgres>(server);
