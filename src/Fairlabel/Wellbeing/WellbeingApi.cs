using System.Text.Json;
using System.Text.Json.Serialization;
using Fairlabel.Accounts;
using Fairlabel.Data;
using Fairlabel.Infrastructure;
using Fairlabel.Items;
using Fairlabel.Projects;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Fairlabel.Wellbeing;

public sealed record ReportRequest(string? Reason, string? Note);
public sealed record ReportReceipt(long ItemId, string Status, bool Duplicate);
public sealed record WellbeingSettings(int BreakAfterFlaggedItems, int BreakMinutes, IReadOnlyList<string> ReportReasons);

[JsonConverter(typeof(JsonStringEnumConverter<DecisionName>))]
public enum DecisionName
{
    [JsonStringEnumMemberName("release")] Release,
    [JsonStringEnumMemberName("remove")] Remove,
}
public sealed record DecisionRequest(DecisionName? Decision, string? Note);
public sealed record DecisionReceipt(long ItemId, string Status, bool Changed);
/// A report as a requester or operator sees it: what and when, never who.
public sealed record ReportView(string Reason, string Note, DateTimeOffset ReportedAt);
public sealed record QuarantinedItem(
    long ItemId, int ProjectId, string ExternalId, JsonElement Data, string[] Sensitivity, string Status,
    DateTimeOffset QuarantinedAt, DateTimeOffset? DecidedAt, string DecisionNote, List<ReportView> Reports);

public static class WellbeingApi
{
    public static void AddWellbeing(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<WellbeingOptions>().BindConfiguration("Wellbeing");
        builder.Services.AddSingleton<Quarantine>();
        builder.Services.AddSingleton<FlaggedItems>();
        builder.Services.AddSingleton<IProjectChangeListener>(s => s.GetRequiredService<FlaggedItems>());
        builder.Services.AddHostedService<QuarantineWatch>();
    }

    public static void MapWellbeing(this IEndpointRouteBuilder app)
    {
        var taskers = app.MapGroup("/api/work").WithTags("Wellbeing")
            .RequireAuthorization(p => p.RequireRole(Roles.Tasker)).RequireAntiforgeryForCookies()
            .RequireRateLimiting(RateLimits.Work);
        taskers.MapGet("/wellbeing", Settings).WithSummary("Break reminders and the reasons a task can be reported for");
        taskers.MapPost("/tasks/{assignmentId:long}/report", Report)
            .WithSummary("Report a task's content: the item leaves every queue for review; never counts against me");

        var reviewers = app.MapGroup("/api").WithTags("Wellbeing")
            .RequireAuthorization(p => p.RequireRole(Roles.Requester, Roles.Operator)).RequireAntiforgeryForCookies();
        reviewers.MapGet("/projects/{projectId:int}/quarantine", ProjectQuarantine)
            .WithSummary("A project's reported items with their reports (never the reporters)");
        reviewers.MapPost("/projects/{projectId:int}/quarantine/{itemId:long}", Decide)
            .WithSummary("Release a reported item to the queues, or remove it for good");
        app.MapGroup("/api/admin").WithTags("Operator")
            .RequireAuthorization(p => p.RequireRole(Roles.Operator)).RequireAntiforgeryForCookies()
            .MapGet("/quarantine", AllWaiting).WithSummary("Reported items waiting for a decision, in every organisation");
    }

    static Ok<WellbeingSettings> Settings(IOptions<WellbeingOptions> options) =>
        TypedResults.Ok(new WellbeingSettings(options.Value.BreakAfterFlaggedItems, options.Value.BreakMinutes, ReportReasons.All));

    static async Task<Results<Ok<ReportReceipt>, ValidationProblem, ProblemHttpResult>> Report(
        long assignmentId, ReportRequest body, HttpContext http, Quarantine quarantine)
    {
        var errors = new FieldErrors();
        ReportReasons.Check(body.Reason, body.Note, errors);
        if (errors.Any) return Problems.Invalid("The report is not valid", errors);
        return await quarantine.ReportAsync(assignmentId, http.User.Id(), body.Reason!, body.Note?.Trim() ?? "") switch
        {
            ReportOutcome.Reported r => TypedResults.Ok(new ReportReceipt(r.ItemId, QuarantineStatus.Quarantined, r.Duplicate)),
            _ => Problems.NotFound("Task"),
        };
    }

