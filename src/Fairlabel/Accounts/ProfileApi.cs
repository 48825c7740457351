using System.Text.Json;
using Fairlabel.Audiences;
using Fairlabel.Data;
using Fairlabel.Events;
using Fairlabel.Infrastructure;
using Fairlabel.Items;
using Fairlabel.Projects;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Fairlabel.Accounts;

/// A change to the profile: every field left out (null) stays as it is.
public sealed record ProfileRequest(
    string? DisplayName, string? Country, List<string>? Languages, JsonElement? Expertise, List<string>? SensitivityOptIns);

/// The profile as its page shows it: <paramref name="Categories"/> are the sensitivity categories
/// the tasker may opt in to (those of published projects' items, and any already chosen);
/// <paramref name="Countries"/> the country codes a profile may name.
public sealed record ProfileView(
    string DisplayName, string? Country, List<string> Languages, List<ExpertiseClaim> Expertise,
    List<string> SensitivityOptIns, List<string> Categories, IEnumerable<string> Countries);

public static class ProfileApi
{
    public static void MapProfile(this RouteGroupBuilder me)
    {
        me.MapGet("/profile", Get).WithSummary("My profile: country, languages, expertise and the sensitive content I accept");
        me.MapPut("/profile", Update)
            .WithSummary("Change my profile (country, languages, expertise with evidence, sensitive content opt-ins)");
    }

    static async Task<Ok<ProfileView>> Get(HttpContext http, FairlabelDb db)
    {
        var user = await db.Users.AsNoTracking().FirstAsync(u => u.Id == http.User.Id());
        var profile = await db.TaskerProfiles.AsNoTracking().FirstOrDefaultAsync(p => p.UserId == user.Id) ?? new TaskerProfile();
        return TypedResults.Ok(await ViewAsync(db, user, profile));
    }

    static async Task<Results<Ok<Me>, ValidationProblem>> Update(
        ProfileRequest body, HttpContext http, FairlabelDb db, TimeProvider clock, TaskerProfilesCache profiles)
    {
        var errors = new FieldErrors();
        if (body.DisplayName is not null && string.IsNullOrWhiteSpace(body.DisplayName)) errors.Add("displayName", "must not be empty");
        var country = ProfileRules.Country(body.Country, "country", errors);
        var languages = ProfileRules.Languages(body.Languages, "languages", errors);
        var expertise = body.Expertise is { } e ? ProfileRules.Expertise(e, "expertise", errors) : null;
        var optIns = ProfileRules.Categories(body.SensitivityOptIns, "sensitivityOptIns", errors);
        if (errors.Any) return Problems.Invalid("The profile is not valid", errors);

        var user = await db.Users.Include(u => u.Organisation).FirstAsync(u => u.Id == http.User.Id());
        var profile = await db.TaskerProfiles.FirstOrDefaultAsync(p => p.UserId == user.Id);
        if (profile is null) db.TaskerProfiles.Add(profile = new TaskerProfile { UserId = user.Id });
        if (body.DisplayName is not null) user.DisplayName = body.DisplayName.Trim();
        if (country is not null) user.Country = country;
        if (body.Languages is not null) user.Languages = languages;
        if (expertise is not null)
        {
            user.Expertise = expertise.Select(c => c.Domain).ToList();
            profile.ExpertiseEvidence = expertise.Where(c => c.Evidence is not null).ToDictionary(c => c.Domain, c => c.Evidence!);
        }
        if (body.SensitivityOptIns is not null) profile.SensitivityOptIns = optIns;
        profile.UpdatedAt = clock.GetUtcNow();
        db.Record("profile.updated", user.Id, user.OrganisationId);
        await db.SaveChangesAsync();
        // This node's hand-outs see the change at once; other nodes' within a second.
        profiles.Forget(user.Id);
        return TypedResults.Ok(AccountsApi.ToMe(user));
    }

    static async Task<ProfileView> ViewAsync(FairlabelDb db, User user, TaskerProfile profile)
    {
        var offered = await db.Items.AsNoTracking()
            .Where(i => i.Sensitivity != "" && db.Projects.Any(p => p.Id == i.ProjectId && p.Status == ProjectStatus.Published) &&
                        db.Imports.Any(m => m.Id == i.ImportId && m.Status == ImportStatus.Succeeded))
            .Select(i => i.Sensitivity).Distinct().Take(200).ToListAsync();
        var categories = offered.SelectMany(SensitivityCategories.Of).Concat(profile.SensitivityOptIns)
            .Distinct().Order(StringComparer.Ordinal).ToList();
        return new ProfileView(user.DisplayName, user.Country, user.Languages,
            user.Expertise.Select(d => new ExpertiseClaim(d, profile.ExpertiseEvidence.GetValueOrDefault(d))).ToList(),
            profile.SensitivityOptIns, categories, Countries.All.Order(StringComparer.Ordinal));
    }
}
