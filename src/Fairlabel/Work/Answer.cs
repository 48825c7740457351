using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fairlabel.Work;

/// A tasker's submitted answer; at most one per assignment.
public sealed class Answer
{
    public long Id { get; set; }
    public long AssignmentId { get; set; }
    public int ProjectId { get; set; }
    public long ItemId { get; set; }
    public int TaskerId { get; set; }
    /// The answer object, keyed by question id, as JSON.
    public required string Value { get; set; }
    public required string IdempotencyKey { get; set; }
    /// Time the task page measured the tasker active (focus and input only).
    public double? ActiveSeconds { get; set; }
    public DateTimeOffset SubmittedAt { get; set; }
}

sealed class AnswerConfiguration : IEntityTypeConfiguration<Answer>
{
    public void Configure(EntityTypeBuilder<Answer> a)
    {
        a.HasIndex(x => x.AssignmentId).IsUnique();
        a.HasIndex(x => new { x.ProjectId, x.ItemId });
        a.HasOne<Assignment>().WithOne().HasForeignKey<Answer>(x => x.AssignmentId).OnDelete(DeleteBehavior.Restrict);
        a.Property(x => x.IdempotencyKey).HasMaxLength(100);
    }
}
