using System.Text.Json;
using Fairlabel.Infrastructure;

namespace Fairlabel.Projects;

public sealed record ProjectInput(
    string? Name, string? Description, JsonElement Template, string? Guidelines, int? Overlap,
    decimal? PayPerTask, string? Currency, int? EstimatedSeconds, int? LeaseSeconds, string? Aggregation = null, int? ReviewDays = null)
    : IValidatedBody
{
    string IValidatedBody.InvalidTitle => "The project is not valid";

    void IValidatedBody.Validate(FieldErrors errors, IServiceProvider services)
    {
        if (string.IsNullOrWhiteSpace(Name) || Name.Length > 200) errors.Add("name", "is required (at most 200 characters)");
        if (Overlap is not (>= 1 and <= 50)) errors.Add("overlap", "must be a whole number from 1 to 50");
        if (PayPerTask is not (> 0 and <= 10000)) errors.Add("payPerTask", "must be more than 0 and at most 10000");
        else if (decimal.Round(PayPerTask.Value, 4) != PayPerTask) errors.Add("payPerTask", "has more than 4 decimal places");
        if (!Pay.Currencies.IsKnown(Currency)) errors.Add("currency", Pay.Currencies.Expected);
        if (EstimatedSeconds is not (>= 5 and <= 7200)) errors.Add("estimatedSeconds", "must be from 5 to 7200 seconds");
        if (LeaseSeconds is not null and not (>= 10 and <= 86400)) errors.Add("leaseSeconds", "must be from 10 to 86400 seconds");
        if ((Description?.Length ?? 0) > 10_000) errors.Add("description", "must be at most 10000 characters");
        if ((Guidelines?.Length ?? 0) > 100_000) errors.Add("guidelines", "must be at most 100000 characters");
        if (Aggregation is not null && !QualityControl.CrowdLabels.Methods.Contains(Aggregation))
            errors.Add("aggregation", $"must be one of {string.Join(", ", QualityControl.CrowdLabels.Methods)}");
        if (ReviewDays is not null and not (>= 1 and <= Pay.ReviewRules.MaxReviewDays))
            errors.Add("reviewDays", $"must be from 1 to {Pay.ReviewRules.MaxReviewDays} days");
        TemplateParser.Parse(Template, errors);
    }

    /// Long enough to finish comfortably, short enough that abandoned work returns the same day.
    public int EffectiveLeaseSeconds => LeaseSeconds ?? Math.Clamp(EstimatedSeconds!.Value * 4, 300, 7200);

    public void ApplyTo(Project project)
    {
        project.Name = Name!.Trim();
        project.Description = Description?.Trim() ?? "";
        project.Template = Template.GetRawText();
        project.Guidelines = Guidelines ?? "";
        project.Overlap = Overlap!.Value;
        project.PayPerTask = PayPerTask!.Value;
        project.Currency = Currency!;
        project.EstimatedSeconds = EstimatedSeconds!.Value;
        project.LeaseSeconds = EffectiveLeaseSeconds;
        project.AggregationMethod = Aggregation ?? QualityControl.CrowdLabels.Auto;
        project.ReviewDays = ReviewDays ?? Pay.ReviewRules.DefaultReviewDays;
    }
}
