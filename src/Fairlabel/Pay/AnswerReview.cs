using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fairlabel.Pay;

public static class ReviewDecisions
{
    public const string Accepted = "accepted";
    public const string Rejected = "rejected";
    /// Not reviewed within the project's review days: approved without a reviewer.
    public const string AutoApproved = "auto_approved";
}

/// The decision on one answer: at most one (the answer id is the key), never changed in place.
public sealed class AnswerReview
{
    public long AnswerId { get; set; }
    public int ProjectId { get; set; }
    public int TaskerId { get; set; }
    public required string Decision { get; set; }
    /// For a rejection: one of <see cref="RejectionReasons.All"/>.
    public string? Reason { get; set; }
    /// What the tasker is told, in the reviewer's words.
    public string? Note { get; set; }
    public int? ReviewerId { get; set; }
    public DateTimeOffset DecidedAt { get; set; }
}

sealed class AnswerReviewConfiguration : IEntityTypeConfiguration<AnswerReview>
{
    public void Configure(EntityTypeBuilder<AnswerReview> r)
    {
        r.HasKey(x => x.AnswerId);
        r.HasOne<Work.Answer>().WithOne().HasForeignKey<AnswerReview>(x => x.AnswerId).OnDelete(DeleteBehavior.Restrict);
        r.HasIndex(x => new { x.TaskerId, x.DecidedAt });
        r.Property(x => x.Decision).HasMaxLength(16);
        r.Property(x => x.Reason).HasMaxLength(32);
        r.Property(x => x.Note).HasMaxLength(2000);
    }
}
