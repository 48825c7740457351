using Fairlabel.Data;
using Microsoft.EntityFrameworkCore;

namespace Fairlabel.Cli;

/// What tells one organisation from another of the same name: its id, owner and size.
public sealed record OrganisationSummary(int Id, string Name, string? OwnerEmail, int? OwnerId, int Members)
{
    public static async Task<OrganisationSummary?> FindAsync(FairlabelDb db, int id) =>
        await db.Organisations.AsNoTracking().Where(o => o.Id == id)
            .Select(o => new OrganisationSummary(o.Id, o.Name,
                db.Users.Where(u => u.OrganisationId == o.Id && u.OrganisationRole == "owner").OrderBy(u => u.Id).Select(u => u.Email).FirstOrDefault(),
                db.Users.Where(u => u.OrganisationId == o.Id && u.OrganisationRole == "owner").OrderBy(u => u.Id).Select(u => (int?)u.Id).FirstOrDefault(),
                db.Users.Count(u => u.OrganisationId == o.Id)))
            .FirstOrDefaultAsync();

    public string Describe() =>
        $"Organisation {Id} \"{Name}\": owner {(OwnerEmail is null ? "none" : $"{OwnerEmail} (user {OwnerId})")}, " +
        $"{Members} member{(Members == 1 ? "" : "s")}.";
}
