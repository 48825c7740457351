using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fairlabel.Work;

public static class AssignmentStatus
{
    public const string Leased = "leased";
    public const string Submitted = "submitted";
    public const string Skipped = "skipped";
    public const string Expired = "expired";
    /// Never stored: a lease a node handed out whose write failed (decision 0007). Only in memory.
    public const string Lost = "lost";
}

/// One item handed to one tasker. Moves one way only: leased → submitted | skipped | expired,
/// and expired → submitted when a late answer still fits (see docs/decisions/0003-work-loop.md).
public sealed class Assignment
{
    public long Id { get; set; }
    public int ProjectId { get; set; }
    public long ItemId { get; set; }
    public int TaskerId { get; set; }
    public string Status { get; set; } = AssignmentStatus.Leased;
    public DateTimeOffset LeasedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? EndedAt { get; set; }
    /// The pay for this task, locked when it was leased: a later rate change never reaches it.
    public decimal PayRate { get; set; }
    public required string Currency { get; set; }
}

sealed class AssignmentConfiguration : IEntityTypeConfiguration<Assignment>
{
    public void Configure(EntityTypeBuilder<Assignment> a)
    {
        // The database itself refuses the same item twice to one tasker, whatever the nodes do.
        a.HasIndex(x => new { x.ItemId, x.TaskerId }).IsUnique();
        // Live leases only: a submission then removes a row from this index instead of moving it
        // within it, which is most of the index work on the hot path. A tasker's live leases with
        // their expiry, read on every lease from the index alone; on PostgreSQL the sweep of
        // expired leases reads it whole too (see LiveLeasesByExpiry).
        a.HasIndex(x => new { x.TaskerId, x.ProjectId, x.ExpiresAt }).HasFilter("status = 'leased'")
            .HasDatabaseName("ix_assignments_live_tasker_id_project_id_expires_at");
        a.HasIndex(x => x.TaskerId);
        a.HasIndex(x => x.ProjectId);
        a.HasOne<Items.Item>().WithMany().HasForeignKey(x => x.ItemId).OnDelete(DeleteBehavior.Restrict);
        a.HasOne<Accounts.User>().WithMany().HasForeignKey(x => x.TaskerId).OnDelete(DeleteBehavior.Restrict);
        a.Property(x => x.Status).HasMaxLength(16);
        a.Property(x => x.Currency).HasMaxLength(3);
    }

    /// Live leases by expiry, for the sweep. SQLite only: PostgreSQL's planner scans the (small)
    /// tasker live-lease index for the sweep instead, so there this index was one more entry
    /// written per lease and never read (seventh session, docs/benchmarks.md).
    public static void LiveLeasesByExpiry(EntityTypeBuilder<Assignment> a) =>
        a.HasIndex(x => x.ExpiresAt).HasFilter("status = 'leased'").HasDatabaseName("ix_assignments_live_expires_at");
}