    /// Requesters see their own organisation's projects; operators every project.
    static Task<bool> MayReviewAsync(FairlabelDb db, HttpContext http, int projectId) =>
        http.User.Role() == Roles.Operator
            ? db.Projects.AnyAsync(p => p.Id == projectId)
            : db.Projects.AnyAsync(p => p.Id == projectId && p.OrganisationId == http.User.OrganisationId());

    static async Task<Results<Ok<List<QuarantinedItem>>, ProblemHttpResult>> ProjectQuarantine(
        int projectId, HttpContext http, FairlabelDb db)
    {
        if (!await MayReviewAsync(db, http, projectId)) return Problems.NotFound("Project");
        return TypedResults.Ok(await ListAsync(db, db.Set<ItemQuarantine>().Where(q => q.ProjectId == projectId)));
    }

    static async Task<Ok<List<QuarantinedItem>>> AllWaiting(FairlabelDb db) =>
        TypedResults.Ok(await ListAsync(db, db.Set<ItemQuarantine>().Where(q => q.Status == QuarantineStatus.Quarantined)));

    static async Task<List<QuarantinedItem>> ListAsync(FairlabelDb db, IQueryable<ItemQuarantine> which)
    {
        var rows = await which.AsNoTracking()
            .Join(db.Items, q => q.ItemId, i => i.Id, (q, i) => new { q, i.ExternalId, i.Data, i.Sensitivity })
            .OrderBy(r => r.q.Status == QuarantineStatus.Quarantined ? 0 : 1).ThenByDescending(r => r.q.ChangedAt)
            .Take(500).ToListAsync();
        var ids = rows.Select(r => r.q.ItemId).ToList();
        var reports = (await db.Set<ContentReport>().AsNoTracking().Where(r => ids.Contains(r.ItemId))
                .Select(r => new { r.ItemId, r.Reason, r.Note, r.ReportedAt }).ToListAsync())
            .ToLookup(r => r.ItemId, r => new ReportView(r.Reason, r.Note, r.ReportedAt));
        return rows.Select(r => new QuarantinedItem(r.q.ItemId, r.q.ProjectId, r.ExternalId, JsonDocument.Parse(r.Data).RootElement,
            r.Sensitivity.Split(';', StringSplitOptions.RemoveEmptyEntries), r.q.Status, r.q.QuarantinedAt, r.q.DecidedAt,
            r.q.DecisionNote, [.. reports[r.q.ItemId].OrderBy(v => v.ReportedAt)])).ToList();
    }

    static async Task<Results<Ok<DecisionReceipt>, ValidationProblem, ProblemHttpResult>> Decide(
        int projectId, long itemId, DecisionRequest body, HttpContext http, FairlabelDb db, Quarantine quarantine)
    {
        var errors = new FieldErrors();
        if (body.Decision is null) errors.Add("decision", "Must be \"release\" or \"remove\".");
        if (body.Note is { Length: > ReportReasons.NoteMaxLength }) errors.Add("note", $"At most {ReportReasons.NoteMaxLength} characters.");
        if (errors.Any) return Problems.Invalid("The decision is not valid", errors);
        if (!await MayReviewAsync(db, http, projectId)) return Problems.NotFound("Project");
        var decision = body.Decision == DecisionName.Release ? Decision.Release : Decision.Remove;
        return await quarantine.DecideAsync(projectId, itemId, decision, body.Note?.Trim() ?? "", http.User.Id()) switch
        {
            DecisionOutcome.Decided d => TypedResults.Ok(new DecisionReceipt(itemId, d.Status, d.Changed)),
            DecisionOutcome.Refused r => Problems.Conflict("The decision cannot be taken", r.Reason),
            _ => Problems.NotFound("Reported item"),
        };
    }
}
