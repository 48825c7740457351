using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fairlabel.Projects;

public static class ProjectStatus
{
    public const string Draft = "draft";
    public const string Published = "published";
    public const string Paused = "paused";
}

public sealed class Project
{
    public int Id { get; set; }
    public int OrganisationId { get; set; }
    public Accounts.Organisation? Organisation { get; set; }
    public required string Name { get; set; }
    public string Description { get; set; } = "";
    /// The task template as JSON (fields and questions), validated by <see cref="TemplateParser"/>.
    public required string Template { get; set; }
    /// Markdown shown beside every task.
    public string Guidelines { get; set; } = "";
    /// How many taskers answer each item (k).
    public int Overlap { get; set; } = 3;
    public decimal PayPerTask { get; set; }
    public required string Currency { get; set; }
    public int EstimatedSeconds { get; set; }
    /// How long a leased task stays reserved for its tasker before it returns to the pool.
    public int LeaseSeconds { get; set; }
    public string Status { get; set; } = ProjectStatus.Draft;
    /// How answers become one label per item: a Fairlabel.Quality method, or "auto".
    public string AggregationMethod { get; set; } = "auto";
    /// Days an answer waits for review before it is approved without one (Pay.ReviewRules).
    public int ReviewDays { get; set; } = Pay.ReviewRules.DefaultReviewDays;
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public decimal HourlyRate => HourlyRateOf(PayPerTask, EstimatedSeconds);

    public static decimal HourlyRateOf(decimal payPerTask, int estimatedSeconds) =>
        estimatedSeconds <= 0 ? 0 : Math.Round(payPerTask * 3600m / estimatedSeconds, 2);
}

sealed class ProjectConfiguration : IEntityTypeConfiguration<Project>
{
    public void Configure(EntityTypeBuilder<Project> project)
    {
        project.HasOne(p => p.Organisation).WithMany().HasForeignKey(p => p.OrganisationId).OnDelete(DeleteBehavior.Restrict);
        project.Property(p => p.Currency).HasMaxLength(3);
        project.Property(p => p.Status).HasMaxLength(16);
        project.Property(p => p.AggregationMethod).HasMaxLength(16).HasDefaultValue("auto");
        project.Ignore(p => p.HourlyRate);
        project.Property(p => p.ReviewDays).HasDefaultValue(Pay.ReviewRules.DefaultReviewDays);
    }
}
