using System.Security.Claims;
using Fairlabel.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;

namespace Fairlabel.Accounts.Sessions;

/// The session cookie names a server-side session (<see cref="ServerSessions"/>), which every
/// cookie request is checked against.
public static class SessionCookie
{
    public static void AddServerSessions(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<SessionSettings>().BindConfiguration(SessionSettings.Section);
        builder.Services.AddOptions<LoginThrottleSettings>().BindConfiguration(LoginThrottleSettings.Section);
        builder.Services.AddSingleton<ServerSessions>();
        builder.Services.AddSingleton<LoginThrottle>();
        builder.Services.AddSingleton<PasswordCheck>();
        builder.Services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme)
            .Configure<IOptions<SessionSettings>>((cookie, settings) =>
            {
                // The cookie ends with the session's absolute lifetime; the idle timeout is the server's.
                cookie.ExpireTimeSpan = settings.Value.AbsoluteLifetime;
                cookie.SlidingExpiration = false;
                cookie.Events.OnValidatePrincipal = context =>
                    context.HttpContext.RequestServices.GetRequiredService<ServerSessions>().ValidateAsync(context);
            });
    }

    /// Starts a session for <paramref name="user"/> and gives the browser its cookie; a session the
    /// browser held before ends.
    public static async Task SignInAsync(HttpContext http, FairlabelDb db, User user)
    {
        var sessions = http.RequestServices.GetRequiredService<ServerSessions>();
        if (http.User.Identity?.IsAuthenticated == true) await sessions.EndCurrentAsync(db, http.User);
        var (key, expiresAt) = await sessions.StartAsync(db, user.Id, http);
        var principal = CurrentUser.Principal(user, CookieAuthenticationDefaults.AuthenticationScheme);
        ((ClaimsIdentity)principal.Identity!).AddClaim(new Claim(ServerSessions.KeyClaim, key));
        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, principal,
            new AuthenticationProperties { ExpiresUtc = expiresAt, AllowRefresh = false });
        // The antiforgery token is bound to the identity: issue it for the one just signed in.
        http.User = principal;
        AuthenticationSetup.IssueXsrfToken(http);
    }

    /// Ends the request's session on the server and removes its cookies from the browser.
    public static async Task SignOutAsync(HttpContext http, FairlabelDb db)
    {
        await http.RequestServices.GetRequiredService<ServerSessions>().EndCurrentAsync(db, http.User);
        await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        http.Response.Cookies.Delete(AuthenticationSetup.XsrfCookie);
    }
}
