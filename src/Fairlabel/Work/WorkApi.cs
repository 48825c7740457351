using System.Text.Json;
using System.Text.Json.Serialization;
using Fairlabel.Accounts;
using Fairlabel.Data;
using Fairlabel.Infrastructure;
using Fairlabel.Items;
using Fairlabel.Projects;
using Fairlabel.Wellbeing;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Fairlabel.Work;

public sealed record OpenProject(
    int Id, string Name, string Description, decimal PayPerTask, string Currency, int EstimatedSeconds,
    decimal HourlyRate, int TasksAvailable, List<string> ContentWarnings);
public sealed record WorkProject(
    int Id, string Name, string Description, JsonElement Template, string Guidelines, decimal PayPerTask,
    string Currency, int EstimatedSeconds, decimal HourlyRate);
public sealed record SubmitRequest(JsonElement Answer, double? ActiveSeconds) : IValidatedBody
{
    string IValidatedBody.InvalidTitle => WorkApi.InvalidSubmissionTitle;

    void IValidatedBody.Validate(FieldErrors errors, IServiceProvider services)
    {
        if (ActiveSeconds is < 0 or > 86400) errors.Add("activeSeconds", "must be from 0 to 86400");
    }
}

public sealed record SubmitReceipt(long AnswerId, long AssignmentId, bool Duplicate);

/// What became of the next task asked for with a submission: leased, none left for this tasker,
/// the tasker holds the most live tasks allowed, ask again in a moment (tasks are being taken
/// fast), or the project is no longer open.
[JsonConverter(typeof(JsonStringEnumConverter<NextState>))]
public enum NextState
{
    [JsonStringEnumMemberName("leased")] Leased,
    [JsonStringEnumMemberName("none-left")] NoneLeft,
    [JsonStringEnumMemberName("limit-reached")] LimitReached,
    [JsonStringEnumMemberName("ask-again")] AskAgain,
    [JsonStringEnumMemberName("closed")] Closed,
    [JsonStringEnumMemberName("not-eligible")] NotEligible,
}

public sealed record SubmittedAndNext(SubmitReceipt Submitted, LeasedTask? Next, NextState NextState);
public sealed record Earnings(string Currency, int Tasks, decimal Amount);

public static class WorkApi
{
    public const int MaxCountedTasks = 1000;
    internal const string InvalidSubmissionTitle = "The submission is not valid";

    public static void MapWork(this IEndpointRouteBuilder app)
    {
        var work = app.MapGroup("/api/work").WithTags("Work")
            .RequireAuthorization(p => p.RequireRole(Roles.Tasker)).RequireAntiforgeryForCookies()
            .RequireRateLimiting(RateLimits.Work).ValidateBodies();
        work.MapGet("/projects", OpenProjects).WithSummary("Published projects with pay, time and hourly rate, before starting");
        work.MapGet("/projects/{id:int}", Project).WithSummary("A project's template and guidelines");
        work.MapGet("/projects/{id:int}/tasks", LiveTasks).WithSummary("My live leases in a project (resume after reload)");
        work.MapPost("/projects/{id:int}/tasks/next", Next).WithSummary("Lease my next task");
        work.MapPost("/tasks/{assignmentId:long}/submit", Submit).WithSummary("Submit an answer (idempotent)");
        work.MapPost("/tasks/{assignmentId:long}/submit-and-next", SubmitAndNext)
            .WithSummary("Submit an answer (idempotent) and lease my next task in the same project, in one request");
        work.MapPost("/tasks/{assignmentId:long}/skip", Skip).WithSummary("Give a task back, without penalty");
        work.MapGet("/earnings", MyEarnings).WithSummary("My earnings from submitted tasks, per currency");
    }

