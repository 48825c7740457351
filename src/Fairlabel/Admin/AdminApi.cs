using Fairlabel.Accounts;
using Fairlabel.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Fairlabel.Admin;

public sealed record OrganisationSummary(int Id, string Name, int Members, int Projects, DateTimeOffset CreatedAt);
public sealed record UserSummary(int Id, string Email, string DisplayName, string Role, string? Organisation, string? Country,
    DateTimeOffset CreatedAt);

public static class AdminApi
{
    public static void MapAdmin(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/api/admin").WithTags("Operator")
            .RequireAuthorization(p => p.RequireRole(Roles.Operator)).RequireAntiforgeryForCookies();
        admin.MapGet("/organisations", Organisations).WithSummary("Every organisation on this installation");
        admin.MapGet("/users", Users).WithSummary("Every account, newest first");
    }

    static async Task<Ok<List<OrganisationSummary>>> Organisations(FairlabelDb db) =>
        TypedResults.Ok(await db.Organisations.AsNoTracking().OrderBy(o => o.Name)
            .Select(o => new OrganisationSummary(o.Id, o.Name, db.Users.Count(u => u.OrganisationId == o.Id),
                db.Projects.Count(p => p.OrganisationId == o.Id), o.CreatedAt))
            .ToListAsync());

    static async Task<Ok<List<UserSummary>>> Users(FairlabelDb db)
    {
        var users = await db.Users.AsNoTracking().Include(u => u.Organisation).OrderByDescending(u => u.Id).Take(1000).ToListAsync();
        return TypedResults.Ok(users.Select(u => new UserSummary(u.Id, u.Email, u.DisplayName, u.Role, u.Organisation?.Name,
            u.Country, u.CreatedAt)).ToList());
    }
}
