namespace Fairlabel.Pay;

public sealed record PayFloorRow(string Country, Money Hourly, string Source);

/// A country of the audience whose floor the project does not meet. <paramref name="InOtherCurrency"/>:
/// the floor is kept in another currency than the project's, so the project cannot be shown to meet it.
public sealed record FloorBreach(string Country, Money Floor, Money Estimate, string Source, bool InOtherCurrency);

/// Whether an estimated hourly rate meets the pay floors of the countries a project is offered to.
public static class PayFloorRule
{
    /// The estimated hourly rate, unrounded: the pay per task over the estimated time per task.
    public static Money EstimatedHourly(decimal payPerTask, int estimatedSeconds, string currency) =>
        new(estimatedSeconds <= 0 ? 0 : payPerTask * 3600m / estimatedSeconds, currency);

    /// The breaches, the highest floor first; none when the estimate meets every floor that applies.
    /// <paramref name="audience"/> is the set of countries the project is offered to; null means
    /// everyone, which is measured against every country that has a floor and the global default.
    /// A country without a floor of its own takes the default's. A floor kept only in another
    /// currency is a breach: meeting it cannot be shown without an exchange rate.
    public static List<FloorBreach> Breaches(Money estimate, IReadOnlyCollection<string>? audience, IReadOnlyList<PayFloorRow> floors)
    {
        var byCountry = floors.GroupBy(f => f.Country).ToDictionary(g => g.Key, g => g.ToList());
        var countries = audience ?? [.. byCountry.Keys];
        var breaches = new List<FloorBreach>();
        foreach (var country in countries.Distinct())
        {
            if (!byCountry.TryGetValue(country, out var own) && !byCountry.TryGetValue(PayFloor.Default, out own)) continue;
            var same = own.FirstOrDefault(f => f.Hourly.Currency == estimate.Currency);
            if (same is null) breaches.Add(new FloorBreach(country, own[0].Hourly, estimate, own[0].Source, InOtherCurrency: true));
            else if (estimate < same.Hourly) breaches.Add(new FloorBreach(country, same.Hourly, estimate, same.Source, InOtherCurrency: false));
        }
        return [.. breaches.OrderByDescending(b => b.InOtherCurrency).ThenByDescending(b => b.Floor.Amount).ThenBy(b => b.Country, StringComparer.Ordinal)];
    }
}
