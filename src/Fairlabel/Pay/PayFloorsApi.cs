using Fairlabel.Accounts;
using Fairlabel.Data;
using Fairlabel.Events;
using Fairlabel.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Fairlabel.Pay;

public sealed record PayFloorView(int Id, string Country, decimal HourlyAmount, string Currency, string Source, DateTimeOffset UpdatedAt);

/// The operator's pay-floor table. Requesters read it too: they should see the floor before they
/// are refused by it.
public static class PayFloorsApi
{
    public static void MapPayFloors(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/pay-floors", List).WithTags("Pay").RequireAuthorization()
            .WithSummary("The pay floors a project's estimated hourly rate must meet");
        var floors = app.MapGroup("/api/admin/pay-floors").WithTags("Operator")
            .RequireAuthorization(p => p.RequireRole(Roles.Operator)).RequireAntiforgeryForCookies();
        floors.MapPut("/", Set).WithSummary("Set the hourly pay floor of a country (or * for the default) in a currency");
        floors.MapDelete("/{id:int}", Remove).WithSummary("Remove a pay floor");
    }

    static async Task<Ok<List<PayFloorView>>> List(FairlabelDb db) =>
        TypedResults.Ok((await db.PayFloors.AsNoTracking().ToListAsync())
            .OrderBy(f => f.Country == PayFloor.Default ? "" : f.Country, StringComparer.Ordinal).ThenBy(f => f.Currency, StringComparer.Ordinal)
            .Select(ToView).ToList());

    static async Task<Results<Ok<PayFloorView>, ValidationProblem>> Set(PayFloorInput body, HttpContext http, FairlabelDb db, TimeProvider clock)
    {
        var errors = body.Validate();
        if (errors.Any) return Problems.Invalid("The pay floor is not valid", errors);
        return TypedResults.Ok(ToView(await body.SaveAsync(db, http.User.Id(), clock.GetUtcNow())));
    }

    static async Task<Results<NoContent, ProblemHttpResult>> Remove(int id, HttpContext http, FairlabelDb db)
    {
        if (await db.PayFloors.FirstOrDefaultAsync(f => f.Id == id) is not { } floor) return Problems.NotFound("Pay floor");
        db.PayFloors.Remove(floor);
        db.Record("pay_floor.removed", http.User.Id(), data: new { floor.Country, floor.Currency, floor.HourlyAmount });
        await db.SaveChangesAsync();
        return TypedResults.NoContent();
    }

    static PayFloorView ToView(PayFloor f) => new(f.Id, f.Country, f.HourlyAmount, f.Currency, f.Source, f.UpdatedAt);

    public static async Task<List<PayFloorRow>> RowsAsync(FairlabelDb db) =>
        [.. (await db.PayFloors.AsNoTracking().ToListAsync()).Select(f => new PayFloorRow(f.Country, new Money(f.HourlyAmount, f.Currency), f.Source))];
}
