using System.Text.Json;
using Fairlabel.Accounts;
using Fairlabel.Data;
using Fairlabel.Events;
using Fairlabel.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Fairlabel.Projects;

public sealed record ProjectView(
    int Id, string Name, string Description, JsonElement Template, string Guidelines, int Overlap, decimal PayPerTask,
    string Currency, int EstimatedSeconds, int LeaseSeconds, string Aggregation, decimal HourlyRate, string Status,
    DateTimeOffset CreatedAt, int ReviewDays);
public sealed record ProjectSummary(
    int Id, string Name, string Status, int Overlap, decimal PayPerTask, string Currency, int EstimatedSeconds,
    decimal HourlyRate, int Items, int CompletedItems, int Answers);
public sealed record HourCount(DateTimeOffset Hour, int Answers);
public sealed record ProjectProgress(
    int Items, int CompletedItems, int Answers, int ActiveTaskers, int LeasedTasks, List<HourCount> AnswersPerHour);

public static class ProjectsApi
{
    public static void MapProjects(this IEndpointRouteBuilder app)
    {
        var projects = app.MapGroup("/api/projects").WithTags("Projects")
            .RequireAuthorization(p => p.RequireRole(Roles.Requester)).RequireAntiforgeryForCookies()
            .ValidateBodies();
        projects.MapGet("/", List).WithSummary("Projects of my organisation");
        projects.MapPost("/", Create).WithSummary("Create a project (draft)");
        projects.MapGet("/{id:int}", Get).WithSummary("One project");
        projects.MapPut("/{id:int}", Update).WithSummary("Change a project's template, pay, overlap or guidelines");
        projects.MapPost("/{id:int}/publish", Publish).WithSummary("Open the project to taskers");
        projects.MapPost("/{id:int}/pause", Pause).WithSummary("Stop handing out new tasks");
        projects.MapGet("/{id:int}/progress", Progress).WithSummary("Items done, answers, active taskers");
    }

    static async Task<Ok<List<ProjectSummary>>> List(HttpContext http, FairlabelDb db)
    {
        var org = http.User.OrganisationId();
        var rows = await db.Projects.AsNoTracking().Where(p => p.OrganisationId == org).OrderByDescending(p => p.Id)
            .Select(p => new
            {
                p.Id, p.Name, p.Status, p.Overlap, p.PayPerTask, p.Currency, p.EstimatedSeconds,
                Items = db.Items.Count(i => i.ProjectId == p.Id),
                Completed = db.Items.Count(i => i.ProjectId == p.Id && i.Accepted >= p.Overlap),
                Answers = db.Answers.Count(a => a.ProjectId == p.Id),
            }).ToListAsync();
        return TypedResults.Ok(rows.Select(p => new ProjectSummary(p.Id, p.Name, p.Status, p.Overlap, p.PayPerTask,
            p.Currency, p.EstimatedSeconds, Project.HourlyRateOf(p.PayPerTask, p.EstimatedSeconds), p.Items, p.Completed,
            p.Answers)).ToList());
    }

    static async Task<Results<Created<ProjectView>, ValidationProblem>> Create(
        ProjectInput body, HttpContext http, FairlabelDb db, TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        var project = new Project
        {
            OrganisationId = http.User.OrganisationId()!.Value, Name = "", Template = "", Currency = "",
            CreatedAt = now, UpdatedAt = now,
        };
        body.ApplyTo(project);
        db.Projects.Add(project);
        await db.SaveChangesAsync();
        db.Record("project.created", http.User.Id(), project.OrganisationId, project.Id,
            new { project.Name, project.Overlap, project.PayPerTask, project.Currency, project.EstimatedSeconds });
        await db.SaveChangesAsync();
        return TypedResults.Created($"/api/projects/{project.Id}", ToView(project));
    }

    static async Task<Results<Ok<ProjectView>, ProblemHttpResult>> Get(int id, HttpContext http, FairlabelDb db) =>
        await db.FindManagedAsync(http.User, id) is { } project
            ? TypedResults.Ok(ToView(project))
            : Problems.NotFound("Project");

