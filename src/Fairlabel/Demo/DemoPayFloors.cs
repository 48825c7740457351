using Fairlabel.Data;
using Fairlabel.Pay;
using Microsoft.EntityFrameworkCore;

namespace Fairlabel.Demo;

/// The demo's pay floors: round figures of the order of the hourly minimums platforms publish,
/// labelled as illustrative in their source. They are not legal figures; an operator replaces
/// them with the floors that apply to the installation's taskers.
static class DemoPayFloors
{
    const string Source = "Illustrative value for the demo, not a legal figure: replace with the floor that applies";

    static readonly (string Country, decimal Hourly)[] Floors = [(PayFloor.Default, 8.00m), ("KE", 3.00m), ("DE", 14.00m)];

    /// The demo organisation's payment for a project, recorded as an operator would, and the
    /// project's escrow set aside from it, as publishing requires.
    public static async Task FundEscrowAsync(IServiceProvider services, FairlabelDb db, Projects.Project project)
    {
        var options = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<PayOptions>>().Value;
        var open = await db.Items.Where(i => i.ProjectId == project.Id).CountAsync() * (long)project.Overlap;
        var needed = EscrowRule.Required(open, new Money(project.PayPerTask, project.Currency), options);
        var key = $"deposit:{project.OrganisationId}:demo-project-{project.Id}";
        if (!await db.LedgerTransfers.AnyAsync(t => t.Key == key))
            Ledger.Move(db, key, LedgerKinds.Deposit, LedgerAccounts.Deposits(project.OrganisationId),
                LedgerAccounts.Funding(project.OrganisationId), needed, DateTimeOffset.UtcNow, project.OrganisationId);
        await db.SaveChangesAsync();
        if (await Escrow.FundForPublishAsync(db, project, options, DateTimeOffset.UtcNow) is { } refused)
            throw new InvalidOperationException($"The demo project {project.Name} could not be funded: {refused.ProblemDetails.Detail}");
    }

    /// A payment of 500 USD recorded for the demo organisation, so that its requester can publish
    /// the projects they create while trying the demo.
    public static async Task EnsureStartingBalanceAsync(FairlabelDb db, Accounts.Organisation organisation)
    {
        var key = $"deposit:{organisation.Id}:demo-starting-balance";
        if (await db.LedgerTransfers.AnyAsync(t => t.Key == key)) return;
        Ledger.Move(db, key, LedgerKinds.Deposit, LedgerAccounts.Deposits(organisation.Id), LedgerAccounts.Funding(organisation.Id),
            new Money(500m, "USD"), DateTimeOffset.UtcNow, organisation.Id);
        await db.SaveChangesAsync();
    }

    public static async Task EnsureAsync(FairlabelDb db)
    {
        foreach (var (country, hourly) in Floors)
            if (!await db.PayFloors.AnyAsync(f => f.Country == country))
                db.PayFloors.Add(new PayFloor
                {
                    Country = country, HourlyAmount = hourly, Currency = "USD", Source = Source, UpdatedAt = DateTimeOffset.UtcNow,
                });
        await db.SaveChangesAsync();
    }
}
