using System.Collections.Frozen;
using System.Globalization;
using Fairlabel.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Routing.Patterns;

namespace Fairlabel.Accounts;

public static class ApiTokenScopes
{
    public const string Full = "full";
    public const string ReadOnly = "read-only";
}

/// What an API token may do beyond its user's own rights: everything, or only reading, or only
/// about some projects; until when. Fixed when the token is made, kept with the node's cached
/// authentication of the token (<see cref="ApiTokenCache"/>) so that it holds on every request.
public sealed record ApiTokenGrant(bool ReadOnly, FrozenSet<int>? Projects, DateTimeOffset? ExpiresAt)
{
    public static readonly ApiTokenGrant Full = new(false, null, null);

    public bool Limits => ReadOnly || Projects is not null;
    public string Scope => ReadOnly ? ApiTokenScopes.ReadOnly : ApiTokenScopes.Full;

    public static ApiTokenGrant Of(bool readOnly, IEnumerable<int>? projects, DateTimeOffset? expiresAt) =>
        new(readOnly, projects?.ToFrozenSet(), expiresAt);
}

public enum TokenRefusal { None, ReadOnly, OtherProject, NoProject }

/// What a request touches, as far as a token's grant cares: the project its route names, or
/// whether it only asks who the token belongs to.
public readonly record struct TokenTarget(int? ProjectId, bool WhoAmI);

/// May this token make this request? Decided from the grant, the method and the route alone,
/// before any handler runs, so that no endpoint has to remember to ask.
public static class ApiTokenRules
{
    const string WhoAmIRoute = "/api/auth/me";

    public static TokenRefusal Check(ApiTokenGrant grant, string method, TokenTarget target)
    {
        if (grant.Projects is { } projects)
        {
            if (target.ProjectId is { } project) { if (!projects.Contains(project)) return TokenRefusal.OtherProject; }
            else if (!target.WhoAmI) return TokenRefusal.NoProject;
        }
        if (grant.ReadOnly && !HttpMethods.IsGet(method) && !HttpMethods.IsHead(method)) return TokenRefusal.ReadOnly;
        return TokenRefusal.None;
    }

    /// A route names a project by the parameter that follows a `projects` segment:
    /// `/api/projects/{id}`, `/api/projects/{projectId}/export`, `/api/work/projects/{id}/tasks/next`.
    public static TokenTarget TargetOf(RoutePattern? route, RouteValueDictionary values)
    {
        if (route is null) return default;
        var segments = route.PathSegments;
        for (var i = 0; i + 1 < segments.Count; i++)
            if (segments[i].Parts is [RoutePatternLiteralPart { Content: var literal }] &&
                literal.Equals("projects", StringComparison.OrdinalIgnoreCase) &&
                segments[i + 1].Parts is [RoutePatternParameterPart parameter])
                return new TokenTarget(
                    int.TryParse(values[parameter.Name]?.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null,
                    WhoAmI: false);
        return new TokenTarget(null, string.Equals(route.RawText, WhoAmIRoute, StringComparison.OrdinalIgnoreCase));
    }

    const string GrantParameter = "fairlabel:grant";

    public static AuthenticationProperties PropertiesWith(ApiTokenGrant grant)
    {
        var properties = new AuthenticationProperties();
        properties.SetParameter(GrantParameter, grant);
        return properties;
    }

    public static ApiTokenGrant? GrantOf(AuthenticateResult? result) =>
        result?.Properties?.GetParameter<ApiTokenGrant>(GrantParameter);

    /// Refuses, after authentication, what the request's token is not granted.
    public static void UseApiTokenGrants(this WebApplication app) => app.Use(static (context, next) =>
    {
        if (!context.User.ViaApiToken() ||
            GrantOf(context.Features.Get<IAuthenticateResultFeature>()?.AuthenticateResult) is not { Limits: true } grant)
            return next(context);
        var target = TargetOf((context.GetEndpoint() as RouteEndpoint)?.RoutePattern, context.Request.RouteValues);
        return Check(grant, context.Request.Method, target) switch
        {
            TokenRefusal.None => next(context),
            var refusal => Problem(refusal, grant).ExecuteAsync(context),
        };
    });

    static IResult Problem(TokenRefusal refusal, ApiTokenGrant grant) => refusal switch
    {
        // As if the project did not exist, which is what any other project's outsider is told.
        TokenRefusal.OtherProject => Problems.NotFound("Project"),
        TokenRefusal.ReadOnly => TypedResults.Problem(title: "This token is read-only",
            detail: $"Its scope is '{ApiTokenScopes.ReadOnly}': only GET and HEAD requests succeed.", statusCode: 403),
        _ => TypedResults.Problem(title: "This token is limited to some projects",
            detail: $"It may only make requests about projects {string.Join(", ", grant.Projects!.Order())}; this one names none of them.",
            statusCode: 403),
    };
}
