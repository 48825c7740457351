using Fairlabel.Data;
using Fairlabel.Projects;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Fairlabel.Pay;

/// What a project must hold in escrow before it opens: the pay for every answer still to come
/// (open slots × rate), with the platform's fee and the top-up reserve on it.
public static class EscrowRule
{
    public static Money Required(long openSlots, Money rate, PayOptions options) =>
        (rate * openSlots * (1 + options.FeeRate + options.TopUpReserveRate)).RoundedUpToMinorUnit();

    /// What must move from the organisation's funding into escrow; zero when escrow holds enough.
    public static Money Shortfall(Money required, Money inEscrow) =>
        required > inEscrow ? required - inEscrow : Money.Zero(required.Currency);
}

public static class Escrow
{
    /// Adds to the context the movement that brings the project's escrow to what publishing
    /// requires (saved with the status change, in one transaction), or returns the refusal when
    /// the organisation's funding cannot cover it. The key names the amounts, so a retried
    /// publish that finds the same figures adds nothing twice (the unique key refuses it).
    public static async Task<ProblemHttpResult?> FundForPublishAsync(FairlabelDb db, Project project, PayOptions options, DateTimeOffset now)
    {
        var openSlots = await db.Items.Where(i => i.ProjectId == project.Id && i.Accepted < project.Overlap)
            .SumAsync(i => (long)(project.Overlap - i.Accepted));
        var required = EscrowRule.Required(openSlots, new Money(project.PayPerTask, project.Currency), options);
        var escrow = LedgerAccounts.Escrow(project.Id);
        var inEscrow = await Ledger.BalanceAsync(db, escrow, project.Currency);
        var shortfall = EscrowRule.Shortfall(required, inEscrow);
        if (shortfall.Amount == 0) return null;
        var funding = LedgerAccounts.Funding(project.OrganisationId);
        var available = await Ledger.BalanceAsync(db, funding, project.Currency);
        if (available < shortfall)
            return TypedResults.Problem(title: "Not enough funds for the project's escrow", statusCode: 409,
                detail: $"Publishing sets aside {required} for {openSlots} answers at {project.PayPerTask} {project.Currency} " +
                        $"with fees and the top-up reserve; escrow holds {inEscrow}, and the organisation's funding has " +
                        $"{available}. Ask the operator to record a deposit of at least {shortfall - available}.",
                extensions: new Dictionary<string, object?>
                {
                    ["required"] = new { amount = required.Amount, currency = required.Currency },
                    ["inEscrow"] = inEscrow.Amount,
                    ["available"] = available.Amount,
                    ["shortfall"] = (shortfall - available).Amount,
                });
        Ledger.Move(db, $"escrow:{project.Id}:{required.Amount}:{inEscrow.Amount}", LedgerKinds.Escrow, funding, escrow, shortfall, now,
            project.OrganisationId, project.Id);
        return null;
    }
}