    static async Task<Ok<List<OpenProject>>> OpenProjects(
        HttpContext http, FairlabelDb db, TaskPools pools, ProjectRulesCache rulesCache, HandOutRules handOutRules)
    {
        var me = http.User.Id();
        var projects = await db.Projects.AsNoTracking().Where(p => p.Status == ProjectStatus.Published).ToListAsync();
        var open = new List<OpenProject>(projects.Count);
        foreach (var p in projects)
        {
            // Only the projects the tasker may work on, counting only the items they may be given.
            if (await rulesCache.GetAsync(p.Id) is not { Status: ProjectStatus.Published } rules ||
                await handOutRules.RefusesAsync(rules, me) is not null) continue;
            var draw = await handOutRules.DrawAsync(rules, me);
            // Items with an open slot that this tasker has not had yet, counted up to a cap, from the
            // node's task pool: in the database this was a scan past every full item, which grows
            // as the project fills.
            var available = await pools.CountOpenForAsync(p.Id, p.Overlap, me, MaxCountedTasks, draw.PoolsOf);
            var warnings = await db.Items
                .Where(i => i.ProjectId == p.Id && i.Sensitivity != "" &&
                            db.Imports.Any(m => m.Id == i.ImportId && m.Status == ImportStatus.Succeeded))
                .Select(i => i.Sensitivity).Distinct().Take(50).ToListAsync();
            open.Add(new OpenProject(p.Id, p.Name, p.Description, p.PayPerTask, p.Currency, p.EstimatedSeconds, p.HourlyRate,
                available, warnings.SelectMany(w => w.Split(';')).Distinct().Order().ToList()));
        }
        return TypedResults.Ok(open.OrderByDescending(p => p.TasksAvailable > 0).ThenByDescending(p => p.HourlyRate).ToList());
    }

