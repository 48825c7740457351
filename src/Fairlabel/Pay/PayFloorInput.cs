using System.Text.RegularExpressions;
using Fairlabel.Data;
using Fairlabel.Events;
using Fairlabel.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Fairlabel.Pay;

/// A floor as the operator sets it, through the API or `fairlabel floors set`: validated and
/// stored the same way by both.
public sealed partial record PayFloorInput(string? Country, string? Currency, decimal? HourlyAmount, string? Source)
{
    [GeneratedRegex("^[A-Z]{2}$")]
    private static partial Regex CountryCode();

    public FieldErrors Validate()
    {
        var errors = new FieldErrors();
        if (Country != PayFloor.Default && (Country is null || !CountryCode().IsMatch(Country)))
            errors.Add("country", "must be an ISO 3166-1 two-letter country code in capitals, such as KE, or * for the global default");
        if (!Currencies.IsKnown(Currency)) errors.Add("currency", Currencies.Expected);
        if (HourlyAmount is not (> 0 and <= 10000)) errors.Add("hourlyAmount", "must be more than 0 and at most 10000");
        else if (decimal.Round(HourlyAmount.Value, 4) != HourlyAmount) errors.Add("hourlyAmount", "has more than 4 decimal places");
        if (string.IsNullOrWhiteSpace(Source) || Source.Length > 500)
            errors.Add("source", "is required: where the figure comes from (at most 500 characters)");
        return errors;
    }

    /// Sets the floor of the country in the currency, replacing the one there was. Call after <see cref="Validate"/>.
    public async Task<PayFloor> SaveAsync(FairlabelDb db, int? operatorId, DateTimeOffset now)
    {
        var floor = await db.PayFloors.FirstOrDefaultAsync(f => f.Country == Country && f.Currency == Currency);
        var before = floor?.HourlyAmount;
        if (floor is null) db.PayFloors.Add(floor = new PayFloor { Country = Country!, Currency = Currency!, Source = "" });
        floor.HourlyAmount = HourlyAmount!.Value;
        floor.Source = Source!.Trim();
        floor.UpdatedAt = now;
        floor.UpdatedBy = operatorId;
        db.Record("pay_floor.set", operatorId, data: new { Country, Currency, before, after = HourlyAmount, source = floor.Source });
        await db.SaveChangesAsync();
        return floor;
    }
}
