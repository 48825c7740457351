using Fairlabel.Accounts;
using Fairlabel.Data;
using Fairlabel.Infrastructure;
using Fairlabel.Projects;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Fairlabel.Pay;

public sealed record ReviewInput(string? Decision, string? Reason, string? Note);
public sealed record ReviewView(long AnswerId, string Decision, string? Reason, string? Note, DateTimeOffset DecidedAt);

/// Requesters accept or reject their projects' answers; a rejection names a reason from the closed
/// list and says in a note what the tasker is told.
public static class ReviewsApi
{
    public static void MapReviews(this IEndpointRouteBuilder app)
    {
        var answers = app.MapGroup("/api/projects/{id:int}/answers").WithTags("Pay")
            .RequireAuthorization(p => p.RequireRole(Roles.Requester)).RequireAntiforgeryForCookies();
        answers.MapPost("/{answerId:long}/review", Review).WithSummary("Accept or reject an answer (a rejection needs a reason and a note)");
    }

    static async Task<Results<Ok<ReviewView>, ValidationProblem, ProblemHttpResult>> Review(int id, long answerId, ReviewInput body,
        HttpContext http, FairlabelDb db, TimeProvider clock, IOptions<PayOptions> options)
    {
        if (await db.FindManagedAsync(http.User, id) is null) return Problems.NotFound("Project");
        if (await Reviews.FindAsync(db, answerId) is not { } answer || answer.ProjectId != id) return Problems.NotFound("Answer");
        var decision = body.Decision switch { "accept" => ReviewDecisions.Accepted, "reject" => ReviewDecisions.Rejected, _ => null };
        var errors = new FieldErrors();
        if (decision is null) errors.Add("decision", "must be accept or reject");
        var note = string.IsNullOrWhiteSpace(body.Note) ? null : body.Note.Trim();
        if (note?.Length > 2000) errors.Add("note", "must be at most 2000 characters");
        if (decision == ReviewDecisions.Rejected)
        {
            if (!RejectionReasons.All.Contains(body.Reason)) errors.Add("reason", $"must be one of {string.Join(", ", RejectionReasons.All)}");
            else if (body.Reason == RejectionReasons.TooFast && !await TooFastAsync(db, answer)) errors.Add("reason",
                "too_fast applies only to an answer more than 3 standard deviations faster than the project's mean active time (with at least 10 measured answers); this one is not");
            if (note is null) errors.Add("note", "is required with a rejection: it is what the tasker is told");
        }
        else if (body.Reason is not null && decision is not null) errors.Add("reason", "is only for a rejection");
        if (errors.Any) return Problems.Invalid("The review is not valid", errors);

        if (await ExistingAsync(db, answerId) is { } existing) return SameOrConflict(existing, decision!);
        var review = Reviews.Decide(db, answer, decision!, decision == ReviewDecisions.Rejected ? body.Reason : null, note, http.User.Id(),
            clock.GetUtcNow(), options.Value);
        try
        {
            await db.SaveChangesAsync();
        }
        catch (DbUpdateException)
        {
            // Decided meanwhile by another request (or approved automatically).
            db.ChangeTracker.Clear();
            if (await ExistingAsync(db, answerId) is not { } raced) throw;
            return SameOrConflict(raced, decision!);
        }
        return TypedResults.Ok(ToView(review));
    }

    static Task<AnswerReview?> ExistingAsync(FairlabelDb db, long answerId) =>
        db.AnswerReviews.AsNoTracking().FirstOrDefaultAsync(r => r.AnswerId == answerId);

    /// A repeated review with the same decision is the same review; another decision is refused.
    static Results<Ok<ReviewView>, ValidationProblem, ProblemHttpResult> SameOrConflict(AnswerReview existing, string decision) =>
        existing.Decision == decision
            ? TypedResults.Ok(ToView(existing))
            : Problems.Conflict("The answer is already reviewed", $"It was {existing.Decision.Replace('_', ' ')} on {existing.DecidedAt:u}.");

    static async Task<bool> TooFastAsync(FairlabelDb db, Reviews.Reviewed answer)
    {
        var times = await db.Answers.AsNoTracking().Where(a => a.ProjectId == answer.ProjectId && a.ActiveSeconds != null)
            .Select(a => new { a.Id, Seconds = a.ActiveSeconds!.Value }).ToListAsync();
        return ReviewRules.IsTooFast(times.FirstOrDefault(t => t.Id == answer.AnswerId)?.Seconds, [.. times.Select(t => t.Seconds)]);
    }

    static ReviewView ToView(AnswerReview r) => new(r.AnswerId, r.Decision, r.Reason, r.Note, r.DecidedAt);
}
