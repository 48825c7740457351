using Fairlabel.Data;
using Fairlabel.Projects;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fairlabel.Pay;

/// What pay asks of a project before it opens to taskers.
public static class PublishRules
{
    /// Refused when the estimated hourly rate is under a floor of the project's audience. Projects
    /// have no audience yet, so every country with a floor counts (PayFloorRule, audience null).
    public static async Task<ProblemHttpResult?> FloorRefusalAsync(FairlabelDb db, Project project)
    {
        var estimate = PayFloorRule.EstimatedHourly(project.PayPerTask, project.EstimatedSeconds, project.Currency);
        var breaches = PayFloorRule.Breaches(estimate, audience: null, await PayFloorsApi.RowsAsync(db));
        return breaches.Count == 0 ? null : FloorProblem(breaches[0], breaches.Count);
    }

    static ProblemHttpResult FloorProblem(FloorBreach breach, int countries)
    {
        var where = breach.Country == PayFloor.Default ? "the default floor" : $"the floor for {breach.Country}";
        var estimate = breach.Estimate.RoundedToMinorUnit();
        var detail = breach.InOtherCurrency
            ? $"{char.ToUpperInvariant(where[0])}{where[1..]} is {breach.Floor} an hour, kept in {breach.Floor.Currency}; " +
              $"the project pays in {breach.Estimate.Currency} and cannot be shown to meet it. Pay in {breach.Floor.Currency}, " +
              $"or ask the operator for a floor in {breach.Estimate.Currency}."
            : $"The estimated hourly rate is {estimate}, below {where}: {breach.Floor} an hour ({breach.Source}). " +
              "Raise the pay per task or correct the time estimate.";
        return TypedResults.Problem(title: "The pay is below the pay floor", detail: detail, statusCode: 409,
            extensions: new Dictionary<string, object?>
            {
                ["country"] = breach.Country,
                ["floor"] = new { amount = breach.Floor.Amount, currency = breach.Floor.Currency, source = breach.Source },
                ["estimate"] = new { amount = estimate.Amount, currency = estimate.Currency },
                ["countriesBelowFloor"] = countries,
            });
    }
}