    static async Task<Results<Ok<ProjectView>, ValidationProblem, ProblemHttpResult>> Update(
        int id, ProjectInput body, HttpContext http, FairlabelDb db, TimeProvider clock, ProjectChanges changes)
    {
        if (await db.FindManagedAsync(http.User, id) is not { } project) return Problems.NotFound("Project");
        var before = new { project.Overlap, project.PayPerTask, project.Currency, project.EstimatedSeconds };
        body.ApplyTo(project);
        project.UpdatedAt = clock.GetUtcNow();
        db.Record("project.updated", http.User.Id(), project.OrganisationId, project.Id, new
        {
            before,
            after = new { project.Overlap, project.PayPerTask, project.Currency, project.EstimatedSeconds },
        });
        await db.SaveChangesAsync();
        changes.Changed(id, openSlotsChanged: before.Overlap != project.Overlap);
        return TypedResults.Ok(ToView(project));
    }

    static async Task<Results<Ok<ProjectView>, ProblemHttpResult>> Publish(
        int id, HttpContext http, FairlabelDb db, TimeProvider clock, ProjectChanges changes, IOptions<Pay.PayOptions> pay)
    {
        if (await db.FindManagedAsync(http.User, id) is not { } project) return Problems.NotFound("Project");
        if (!await db.Items.AnyAsync(i => i.ProjectId == id))
            return Problems.Conflict("The project has no items", "Import items before publishing.");
        if (await Pay.PublishRules.FloorRefusalAsync(db, project) is { } belowFloor) return belowFloor;
        if (await Pay.Escrow.FundForPublishAsync(db, project, pay.Value, clock.GetUtcNow()) is { } unfunded) return unfunded;
        return TypedResults.Ok(await SetStatusAsync(db, http, project, ProjectStatus.Published, clock, changes));
    }

    static async Task<Results<Ok<ProjectView>, ProblemHttpResult>> Pause(
        int id, HttpContext http, FairlabelDb db, TimeProvider clock, ProjectChanges changes) =>
        await db.FindManagedAsync(http.User, id) is { } project
            ? TypedResults.Ok(await SetStatusAsync(db, http, project, ProjectStatus.Paused, clock, changes))
            : Problems.NotFound("Project");

    static async Task<ProjectView> SetStatusAsync(FairlabelDb db, HttpContext http, Project project, string status,
        TimeProvider clock, ProjectChanges changes)
    {
        var from = project.Status;
        project.Status = status;
        project.UpdatedAt = clock.GetUtcNow();
        db.Record("project." + status, http.User.Id(), project.OrganisationId, project.Id, new { from });
        await db.SaveChangesAsync();
        changes.Changed(project.Id);
        return ToView(project);
    }

    static async Task<Results<Ok<ProjectProgress>, ProblemHttpResult>> Progress(
        int id, HttpContext http, FairlabelDb db, TimeProvider clock, DatabaseSettings database)
    {
        if (await db.FindManagedAsync(http.User, id) is not { } project) return Problems.NotFound("Project");
        var now = clock.GetUtcNow();
        var items = db.Items.Where(i => i.ProjectId == id);
        var recent = now.AddMinutes(-15);
        var dayAgo = now.AddHours(-24);
        var perHour = await AnswersPerHourAsync(database, id, dayAgo);
        var activeTaskers = await db.Assignments
            .Where(a => a.ProjectId == id && (a.LeasedAt >= recent || a.EndedAt >= recent))
            .Select(a => a.TaskerId).Distinct().CountAsync();
        return TypedResults.Ok(new ProjectProgress(
            await items.CountAsync(),
            await items.CountAsync(i => i.Accepted >= project.Overlap),
            await db.Answers.CountAsync(a => a.ProjectId == id),
            activeTaskers,
            await items.SumAsync(i => i.Leased),
            perHour));
    }

    static async Task<List<HourCount>> AnswersPerHourAsync(DatabaseSettings database, int projectId, DateTimeOffset since)
    {
        const long hour = 3_600_000;
        await using var connection = await database.OpenAsync();
        await using var command = connection.Command(
            $"SELECT submitted_at / {hour} AS h, count(*) FROM answers WHERE project_id = @p AND submitted_at >= @since " +
            "GROUP BY submitted_at / 3600000 ORDER BY h").With("p", projectId).With("since", Sql.Millis(since));
        await using var reader = await command.ExecuteReaderAsync();
        var hours = new List<HourCount>();
        while (await reader.ReadAsync())
            hours.Add(new HourCount(DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(0) * hour), reader.GetInt32(1)));
        return hours;
    }

    public static ProjectView ToView(Project p) => new(p.Id, p.Name, p.Description,
        JsonDocument.Parse(p.Template).RootElement, p.Guidelines, p.Overlap, p.PayPerTask, p.Currency,
        p.EstimatedSeconds, p.LeaseSeconds, p.AggregationMethod, p.HourlyRate, p.Status, p.CreatedAt, p.ReviewDays);
}
