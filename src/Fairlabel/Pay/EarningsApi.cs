using Fairlabel.Accounts;
using Fairlabel.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Fairlabel.Pay;

public sealed record EarnedTask(long AssignmentId, long AnswerId, int ProjectId, string Project, decimal Pay, string Currency,
    DateTimeOffset SubmittedAt, string Status, string? Reason, string? Note, DateTimeOffset? ApprovedAutomaticallyAt);
public sealed record EarningsTotal(string Currency, decimal Pending, decimal Approved, decimal Paid);
public sealed record EarningsByTask(List<EarningsTotal> Totals, List<EarnedTask> Tasks);

/// A tasker's own earnings: totals from the ledger, and each task with its review.
public static class EarningsApi
{
    public static void MapEarnings(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/work/earnings/by-task", Get).WithTags("Pay").RequireAuthorization(p => p.RequireRole(Roles.Tasker))
            .WithSummary("My pending, approved and paid earnings, task by task, with rejections' reasons");

    static async Task<Ok<EarningsByTask>> Get(HttpContext http, FairlabelDb db)
    {
        var tasker = http.User.Id();
        var rows = await db.Answers.AsNoTracking().Where(a => a.TaskerId == tasker)
            .Join(db.Assignments, a => a.AssignmentId, s => s.Id, (a, s) => new { a, s.PayRate, s.Currency })
            .Join(db.Projects, x => x.a.ProjectId, p => p.Id, (x, p) => new { x.a, x.PayRate, x.Currency, p.Name, p.ReviewDays })
            .OrderByDescending(x => x.a.Id).Take(1000).ToListAsync();
        var ids = rows.Select(r => r.a.Id).ToList();
        var reviews = await db.AnswerReviews.AsNoTracking().Where(r => ids.Contains(r.AnswerId)).ToDictionaryAsync(r => r.AnswerId);
        var tasks = rows.Select(r =>
        {
            var review = reviews.GetValueOrDefault(r.a.Id);
            var status = review?.Decision switch { null => "pending", ReviewDecisions.Rejected => "rejected", _ => "approved" };
            return new EarnedTask(r.a.AssignmentId, r.a.Id, r.a.ProjectId, r.Name, r.PayRate, r.Currency, r.a.SubmittedAt, status,
                review?.Reason, review?.Note, review is null ? ReviewRules.AutoApprovalAt(r.a.SubmittedAt, r.ReviewDays) : null);
        }).ToList();
        var balances = await Ledger.BalancesAsync(db, account: LedgerAccounts.Pending(tasker));
        balances.AddRange(await Ledger.BalancesAsync(db, account: LedgerAccounts.Approved(tasker)));
        balances.AddRange(await Ledger.BalancesAsync(db, account: LedgerAccounts.Payouts(tasker)));
        var totals = balances.GroupBy(b => b.Currency).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => new EarningsTotal(g.Key,
            g.Where(b => b.Account == LedgerAccounts.Pending(tasker)).Sum(b => b.Balance),
            g.Where(b => b.Account == LedgerAccounts.Approved(tasker)).Sum(b => b.Balance),
            g.Where(b => b.Account == LedgerAccounts.Payouts(tasker)).Sum(b => b.Balance))).ToList();
        return TypedResults.Ok(new EarningsByTask(totals, tasks));
    }
}
