using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fairlabel.Events;

/// One state change, appended and never edited: the raw material of the audit log (C11).
/// The work loop's own transitions (lease, submit, skip, expiry) are recorded in the
/// assignments and answers tables, whose timestamps make them an append-only history too.
public sealed class RecordedEvent
{
    public long Id { get; set; }
    public DateTimeOffset At { get; set; }
    public required string Kind { get; set; }
    public int? ActorId { get; set; }
    public int? OrganisationId { get; set; }
    public int? ProjectId { get; set; }
    /// Event details as JSON.
    public string Data { get; set; } = "{}";
}

sealed class RecordedEventConfiguration : IEntityTypeConfiguration<RecordedEvent>
{
    public void Configure(EntityTypeBuilder<RecordedEvent> e)
    {
        e.ToTable("events");
        e.HasIndex(x => new { x.ProjectId, x.Id });
    }
}
