using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fairlabel.Wellbeing;

/// A tasker's report that an item's content should not be in the queue: what is wrong with it,
/// in the tasker's words. One per task, so a retried report records nothing twice.
public sealed class ContentReport
{
    public long Id { get; set; }
    public int ProjectId { get; set; }
    public long ItemId { get; set; }
    public int TaskerId { get; set; }
    public long AssignmentId { get; set; }
    /// One of <see cref="ReportReasons.All"/>.
    public required string Reason { get; set; }
    public string Note { get; set; } = "";
    public DateTimeOffset ReportedAt { get; set; }
}

public static class QuarantineStatus
{
    /// Out of every queue and every export until someone decides.
    public const string Quarantined = "quarantined";
    /// Decided: the item stays out of the queues and the exports for good.
    public const string Removed = "removed";
    /// Decided: the item goes back to the queues (a new report quarantines it again).
    public const string Released = "released";
}

/// An item taken out of the queues because it was reported, and what was decided about it.
/// <see cref="ChangedAt"/> is how the other nodes learn of the change (<see cref="QuarantineWatch"/>).
public sealed class ItemQuarantine
{
    public long ItemId { get; set; }
    public int ProjectId { get; set; }
    public string Status { get; set; } = QuarantineStatus.Quarantined;
    public DateTimeOffset QuarantinedAt { get; set; }
    public DateTimeOffset ChangedAt { get; set; }
    /// The requester or operator who released or removed the item, with their note.
    public int? DecidedBy { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }
    public string DecisionNote { get; set; } = "";
}

sealed class ContentReportConfiguration : IEntityTypeConfiguration<ContentReport>
{
    public void Configure(EntityTypeBuilder<ContentReport> report)
    {
        report.ToTable("content_reports");
        report.HasIndex(r => r.AssignmentId).IsUnique();
        report.HasIndex(r => new { r.ProjectId, r.ItemId });
        report.HasIndex(r => r.TaskerId);
        report.HasOne<Items.Item>().WithMany().HasForeignKey(r => r.ItemId).OnDelete(DeleteBehavior.Restrict);
        report.HasOne<Accounts.User>().WithMany().HasForeignKey(r => r.TaskerId).OnDelete(DeleteBehavior.Restrict);
        report.HasOne<Work.Assignment>().WithMany().HasForeignKey(r => r.AssignmentId).OnDelete(DeleteBehavior.Restrict);
        report.Property(r => r.Reason).HasMaxLength(32);
        report.Property(r => r.Note).HasMaxLength(ReportReasons.NoteMaxLength);
    }
}

sealed class ItemQuarantineConfiguration : IEntityTypeConfiguration<ItemQuarantine>
{
    public void Configure(EntityTypeBuilder<ItemQuarantine> q)
    {
        q.ToTable("item_quarantines");
        q.HasKey(x => x.ItemId);
        q.HasOne<Items.Item>().WithMany().HasForeignKey(x => x.ItemId).OnDelete(DeleteBehavior.Restrict);
        q.HasIndex(x => new { x.ProjectId, x.Status });
        q.HasIndex(x => x.ChangedAt);
        q.Property(x => x.Status).HasMaxLength(16);
        q.Property(x => x.DecisionNote).HasMaxLength(ReportReasons.NoteMaxLength);
    }
}