    static async Task<Results<Ok<WorkProject>, ProblemHttpResult>> Project(int id, FairlabelDb db)
    {
        var p = await db.Projects.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id && p.Status == ProjectStatus.Published);
        return p is null
            ? Problems.NotFound("Project")
            : TypedResults.Ok(new WorkProject(p.Id, p.Name, p.Description, JsonDocument.Parse(p.Template).RootElement,
                p.Guidelines, p.PayPerTask, p.Currency, p.EstimatedSeconds, p.HourlyRate));
    }

    static async Task<Ok<List<LeasedTask>>> LiveTasks(int id, HttpContext http, WorkLoop work, FlaggedItems flagged)
    {
        var tasks = await work.LiveLeasesAsync(id, http.User.Id());
        for (var i = 0; i < tasks.Count; i++) tasks[i] = await WithCategoriesAsync(tasks[i], flagged);
        return TypedResults.Ok(tasks);
    }

    /// The task with its item's sensitivity categories, for the task page to blur and mute.
    static async Task<LeasedTask> WithCategoriesAsync(LeasedTask task, FlaggedItems flagged) =>
        task with { Sensitivity = await flagged.CategoriesOfAsync(task.ProjectId, task.ItemId) };

    static async Task<Results<Ok<LeasedTask>, NoContent, ProblemHttpResult>> Next(int id, HttpContext http, WorkLoop work,
        FlaggedItems flagged) =>
        await work.NextAsync(id, http.User.Id()) switch
        {
            NextResult.Leased leased => TypedResults.Ok(await WithCategoriesAsync(leased.Task, flagged)),
            NextResult.NoneLeft => TypedResults.NoContent(),
            NextResult.NotEligible not => NotEligible(not.Refusal),
            NextResult.LimitReached limit => Problems.Conflict("You already hold the most tasks allowed at once",
                $"You hold {limit.Held} tasks in this project; submit or skip one first."),
            NextResult.StillLooking { OtherNodesServing: true } => Problems.TryAgain(http, "Another server is handing out these tasks",
                "This project's open tasks are held by another server at the moment; ask again in a moment."),
            NextResult.StillLooking => Problems.TryAgain(http, "Tasks are being taken fast right now",
                "Every task tried was taken by another tasker first; ask again in a moment."),
            _ => Problems.NotFound("Project"),
        };

    static async Task<Results<Ok<SubmitReceipt>, ValidationProblem, ProblemHttpResult>> Submit(
        long assignmentId, SubmitRequest body, HttpContext http, WorkLoop work)
    {
        if (InvalidSubmission(assignmentId, body, http, out var key) is { } invalid) return invalid;
        return await work.SubmitAsync(assignmentId, http.User.Id(), body.Answer, body.ActiveSeconds, key) switch
        {
            SubmitResult.Accepted a => TypedResults.Ok(Receipt(a)),
            var refused => SubmitProblem<SubmitReceipt>(refused),
        };
    }

    static async Task<Results<Ok<SubmittedAndNext>, ValidationProblem, ProblemHttpResult>> SubmitAndNext(
        long assignmentId, SubmitRequest body, HttpContext http, WorkLoop work, FlaggedItems flagged)
    {
        if (InvalidSubmission(assignmentId, body, http, out var key) is { } invalid) return invalid;
        var (submitted, next) = await work.SubmitAndNextAsync(assignmentId, http.User.Id(), body.Answer, body.ActiveSeconds, key);
        if (submitted is not SubmitResult.Accepted a) return SubmitProblem<SubmittedAndNext>(submitted);
        return TypedResults.Ok(next switch
        {
            NextResult.Leased leased => new SubmittedAndNext(Receipt(a), await WithCategoriesAsync(leased.Task, flagged), NextState.Leased),
            NextResult.NoneLeft => new SubmittedAndNext(Receipt(a), null, NextState.NoneLeft),
            NextResult.LimitReached => new SubmittedAndNext(Receipt(a), null, NextState.LimitReached),
            NextResult.StillLooking => new SubmittedAndNext(Receipt(a), null, NextState.AskAgain),
            NextResult.NotEligible => new SubmittedAndNext(Receipt(a), null, NextState.NotEligible),
            _ => new SubmittedAndNext(Receipt(a), null, NextState.Closed),
        });
    }

    /// The Idempotency-Key (the assignment's own when none is sent), shared by both ways of
    /// submitting; the body checks itself (SubmitRequest).
    static ValidationProblem? InvalidSubmission(long assignmentId, SubmitRequest body, HttpContext http, out string key)
    {
        key = http.Request.Headers["Idempotency-Key"].ToString();
        if (key.Length > 100) return Problems.Invalid(InvalidSubmissionTitle, "Idempotency-Key", "must be at most 100 characters");
        if (key.Length == 0) key = $"assignment-{assignmentId}";
        return null;
    }

    /// 403 naming the rule, so the page can say why and what would change it.
    static ProblemHttpResult NotEligible(Audiences.Refusal refusal) => TypedResults.Problem(
        title: "This project is not open to you", detail: refusal.Detail, statusCode: 403,
        extensions: new Dictionary<string, object?> { ["rule"] = refusal.Rule });

    static SubmitReceipt Receipt(SubmitResult.Accepted a) => new(a.AnswerId, a.AssignmentId, a.Duplicate);

    static Results<Ok<T>, ValidationProblem, ProblemHttpResult> SubmitProblem<T>(SubmitResult result) => result switch
    {
        SubmitResult.Invalid invalid => Problems.Invalid("The answer does not fit the template", invalid.Errors),
        SubmitResult.Refused refused => Problems.Conflict("The answer was not accepted", refused.Reason),
        _ => Problems.NotFound("Task"),
    };

    static async Task<Results<NoContent, ProblemHttpResult>> Skip(long assignmentId, HttpContext http, WorkLoop work) =>
        await work.SkipAsync(assignmentId, http.User.Id()) switch
        {
            SkipResult.Skipped => TypedResults.NoContent(),
            SkipResult.AlreadySubmitted => Problems.Conflict("The task was already submitted", "An answered task cannot be skipped."),
            _ => Problems.NotFound("Task"),
        };

    static async Task<Ok<List<Earnings>>> MyEarnings(HttpContext http, FairlabelDb db)
    {
        var me = http.User.Id();
        // Summed in memory: SQLite cannot sum decimals stored as text, and a tasker's rows are few.
        var rows = await db.Assignments.AsNoTracking()
            .Where(a => a.TaskerId == me && a.Status == AssignmentStatus.Submitted)
            .Select(a => new { a.Currency, a.PayRate }).ToListAsync();
        return TypedResults.Ok(rows.GroupBy(r => r.Currency)
            .Select(g => new Earnings(g.Key, g.Count(), g.Sum(r => r.PayRate))).OrderBy(e => e.Currency).ToList());
    }
}
