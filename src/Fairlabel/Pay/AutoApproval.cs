using Fairlabel.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Fairlabel.Pay;

/// Approves the answers nobody reviewed within their project's review days, on the server's clock
/// (TimeProvider, so tests move time instead of waiting). Several nodes may run it at once: the
/// review's key and the movements' keys let only one of them record each approval.
public sealed class AutoApproval(IServiceScopeFactory scopes, TimeProvider clock, IOptions<PayOptions> options, ILogger<AutoApproval> log)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(options.Value.AutoApprovalInterval);
        while (await timer.WaitForNextTickAsync(stopping))
        {
            try
            {
                await ApproveOverdueAsync(stopping);
            }
            catch (Exception e) when (e is DbUpdateException or System.Data.Common.DbException or InvalidOperationException)
            {
                log.LogWarning(e, "Approving overdue answers failed; trying again next round");
            }
        }
    }

    public async Task<int> ApproveOverdueAsync(CancellationToken cancel = default)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<FairlabelDb>();
        var now = clock.GetUtcNow();
        var approved = 0;
        foreach (var project in await db.Projects.AsNoTracking().Select(p => new { p.Id, p.ReviewDays }).ToListAsync(cancel))
        {
            var cutoff = now.AddDays(-Math.Clamp(project.ReviewDays, 1, ReviewRules.MaxReviewDays));
            var due = await db.Answers.AsNoTracking()
                .Where(a => a.ProjectId == project.Id && a.SubmittedAt < cutoff && !db.AnswerReviews.Any(r => r.AnswerId == a.Id))
                .OrderBy(a => a.Id).Select(a => a.Id).Take(500).ToListAsync(cancel);
            foreach (var answerId in due)
            {
                if (await Reviews.FindAsync(db, answerId) is not { } answer) continue;
                Reviews.Decide(db, answer, ReviewDecisions.AutoApproved, null, null, null, now, options.Value);
                approved++;
            }
            await db.SaveChangesAsync(cancel);
            db.ChangeTracker.Clear();
        }
        return approved;
    }
}
