using Fairlabel.Accounts.Sessions;
using Fairlabel.Infrastructure;
using Fairlabel.Data;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Identity;

namespace Fairlabel.Accounts;

public static class AuthenticationSetup
{
    public const string CookieOrToken = "CookieOrToken";
    public const string XsrfCookie = "XSRF-TOKEN";
    public const string XsrfHeader = "X-XSRF-TOKEN";

    public static void AddFairlabelAuthentication(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<IPasswordHasher<User>, PasswordHasher<User>>();
        // Keys in the database: a cookie issued by one node is read by every other, and survives restarts.
        var keys = builder.Services.AddDataProtection().SetApplicationName("fairlabel").PersistKeysToDbContext<FairlabelDb>();
        if (SessionKeyCertificate.Apply(keys, builder.Configuration) is { } problem)
            builder.Services.AddSingleton(new ConfigurationProblem(problem));
        builder.Services.AddSingleton<ApiTokenCache>();
        builder.Services.AddAuthentication(CookieOrToken)
            .AddPolicyScheme(CookieOrToken, CookieOrToken, o => o.ForwardDefaultSelector = context =>
                ApiTokenAuthentication.HasBearerToken(context.Request.Headers.Authorization)
                    ? ApiTokenAuthentication.SchemeName
                    : CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(o =>
            {
                o.Cookie.Name = "fairlabel.session";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                // Secure over HTTPS, also behind a trusted proxy that says so (TrustedProxies).
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                // Lifetimes are the server session's (SessionCookie.AddServerSessions).
                // An API answers 401/403; it does not redirect to a login page.
                o.Events.OnRedirectToLogin = c => { c.Response.StatusCode = 401; return Task.CompletedTask; };
                o.Events.OnRedirectToAccessDenied = c => { c.Response.StatusCode = 403; return Task.CompletedTask; };
            })
            .AddScheme<AuthenticationSchemeOptions, ApiTokenAuthentication>(ApiTokenAuthentication.SchemeName, null);
        builder.AddServerSessions(); // the cookie's lifetime and its check against the server's session
        TokenFirstAuthenticationService.Register(builder.Services);
        AddAuthorizationOnce(builder.Services);
        builder.Services.AddAntiforgery(o =>
        {
            o.HeaderName = XsrfHeader;
            o.Cookie.Name = "fairlabel.af";
            o.Cookie.SameSite = SameSiteMode.Strict;
        });
    }

    /// ASP.NET Core's authorization services, made once instead of for every request (the framework
    /// makes them anew per request, though none keeps anything of one): they were a few percent of
    /// what a node allocated per request under load. They stay safe to share only while every
    /// authorization handler is stateless, as the framework's role and sign-in checks are.
    static void AddAuthorizationOnce(IServiceCollection services)
    {
        services.AddSingleton<IAuthorizationService, DefaultAuthorizationService>();
        services.AddSingleton<IAuthorizationPolicyProvider, DefaultAuthorizationPolicyProvider>();
        services.AddSingleton<IAuthorizationHandlerProvider, DefaultAuthorizationHandlerProvider>();
        services.AddSingleton<IPolicyEvaluator, PolicyEvaluator>();
        services.AddAuthorization();
    }

    /// Gives the browser a fresh antiforgery token in a readable cookie; it echoes it in a header.
    public static void IssueXsrfToken(HttpContext context)
    {
        var antiforgery = context.RequestServices.GetRequiredService<IAntiforgery>();
        var tokens = antiforgery.GetAndStoreTokens(context);
        context.Response.Cookies.Append(XsrfCookie, tokens.RequestToken!,
            new CookieOptions { HttpOnly = false, SameSite = SameSiteMode.Strict, Path = "/", Secure = context.Request.IsHttps });
    }

    /// Unsafe requests made with the session cookie must carry the antiforgery header; requests
    /// with an API token cannot be forged by another site and need none.
    public static RouteGroupBuilder RequireAntiforgeryForCookies(this RouteGroupBuilder group) =>
        // Not async where nothing is checked: it runs on every work-loop request.
        group.AddEndpointFilter((context, next) =>
        {
            var http = context.HttpContext;
            return HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method) ||
                   http.User.Identity?.IsAuthenticated != true || http.User.ViaApiToken()
                ? next(context)
                : ValidatedAsync(context, next);
        });

    static async ValueTask<object?> ValidatedAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        try
        {
            await http.RequestServices.GetRequiredService<IAntiforgery>().ValidateRequestAsync(http);
        }
        catch (AntiforgeryValidationException)
        {
            return Problems.BadRequest("Missing or invalid antiforgery token",
                $"Send the value of the {XsrfCookie} cookie in the {XsrfHeader} header.");
        }
        return await next(context);
    }
}
