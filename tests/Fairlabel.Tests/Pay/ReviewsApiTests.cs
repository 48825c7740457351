using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fairlabel.Pay;
using Fairlabel.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using static Fairlabel.Tests.Infrastructure.Tasks;
using P = Fairlabel.Tests.Infrastructure.Projects;

namespace Fairlabel.Tests.Pay;

/// A server whose clock the test moves, looking for overdue answers every second.
public class ReviewServer(Engine engine) : ClockedServer(engine)
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Pay:AutoApprovalInterval", "00:00:01");
    }
}

public sealed class ReviewSqliteServer() : ReviewServer(Engine.Sqlite);
public sealed class ReviewPostgresServer() : ReviewServer(Engine.Postgres);

public abstract class ReviewsApiTests<TServer>(TServer server) : IClassFixture<TServer> where TServer : ReviewServer
{
    /// A published project (0.50 a task, 3 days to review) and one answer to it: its ids.
    async Task<(Api Requester, Api Tasker, int Project, long Answer)> AnsweredAsync(int reviewDays = 3)
    {
        var requester = await Api.SignUpAsync(server, "requester");
        var tasker = await Api.SignUpAsync(server, "tasker");
        var input = JsonSerializer.SerializeToNode(P.Input(overlap: 1, pay: 0.50m))!.AsObject();
        input["reviewDays"] = reviewDays;
        var id = await P.PublishedAsync(requester, 2, input);
        var task = (await NextAsync(tasker, id))!.Value;
        var receipt = await tasker.PostJsonAsync($"/api/work/tasks/{AssignmentOf(task)}/submit", P.Answer());
        return (requester, tasker, id, receipt.GetProperty("answerId").GetInt64());
    }

    static Task<HttpResponseMessage> ReviewAsync(Api who, int project, long answer, object body) =>
        who.PostAsync($"/api/projects/{project}/answers/{answer}/review", body);

    static async Task<JsonElement> EarningsAsync(Api tasker) => await tasker.GetJsonAsync("/api/work/earnings/by-task");

    static decimal Total(JsonElement earnings, string which) =>
        earnings.GetProperty("totals").EnumerateArray().Where(t => t.GetProperty("currency").GetString() == "USD")
            .Sum(t => t.GetProperty(which).GetDecimal());

