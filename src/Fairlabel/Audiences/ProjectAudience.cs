using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fairlabel.Audiences;

/// A project's audience as stored (<see cref="Audience"/> is what the rules read). A project
/// without a row is open to every tasker.
public sealed class ProjectAudience
{
    public int ProjectId { get; set; }
    public string CountryMode { get; set; } = CountryModes.Anyone;
    public List<string> Countries { get; set; } = [];
    public List<string> Languages { get; set; } = [];
    public List<string> Expertise { get; set; } = [];
    public int? DailyExposureCap { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public Audience ToAudience() => new(CountryMode, Countries, Languages, Expertise, DailyExposureCap);
}

sealed class ProjectAudienceConfiguration : IEntityTypeConfiguration<ProjectAudience>
{
    public void Configure(EntityTypeBuilder<ProjectAudience> audience)
    {
        audience.HasKey(a => a.ProjectId);
        audience.HasOne<Projects.Project>().WithOne().HasForeignKey<ProjectAudience>(a => a.ProjectId).OnDelete(DeleteBehavior.Cascade);
        audience.Property(a => a.CountryMode).HasMaxLength(8);
        audience.PrimitiveCollection(a => a.Countries);
        audience.PrimitiveCollection(a => a.Languages);
        audience.PrimitiveCollection(a => a.Expertise);
    }
}

/// The operator's settings for audiences (section `Audiences`).
public sealed class AudienceOptions
{
    /// Items of one sensitivity category a tasker may be handed in a day (UTC), over all projects;
    /// a project may set a lower cap.
    public int DailyExposureCap { get; set; } = 200;
}
