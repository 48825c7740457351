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
        a.HasIndex(x => x.ProjectId);
        a.HasOne<Items.Item>().WithMany().HasForeignKey(x => x.ItemId).OnDelete(DeleteBehavior.Restrict);
        a.HasOne<Accounts.User>().WithMany().HasForeignKey(x => x.TaskerId).OnDelete(DeleteBehavior.Restrict);
        a.Property(x => x.Status).HasMaxLength(16);
        a.Property(x => x.Currency).HasMaxLength(3);
    }

    /// SQLite: indexes of live leases only (a submission removes the lease's row from them rather
    /// than moving it within them): a tasker's live leases with their expiry, read on every lease
    /// from the index alone, and live leases by expiry, for the sweep. And a tasker's assignments.
    public static void LeaseIndexesOnSqlite(EntityTypeBuilder<Assignment> a)
    {
        a.HasIndex(x => new { x.TaskerId, x.ProjectId, x.ExpiresAt }).HasFilter("status = 'leased'")
            .HasDatabaseName("ix_assignments_live_tasker_id_project_id_expires_at");
        a.HasIndex(x => x.ExpiresAt).HasFilter("status = 'leased'").HasDatabaseName("ix_assignments_live_expires_at");
        a.HasIndex(x => x.TaskerId);
    }

    /// PostgreSQL: no index names the status, or a column a submission changes, so that the
    /// submission's update of its assignment is a HOT update (a new row version on the same page,
    /// and no new entry in any index) instead of new entries in every index of the table. A
    /// tasker's assignments in a project by expiry (live leases are among those not yet expired),
    /// and assignments by expiry, for the sweep, which reads only the stretch of expiries since its
    /// last round (ExpireLeasesAsync). Pages are filled to 75 % (migration), leaving room for the
    /// submitted version of each row.
    public static void LeaseIndexesOnPostgres(EntityTypeBuilder<Assignment> a)
    {
        a.HasIndex(x => new { x.TaskerId, x.ProjectId, x.ExpiresAt });
        a.HasIndex(x => x.ExpiresAt);
    }
}
