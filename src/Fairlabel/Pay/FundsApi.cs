using Fairlabel.Accounts;
using Fairlabel.Data;
using Fairlabel.Events;
using Fairlabel.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Fairlabel.Pay;

public sealed record DepositInput(decimal? Amount, string? Currency, string? Reference)
{
    public FieldErrors Validate()
    {
        var errors = new FieldErrors();
        if (Amount is not (> 0 and <= 100_000_000)) errors.Add("amount", "must be more than 0 and at most 100000000");
        else if (decimal.Round(Amount.Value, 6) != Amount) errors.Add("amount", "has more than 6 decimal places");
        if (!Currencies.IsKnown(Currency)) errors.Add("currency", Currencies.Expected);
        if (string.IsNullOrWhiteSpace(Reference) || Reference.Length > 100)
            errors.Add("reference", "is required: the payment's reference, which makes a repeated request record it once (at most 100 characters)");
        return errors;
    }
}

public sealed record TransferView(long Id, string Kind, string From, string To, decimal Amount, string Currency, DateTimeOffset At);

/// Money in: an operator records a requester's payment to the organisation's funding account.
/// Requesters see their funding; operators see every balance.
public static class FundsApi
{
    public static void MapFunds(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/api/admin").WithTags("Operator")
            .RequireAuthorization(p => p.RequireRole(Roles.Operator)).RequireAntiforgeryForCookies();
        admin.MapPost("/organisations/{id:int}/deposits", Deposit).WithSummary("Record money received from an organisation");
        admin.MapGet("/ledger/balances", AllBalances).WithSummary("Every account's balance, per currency");
        app.MapGet("/api/organisation/funds", OwnFunds).WithTags("Pay")
            .RequireAuthorization(p => p.RequireRole(Roles.Requester)).WithSummary("My organisation's funding and its projects' escrow");
    }

    static async Task<Results<Ok<TransferView>, ValidationProblem, ProblemHttpResult>> Deposit(
        int id, DepositInput body, HttpContext http, FairlabelDb db, TimeProvider clock)
    {
        if (!await db.Organisations.AnyAsync(o => o.Id == id)) return Problems.NotFound("Organisation");
        var errors = body.Validate();
        if (errors.Any) return Problems.Invalid("The deposit is not valid", errors);
        var key = $"deposit:{id}:{body.Reference!.Trim()}";
        if (await db.LedgerTransfers.AsNoTracking().FirstOrDefaultAsync(t => t.Key == key) is { } recorded)
            return SameOrConflict(recorded, body);
        var transfer = Ledger.Move(db, key, LedgerKinds.Deposit, LedgerAccounts.Deposits(id), LedgerAccounts.Funding(id),
            new Money(body.Amount!.Value, body.Currency!), clock.GetUtcNow(), organisationId: id);
        db.Record("funds.deposited", http.User.Id(), id, data: new { body.Amount, body.Currency, reference = body.Reference.Trim() });
        try
        {
            await db.SaveChangesAsync();
        }
        catch (DbUpdateException)
        {
            // A concurrent request with the same reference recorded it first.
            db.ChangeTracker.Clear();
            if (await db.LedgerTransfers.AsNoTracking().FirstOrDefaultAsync(t => t.Key == key) is not { } raced) throw;
            return SameOrConflict(raced, body);
        }
        return TypedResults.Ok(ToView(transfer));
    }

    /// A repeated deposit with the same reference is the same deposit: answered as recorded, once.
    static Results<Ok<TransferView>, ValidationProblem, ProblemHttpResult> SameOrConflict(LedgerTransfer recorded, DepositInput body) =>
        recorded.Amount.Amount == body.Amount && recorded.Currency == body.Currency
            ? TypedResults.Ok(ToView(recorded))
            : Problems.Conflict("This reference is already recorded", $"The deposit {body.Reference} was recorded as {recorded.Amount}.");

    static async Task<Ok<List<AccountBalance>>> AllBalances(FairlabelDb db) => TypedResults.Ok(await Ledger.BalancesAsync(db));

    static async Task<Ok<List<AccountBalance>>> OwnFunds(HttpContext http, FairlabelDb db)
    {
        var org = http.User.OrganisationId()!.Value;
        var projects = await db.Projects.AsNoTracking().Where(p => p.OrganisationId == org).Select(p => p.Id).ToListAsync();
        var balances = await Ledger.BalancesAsync(db, account: LedgerAccounts.Funding(org));
        foreach (var project in projects) balances.AddRange(await Ledger.BalancesAsync(db, account: LedgerAccounts.Escrow(project)));
        return TypedResults.Ok(balances);
    }

    static TransferView ToView(LedgerTransfer t) => new(t.Id, t.Kind, t.FromAccount, t.ToAccount, t.Amount.Amount, t.Currency, t.At);
}
