using Fairlabel.Accounts;
using Fairlabel.Data;
using Fairlabel.Events;
using Fairlabel.Infrastructure;
using Fairlabel.Projects;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Fairlabel.Audiences;

public sealed record AudienceView(
    string CountryMode, List<string> Countries, List<string> Languages, List<string> Expertise, int? DailyExposureCap,
    int OperatorDailyExposureCap);
/// A project's whole audience: fields left out ask nothing.
public sealed record AudienceInput(
    string? CountryMode, List<string>? Countries, List<string>? Languages, List<string>? Expertise, int? DailyExposureCap);

public static class AudiencesApi
{
    public static void AddAudiences(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<AudienceOptions>().BindConfiguration("Audiences")
            .Validate(o => o.DailyExposureCap >= 0, "Audiences:DailyExposureCap must be 0 or more");
        builder.Services.AddSingleton<TaskerProfilesCache>();
        builder.Services.AddSingleton<Work.ItemPoolKey>(WhoGetsWhat.PoolKeyOf);
    }

    public static void MapAudiences(this IEndpointRouteBuilder app)
    {
        var projects = app.MapGroup("/api/projects").WithTags("Projects")
            .RequireAuthorization(p => p.RequireRole(Roles.Requester)).RequireAntiforgeryForCookies();
        projects.MapGet("/{id:int}/audience", Get).WithSummary("Who may work on the project");
        projects.MapPut("/{id:int}/audience", Put)
            .WithSummary("Set who may work on the project: countries (allow or deny), languages, expertise, exposure cap");
    }

    static async Task<Results<Ok<AudienceView>, ProblemHttpResult>> Get(
        int id, HttpContext http, FairlabelDb db, Microsoft.Extensions.Options.IOptions<AudienceOptions> options)
    {
        if (await db.FindManagedAsync(http.User, id) is null) return Problems.NotFound("Project");
        var audience = await db.ProjectAudiences.AsNoTracking().FirstOrDefaultAsync(a => a.ProjectId == id) ?? new ProjectAudience();
        return TypedResults.Ok(View(audience, options.Value));
    }

    static async Task<Results<Ok<AudienceView>, ValidationProblem, ProblemHttpResult>> Put(
        int id, AudienceInput body, HttpContext http, FairlabelDb db, TimeProvider clock, ProjectChanges changes,
        Microsoft.Extensions.Options.IOptions<AudienceOptions> options)
    {
        if (await db.FindManagedAsync(http.User, id) is not { } project) return Problems.NotFound("Project");
        var errors = new FieldErrors();
        var mode = body.CountryMode ?? CountryModes.Anyone;
        if (mode is not (CountryModes.Anyone or CountryModes.Allow or CountryModes.Deny))
            errors.Add("countryMode", "must be 'anyone', 'allow' or 'deny'");
        var countries = new List<string>();
        for (var i = 0; i < (body.Countries?.Count ?? 0); i++)
            if (ProfileRules.Country(body.Countries![i], $"countries[{i}]", errors) is { } c && !countries.Contains(c)) countries.Add(c);
        if (mode == CountryModes.Allow && countries.Count == 0 && body.Countries is not { Count: > 0 })
            errors.Add("countries", "must name at least one country to allow");
        if (mode == CountryModes.Anyone && countries.Count > 0)
            errors.Add("countryMode", "must be 'allow' or 'deny' when countries are listed");
        if (countries.Count > 250) errors.Add("countries", "must list at most 250 countries");
        var languages = ProfileRules.Languages(body.Languages, "languages", errors);
        var expertise = ProfileRules.Domains(body.Expertise, "expertise", errors);
        if (body.DailyExposureCap is < 0 || body.DailyExposureCap > options.Value.DailyExposureCap)
            errors.Add("dailyExposureCap", $"must be from 0 to the operator's cap, {options.Value.DailyExposureCap}");
        if (errors.Any) return Problems.Invalid("The audience is not valid", errors);

        var audience = await db.ProjectAudiences.FirstOrDefaultAsync(a => a.ProjectId == id);
        if (audience is null) db.ProjectAudiences.Add(audience = new ProjectAudience { ProjectId = id });
        var before = View(audience, options.Value);
        audience.CountryMode = mode;
        audience.Countries = countries;
        audience.Languages = languages;
        audience.Expertise = expertise;
        audience.DailyExposureCap = body.DailyExposureCap;
        audience.UpdatedAt = clock.GetUtcNow();
        var after = View(audience, options.Value);
        db.Record("project.audience.changed", http.User.Id(), project.OrganisationId, project.Id, new { before, after });
        await db.SaveChangesAsync();
        // New leases on this node follow at once; other nodes read the project's rules every second.
        changes.Changed(id);
        return TypedResults.Ok(after);
    }

    static AudienceView View(ProjectAudience a, AudienceOptions options) =>
        new(a.CountryMode, a.Countries, a.Languages, a.Expertise, a.DailyExposureCap, options.DailyExposureCap);
}
