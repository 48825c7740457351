using Fairlabel.Data;
using Fairlabel.Events;
using Fairlabel.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Fairlabel.Accounts;

public sealed record TokenRequest(string? Name, DateTimeOffset? ExpiresAt = null, string? Scope = null, List<int>? ProjectIds = null)
    : IValidatedBody
{
    string IValidatedBody.InvalidTitle => ApiTokensApi.Invalid;

    void IValidatedBody.Validate(FieldErrors errors, IServiceProvider services)
    {
        if (string.IsNullOrWhiteSpace(Name) || Name.Length > 100)
            errors.Add("name", "is required (at most 100 characters)");
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var lifetime = services.GetRequiredService<IOptions<ApiTokenOptions>>().Value.MaxLifetime;
        if (ExpiresAt is { } expiry && (expiry <= now || expiry > now + lifetime))
            errors.Add("expiresAt", $"must be in the future and at most {lifetime.TotalDays:0.##} days from now");
        if (Scope is not (null or ApiTokenScopes.Full or ApiTokenScopes.ReadOnly))
            errors.Add("scope", $"must be '{ApiTokenScopes.Full}' or '{ApiTokenScopes.ReadOnly}'");
        if (ProjectIds is { Count: > ApiTokensApi.MaxProjects })
            errors.Add("projectIds", $"may list at most {ApiTokensApi.MaxProjects} projects");
    }
}
public sealed record TokenSummary(int Id, string Name, string Prefix, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt,
    string Scope, List<int>? ProjectIds);
public sealed record RevokedTokens(int Revoked);
public sealed record NewToken(int Id, string Name, string Token, DateTimeOffset? ExpiresAt, string Scope, List<int>? ProjectIds);

/// A signed-in user's API tokens. They are made, listed and revoked only in a session: a token
/// that could make tokens would outlive its own expiry, scope and revocation.
public static class ApiTokensApi
{
    public const int MaxProjects = 100;
    internal const string Invalid = "The token request is not valid";

    public static void MapApiTokens(this RouteGroupBuilder me)
    {
        var tokens = me.MapGroup("/tokens").RequireSession("Managing API tokens").ValidateBodies();
        tokens.MapGet("/", List).WithSummary("API tokens of the signed-in user");
        tokens.MapPost("/", Create).WithSummary("Create an API token (shown once), with an expiry and a scope");
        tokens.MapDelete("/{id:int}", Revoke).WithSummary("Revoke an API token");
        tokens.MapDelete("/", RevokeAll).WithSummary("Revoke every API token of the signed-in user");
    }

    public static void AddApiTokens(this WebApplicationBuilder builder) =>
        builder.Services.AddOptions<ApiTokenOptions>().BindConfiguration("ApiTokens");

    static async Task<Ok<List<TokenSummary>>> List(HttpContext http, FairlabelDb db) =>
        TypedResults.Ok((await db.ApiTokens.AsNoTracking()
                .Where(t => t.UserId == http.User.Id() && t.RevokedAt == null)
                .OrderBy(t => t.Id)
                .ToListAsync())
            .Select(t => new TokenSummary(t.Id, t.Name, t.Prefix, t.CreatedAt, t.ExpiresAt,
                t.ReadOnly ? ApiTokenScopes.ReadOnly : ApiTokenScopes.Full, t.ProjectIds))
            .ToList());

    static async Task<Results<Created<NewToken>, ValidationProblem>> Create(
        TokenRequest body, HttpContext http, FairlabelDb db, TimeProvider clock, IOptions<ApiTokenOptions> options)
    {
        if (body.ProjectIds is { Count: > 0 } listed && await UnreachableProjectsAsync(listed, http, db) is { } unreachable)
            return Problems.Invalid(Invalid, unreachable);
        var now = clock.GetUtcNow();
        var latest = now + options.Value.MaxLifetime;
        var projects = body.ProjectIds is null or [] ? null : body.ProjectIds.Distinct().ToList();

        var secret = ApiTokenAuthentication.NewToken();
        var token = new ApiToken
        {
            UserId = http.User.Id(), Name = body.Name!.Trim(), Prefix = secret[..7],
            Hash = ApiTokenAuthentication.Hash(secret), CreatedAt = now,
            ExpiresAt = body.ExpiresAt ?? latest, ReadOnly = body.Scope == ApiTokenScopes.ReadOnly, ProjectIds = projects,
        };
        var scope = token.ReadOnly ? ApiTokenScopes.ReadOnly : ApiTokenScopes.Full;
        db.ApiTokens.Add(token);
        db.Record("token.created", token.UserId, http.User.OrganisationId(),
            data: new { token.Name, token.Prefix, token.ExpiresAt, scope, projectIds = projects });
        await db.SaveChangesAsync();
        return TypedResults.Created($"/api/me/tokens/{token.Id}",
            new NewToken(token.Id, token.Name, secret, token.ExpiresAt, scope, projects));
    }

    /// A requester's token may be limited to their organisation's projects; a tasker's to any.
    /// The database's rule, checked once the body has passed its own: each listed project must be reachable.
    static async Task<FieldErrors?> UnreachableProjectsAsync(List<int> projects, HttpContext http, FairlabelDb db)
    {
        var known = http.User.Role() == Roles.Requester
            ? await db.Projects.Where(p => projects.Contains(p.Id) && p.OrganisationId == http.User.OrganisationId())
                .Select(p => p.Id).ToListAsync()
            : await db.Projects.Where(p => projects.Contains(p.Id)).Select(p => p.Id).ToListAsync();
        var errors = new FieldErrors();
        for (var i = 0; i < projects.Count; i++)
            if (!known.Contains(projects[i]))
                errors.Add($"projectIds[{i}]", "is not a project you can reach");
        return errors.Any ? errors : null;
    }

    static async Task<Results<NoContent, ProblemHttpResult>> Revoke(
        int id, HttpContext http, FairlabelDb db, TimeProvider clock, ApiTokenCache tokens)
    {
        var revoked = await db.ApiTokens
            .Where(t => t.Id == id && t.UserId == http.User.Id() && t.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, clock.GetUtcNow()));
        if (revoked == 0) return Problems.NotFound("Token");
        tokens.Forget(id);
        db.Record("token.revoked", http.User.Id(), http.User.OrganisationId(), data: new { id });
        await db.SaveChangesAsync();
        return TypedResults.NoContent();
    }

    /// One click after a password change or a suspected leak: a password change leaves tokens be
    /// (scripts keep running), so the account page offers this beside them (docs/security.md).
    static async Task<Ok<RevokedTokens>> RevokeAll(HttpContext http, FairlabelDb db, TimeProvider clock, ApiTokenCache tokens)
    {
        var live = db.ApiTokens.Where(t => t.UserId == http.User.Id() && t.RevokedAt == null);
        var ids = await live.Select(t => t.Id).ToListAsync();
        if (ids.Count == 0) return TypedResults.Ok(new RevokedTokens(0));
        await db.ApiTokens.Where(t => ids.Contains(t.Id) && t.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, clock.GetUtcNow()));
        foreach (var id in ids) tokens.Forget(id);
        db.Record("token.revoked_all", http.User.Id(), http.User.OrganisationId(), data: new { ids });
        await db.SaveChangesAsync();
        return TypedResults.Ok(new RevokedTokens(ids.Count));
    }
}
