using System.Net;
using Fairlabel.Pay;
using Fairlabel.Tests.Infrastructure;
using static Fairlabel.Tests.Infrastructure.Tasks;
using P = Fairlabel.Tests.Infrastructure.Projects;

namespace Fairlabel.Tests.Pay;

public abstract class EscrowApiTests<TServer>(TServer server) : IClassFixture<TServer> where TServer : FairlabelServer
{
    static async Task<int> OrganisationOf(Api requester) =>
        (await requester.GetJsonAsync("/api/auth/me")).GetProperty("organisation").GetProperty("id").GetInt32();

    async Task<int> DraftAsync(Api requester, int items = 3)
    {
        var id = await P.CreateAsync(requester, P.Input(overlap: 3, pay: 0.25m));
        await P.ImportAsync(requester, id, P.Lines(items));
        return id;
    }

    [Fact]
    public async Task Publishing_without_funds_for_escrow_is_refused_and_moves_nothing()
    {
        var requester = await Api.SignUpAsync(server, "requester");
        var id = await DraftAsync(requester);
        await P.FundAsync(requester, 2.69m);
        var refused = await requester.PostAsync($"/api/projects/{id}/publish");
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        var problem = await Api.ProblemOf(refused);
        // 3 items × 3 answers × 0.25, with 10 % fee and 10 % top-up reserve.
        Assert.Equal(2.70m, problem.GetProperty("required").GetProperty("amount").GetDecimal());
        Assert.Equal(2.69m, problem.GetProperty("available").GetDecimal());
        Assert.Equal(0.01m, problem.GetProperty("shortfall").GetDecimal());
        Assert.Equal("draft", (await requester.GetJsonAsync($"/api/projects/{id}")).GetProperty("status").GetString());
        var balances = await LedgerChecks.BalancesAsync(server);
        Assert.Equal(0m, balances.BalanceOf(LedgerAccounts.Escrow(id)));
        Assert.Equal(2.69m, balances.BalanceOf(LedgerAccounts.Funding(await OrganisationOf(requester))));
    }

    [Fact]
    public async Task Publishing_moves_the_required_escrow_from_funding_once()
    {
        var requester = await Api.SignUpAsync(server, "requester");
        var org = await OrganisationOf(requester);
        var id = await DraftAsync(requester);
        await P.FundAsync(requester, 10m);
        await requester.PostJsonAsync($"/api/projects/{id}/publish");
        await requester.PostJsonAsync($"/api/projects/{id}/pause");
        await requester.PostJsonAsync($"/api/projects/{id}/publish");   // escrow already holds enough
        var funds = await requester.GetJsonAsync("/api/organisation/funds");
        var balance = (string account) => funds.EnumerateArray().Where(b => b.GetProperty("account").GetString() == account)
            .Sum(b => b.GetProperty("balance").GetDecimal());
        Assert.Equal(7.30m, balance(LedgerAccounts.Funding(org)));
        Assert.Equal(2.70m, balance(LedgerAccounts.Escrow(id)));
        await LedgerChecks.AssertBalancedAsync(server, "after publishing");
    }

    [Fact]
    public async Task A_submitted_answer_moves_its_locked_pay_from_escrow_to_pending_once_however_often_it_is_sent()
    {
        var requester = await Api.SignUpAsync(server, "requester");
        var tasker = await Api.SignUpAsync(server, "tasker");
        var id = await P.PublishedAsync(requester, 2, P.Input(overlap: 1, pay: 0.40m));
        var task = (await NextAsync(tasker, id))!.Value;
        for (var i = 0; i < 3; i++) await tasker.PostJsonAsync($"/api/work/tasks/{AssignmentOf(task)}/submit", P.Answer());
        var second = (await NextAsync(tasker, id))!.Value;
        await tasker.PostJsonAsync($"/api/work/tasks/{AssignmentOf(second)}/submit-and-next", P.Answer());
        await tasker.PostJsonAsync($"/api/work/tasks/{AssignmentOf(second)}/submit-and-next", P.Answer());

        var balances = await LedgerChecks.BalancesAsync(server);
        Assert.Equal(0.80m, balances.BalanceOf(LedgerAccounts.Pending(tasker.UserId)));
        // 2 × 0.40 × 1.2 set aside, 0.80 paid out of it: the fees and the reserve remain.
        Assert.Equal(0.16m, balances.BalanceOf(LedgerAccounts.Escrow(id)));
        var earned = (await LedgerChecks.TransfersAsync(server)).Where(t => t.Kind == LedgerKinds.Earned && t.ProjectId == id).ToList();
        Assert.Equal([AssignmentOf(task), AssignmentOf(second)], earned.Select(t => t.AssignmentId!.Value).Order());
        await LedgerChecks.AssertBalancedAsync(server, "after submissions");
    }

    [Fact]
    public async Task A_deposit_repeated_with_its_reference_is_recorded_once()
    {
        var requester = await Api.SignUpAsync(server, "requester");
        var org = await OrganisationOf(requester);
        var first = await P.FundAsync(requester, 5m, "EUR", "bank-123");
        var again = await P.FundAsync(requester, 5m, "EUR", "bank-123");
        Assert.Equal(first.GetProperty("id").GetInt64(), again.GetProperty("id").GetInt64());
        var op = await Operators.OfAsync(server);
        var other = await op.PostAsync($"/api/admin/organisations/{org}/deposits", new { amount = 6m, currency = "EUR", reference = "bank-123" });
        Assert.Equal(HttpStatusCode.Conflict, other.StatusCode);
        Assert.Equal(5m, (await LedgerChecks.BalancesAsync(server)).BalanceOf(LedgerAccounts.Funding(org), "EUR"));
    }

    [Theory]
    [InlineData(0, "USD", "r", "amount")]
    [InlineData(1, "XYZ", "r", "currency")]
    [InlineData(1, "USD", "", "reference")]
    public async Task A_bad_deposit_is_refused_naming_the_field_and_records_nothing(decimal amount, string currency, string reference, string field)
    {
        var requester = await Api.SignUpAsync(server, "requester");
        var org = await OrganisationOf(requester);
        var op = await Operators.OfAsync(server);
        var response = await op.PostAsync($"/api/admin/organisations/{org}/deposits", new { amount, currency, reference });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await Api.ProblemOf(response)).GetProperty("errors").TryGetProperty(field, out _));
        Assert.DoesNotContain(await LedgerChecks.TransfersAsync(server), t => t.OrganisationId == org);
    }

    [Fact]
    public async Task Only_an_operator_records_deposits()
    {
        var requester = await Api.SignUpAsync(server, "requester");
        var org = await OrganisationOf(requester);
        var response = await requester.PostAsync($"/api/admin/organisations/{org}/deposits", new { amount = 5m, currency = "USD", reference = "self" });
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await (await Operators.OfAsync(server))
            .PostAsync("/api/admin/organisations/999999/deposits", new { amount = 5m, currency = "USD", reference = "x" })).StatusCode);
    }
}

public sealed class EscrowApiOnSqlite(SqliteServer server) : EscrowApiTests<SqliteServer>(server);
public sealed class EscrowApiOnPostgres(PostgresServer server) : EscrowApiTests<PostgresServer>(server);
