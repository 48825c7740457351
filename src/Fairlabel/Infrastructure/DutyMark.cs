using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fairlabel.Infrastructure;

/// How far a background duty has done its work, kept in the database so that whichever node
/// leads the duties next (DutyLeader) goes on from there. The lease sweep's mark is the latest
/// expiry it has handled: each round reads only the leases expiring after it.
public sealed class DutyMark
{
    public const string LeaseExpiry = "lease-expiry";

    public required string Duty { get; set; }
    /// Unix milliseconds, as every time in the work loop's tables.
    public long Through { get; set; }
}

sealed class DutyMarkConfiguration : IEntityTypeConfiguration<DutyMark>
{
    public void Configure(EntityTypeBuilder<DutyMark> m)
    {
        m.HasKey(x => x.Duty);
        m.Property(x => x.Duty).HasMaxLength(32);
    }
}
