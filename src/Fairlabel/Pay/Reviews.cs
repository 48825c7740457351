using Fairlabel.Data;
using Fairlabel.Events;
using Microsoft.EntityFrameworkCore;

namespace Fairlabel.Pay;

/// Recording a decision on an answer and the money it moves, once: accepted (or approved without
/// review) moves the pay from pending to approved and the platform's fee out of escrow; rejected
/// moves the pay from pending back to escrow. The review's key is the answer, the movements' keys
/// name the assignment, so neither can be written twice.
public static class Reviews
{
    public sealed record Reviewed(long AnswerId, long AssignmentId, int ProjectId, int TaskerId, Money Pay);

    public static async Task<Reviewed?> FindAsync(FairlabelDb db, long answerId) =>
        await db.Answers.AsNoTracking().Where(a => a.Id == answerId)
            .Join(db.Assignments, a => a.AssignmentId, s => s.Id, (a, s) => new { a.Id, a.AssignmentId, a.ProjectId, a.TaskerId, s.PayRate, s.Currency })
            .Select(x => new { x.Id, x.AssignmentId, x.ProjectId, x.TaskerId, x.PayRate, x.Currency }).FirstOrDefaultAsync() is { } row
            ? new Reviewed(row.Id, row.AssignmentId, row.ProjectId, row.TaskerId, new Money(row.PayRate, row.Currency))
            : null;

    /// Adds the review and its movements to the context; the caller saves them in one transaction.
    public static AnswerReview Decide(FairlabelDb db, Reviewed answer, string decision, string? reason, string? note, int? reviewerId,
        DateTimeOffset now, PayOptions options)
    {
        var review = new AnswerReview
        {
            AnswerId = answer.AnswerId, ProjectId = answer.ProjectId, TaskerId = answer.TaskerId, Decision = decision,
            Reason = reason, Note = note, ReviewerId = reviewerId, DecidedAt = now,
        };
        db.AnswerReviews.Add(review);
        var pending = LedgerAccounts.Pending(answer.TaskerId);
        if (decision == ReviewDecisions.Rejected)
            Ledger.Move(db, $"rejected:{answer.AssignmentId}", LedgerKinds.Rejected, pending, LedgerAccounts.Escrow(answer.ProjectId),
                answer.Pay, now, projectId: answer.ProjectId).AssignmentId = answer.AssignmentId;
        else
        {
            var approved = Ledger.Move(db, $"approved:{answer.AssignmentId}", LedgerKinds.Approved, pending,
                LedgerAccounts.Approved(answer.TaskerId), answer.Pay, now, projectId: answer.ProjectId);
            approved.TaskerId = answer.TaskerId;
            approved.AssignmentId = answer.AssignmentId;
            if (ReviewRules.FeeOn(answer.Pay, options) is { Amount: > 0 } fee)
                Ledger.Move(db, $"fee:{answer.AssignmentId}", LedgerKinds.Fee, LedgerAccounts.Escrow(answer.ProjectId),
                    LedgerAccounts.PlatformFees, fee, now, projectId: answer.ProjectId);
        }
        db.Record("answer." + decision, reviewerId, null, answer.ProjectId, new { answer.AnswerId, reason });
        return review;
    }
}