    [Fact]
    public async Task Accepting_moves_the_pay_from_pending_to_approved_and_the_fee_out_of_escrow_once()
    {
        var (requester, tasker, project, answer) = await AnsweredAsync();
        Assert.Equal(0.50m, Total(await EarningsAsync(tasker), "pending"));
        Assert.Equal(HttpStatusCode.OK, (await ReviewAsync(requester, project, answer, new { decision = "accept" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ReviewAsync(requester, project, answer, new { decision = "accept" })).StatusCode);
        var changed = await ReviewAsync(requester, project, answer, new { decision = "reject", reason = "low_effort", note = "n" });
        Assert.Equal(HttpStatusCode.Conflict, changed.StatusCode);

        var earnings = await EarningsAsync(tasker);
        Assert.Equal(0m, Total(earnings, "pending"));
        Assert.Equal(0.50m, Total(earnings, "approved"));
        Assert.Equal("approved", earnings.GetProperty("tasks")[0].GetProperty("status").GetString());
        var transfers = (await LedgerChecks.TransfersAsync(server)).Where(t => t.ProjectId == project).ToList();
        Assert.Single(transfers, t => t.Kind == LedgerKinds.Approved);
        Assert.Equal(0.05m, Assert.Single(transfers, t => t.Kind == LedgerKinds.Fee).Amount.Amount);
        await LedgerChecks.AssertBalancedAsync(server, "after accepting");
    }

    [Fact]
    public async Task A_rejection_needs_a_reason_from_the_closed_list_and_a_note_the_tasker_sees()
    {
        var (requester, tasker, project, answer) = await AnsweredAsync();
        foreach (var (body, field) in new (object, string)[]
                 {
                     (new { decision = "reject", note = "Too short" }, "reason"),
                     (new { decision = "reject", reason = "bad vibes", note = "Too short" }, "reason"),
                     (new { decision = "reject", reason = "low_effort" }, "note"),
                     // Not computed as too fast from the project's own figures (too few answers).
                     (new { decision = "reject", reason = "too_fast", note = "Too quick" }, "reason"),
                     (new { decision = "maybe" }, "decision"),
                 })
        {
            var refused = await ReviewAsync(requester, project, answer, body);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.True((await Api.ProblemOf(refused)).GetProperty("errors").TryGetProperty(field, out _), field);
        }
        Assert.Equal(0.50m, Total(await EarningsAsync(tasker), "pending"));

        var note = "<b>The answer ignores the question</b>";
        Assert.Equal(HttpStatusCode.OK, (await ReviewAsync(requester, project, answer,
            new { decision = "reject", reason = "low_effort", note })).StatusCode);
        var earnings = await EarningsAsync(tasker);
        var task = earnings.GetProperty("tasks")[0];
        Assert.Equal("rejected", task.GetProperty("status").GetString());
        Assert.Equal("low_effort", task.GetProperty("reason").GetString());
        Assert.Equal(note, task.GetProperty("note").GetString());
        Assert.Equal(0m, Total(earnings, "pending"));
        Assert.Equal(0m, Total(earnings, "approved"));
        // 2 × 0.50 × 1.2 set aside; the rejected answer's pay went back to escrow.
        Assert.Equal(1.20m, (await LedgerChecks.BalancesAsync(server)).BalanceOf(LedgerAccounts.Escrow(project)));
        await LedgerChecks.AssertBalancedAsync(server, "after rejecting");
    }

    [Fact]
    public async Task Unreviewed_work_is_approved_automatically_after_the_projects_review_days()
    {
        var (_, tasker, _, _) = await AnsweredAsync(reviewDays: 3);
        var due = (await EarningsAsync(tasker)).GetProperty("tasks")[0].GetProperty("approvedAutomaticallyAt").GetDateTimeOffset();
        try
        {
            server.Clock.Ahead = TimeSpan.FromDays(2);
            await Task.Delay(2500);
            Assert.Equal("pending", (await EarningsAsync(tasker)).GetProperty("tasks")[0].GetProperty("status").GetString());
            server.Clock.Ahead = TimeSpan.FromDays(3) + TimeSpan.FromMinutes(1);
            Assert.True(server.Clock.GetUtcNow() > due);
            for (var waited = 0; Total(await EarningsAsync(tasker), "approved") == 0; waited += 100)
            {
                Assert.True(waited < 15_000, "the answer was not approved automatically");
                await Task.Delay(100);
            }
        }
        finally
        {
            server.Clock.Ahead = TimeSpan.Zero;
        }
        var earnings = await EarningsAsync(tasker);
        Assert.Equal(0.50m, Total(earnings, "approved"));
        Assert.Equal(0m, Total(earnings, "pending"));
        Assert.Equal("approved", earnings.GetProperty("tasks")[0].GetProperty("status").GetString());
        await LedgerChecks.AssertBalancedAsync(server, "after automatic approval");
    }

    [Fact]
    public async Task The_review_days_are_a_project_setting_of_at_most_21()
    {
        var requester = await Api.SignUpAsync(server, "requester");
        var id = await P.CreateAsync(requester);
        Assert.Equal(7, (await requester.GetJsonAsync($"/api/projects/{id}")).GetProperty("reviewDays").GetInt32());
        var input = JsonSerializer.SerializeToNode(P.Input())!.AsObject();
        input["reviewDays"] = 22;
        var refused = await requester.Http.PostAsJsonAsync("/api/projects", input);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.True((await Api.ProblemOf(refused)).GetProperty("errors").TryGetProperty("reviewDays", out _));
    }

    [Fact]
    public async Task Only_the_projects_requesters_review_its_answers()
    {
        var (_, tasker, project, answer) = await AnsweredAsync();
        var stranger = await Api.SignUpAsync(server, "requester");
        Assert.Equal(HttpStatusCode.NotFound, (await ReviewAsync(stranger, project, answer, new { decision = "accept" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await ReviewAsync(tasker, project, answer, new { decision = "accept" })).StatusCode);
        Assert.Equal(0.50m, Total(await EarningsAsync(tasker), "pending"));
    }
}

public sealed class ReviewsApiOnSqlite(ReviewSqliteServer server) : ReviewsApiTests<ReviewSqliteServer>(server);
public sealed class ReviewsApiOnPostgres(ReviewPostgresServer server) : ReviewsApiTests<ReviewPostgresServer>(server);
