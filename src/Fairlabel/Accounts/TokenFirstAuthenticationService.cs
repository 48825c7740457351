using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;

namespace Fairlabel.Accounts;

/// The work loop's requests carry an API token, thousands a second per node. Those whose token
/// this node knows (<see cref="ApiTokenCache"/>) are authenticated with the result kept for the
/// token, without the handlers, tickets and tasks that ASP.NET Core's authentication service
/// makes for every request: they were a sixth of what a node allocated under load, and what a
/// node allocates sets how often its garbage collections stop every request (docs/benchmarks.md,
/// fourteenth session). Everything else (cookies, tokens not yet known or not seen for a while,
/// challenges, signing in and out) goes to the framework's own service, unchanged.
public sealed class TokenFirstAuthenticationService(ApiTokenCache tokens, IClaimsTransformation transformation) : IAuthenticationService
{
    /// A claims transformation would have to run on every result; none is configured, and if one
    /// ever is, every request takes the framework's way.
    readonly bool _answerKnownTokens = transformation is NoopClaimsTransformation;

    public static void Register(IServiceCollection services)
    {
        services.AddScoped<AuthenticationService>();
        services.AddSingleton<IAuthenticationService, TokenFirstAuthenticationService>();
    }

    public Task<AuthenticateResult> AuthenticateAsync(HttpContext context, string? scheme) =>
        _answerKnownTokens && scheme is null or AuthenticationSetup.CookieOrToken or ApiTokenAuthentication.SchemeName &&
        tokens.Find(context.Request.Headers.Authorization) is { } known
            ? known
            : Framework(context).AuthenticateAsync(context, scheme);

    public Task ChallengeAsync(HttpContext context, string? scheme, AuthenticationProperties? properties) =>
        Framework(context).ChallengeAsync(context, scheme, properties);

    public Task ForbidAsync(HttpContext context, string? scheme, AuthenticationProperties? properties) =>
        Framework(context).ForbidAsync(context, scheme, properties);

    public Task SignInAsync(HttpContext context, string? scheme, ClaimsPrincipal principal, AuthenticationProperties? properties) =>
        Framework(context).SignInAsync(context, scheme, principal, properties);

    public Task SignOutAsync(HttpContext context, string? scheme, AuthenticationProperties? properties) =>
        Framework(context).SignOutAsync(context, scheme, properties);

    static AuthenticationService Framework(HttpContext context) => context.RequestServices.GetRequiredService<AuthenticationService>();
}
