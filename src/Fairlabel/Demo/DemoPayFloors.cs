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
