using System.Security.Claims;
using Fairlabel.Accounts.Sessions;
using Fairlabel.Data;
using Fairlabel.Events;
using Fairlabel.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Fairlabel.Accounts;

public sealed record SessionSummary(long Id, DateTimeOffset CreatedAt, DateTimeOffset LastSeenAt, string? UserAgent,
    string? Address, bool Current);
public sealed record PasswordChangeRequest(string? CurrentPassword, string? NewPassword);
public sealed record FailedLoginSummary(DateTimeOffset At, string Kind, string? Address, string? UserAgent);

/// What a user does about their own sign-ins — sessions, password, the failed attempts on their
/// address — and an operator's "sign out everywhere" for any user.
public static class AccountSecurityApi
{
    public static void MapAccountSecurity(this IEndpointRouteBuilder app)
    {
        var me = app.MapGroup("/api/me").WithTags("Accounts").RequireAuthorization().RequireAntiforgeryForCookies();
        me.MapGet("/sessions", ListSessions).WithSummary("The signed-in browsers of this account");
        me.MapDelete("/sessions/{id:long}", EndSession).WithSummary("Sign one browser out");
        me.MapDelete("/sessions", EndAllSessions).WithSummary("Sign out everywhere, this browser included");
        // A token is a script's, not the person's: it may not change the password that made it.
        me.MapPost("/password", ChangePassword).RequireSession("Changing the password")
            .WithSummary("Change the password (signs every other browser out; API tokens go on)");
        me.MapGet("/failed-logins", ListFailedLogins).WithSummary("Wrong passwords given for this account's email, newest first");

        var admin = app.MapGroup("/api/admin").WithTags("Operator")
            .RequireAuthorization(p => p.RequireRole(Roles.Operator)).RequireAntiforgeryForCookies();
        admin.MapDelete("/users/{id:int}/sessions", EndUsersSessions).WithSummary("Sign a user out everywhere");
    }

    static async Task<Ok<List<SessionSummary>>> ListSessions(HttpContext http, FairlabelDb db, TimeProvider clock,
        IOptions<SessionSettings> settings)
    {
        var now = clock.GetUtcNow();
        var idleSince = now - settings.Value.IdleTimeout;
        var current = http.User.FindFirstValue(ServerSessions.KeyClaim);
        var sessions = await db.Set<UserSession>().AsNoTracking()
            .Where(s => s.UserId == http.User.Id() && s.EndedAt == null && s.ExpiresAt > now && s.LastSeenAt > idleSince)
            .OrderByDescending(s => s.LastSeenAt)
            .ToListAsync();
        return TypedResults.Ok(sessions.Select(s =>
            new SessionSummary(s.Id, s.CreatedAt, s.LastSeenAt, s.UserAgent, s.Address, s.Key == current)).ToList());
    }

    static async Task<Results<NoContent, ProblemHttpResult>> EndSession(long id, HttpContext http, FairlabelDb db, ServerSessions sessions)
    {
        if (!await sessions.EndOneAsync(db, http.User.Id(), id)) return Problems.NotFound("Session");
        db.Record("session.ended", http.User.Id(), http.User.OrganisationId(), data: new { id });
        await db.SaveChangesAsync();
        return TypedResults.NoContent();
    }

    static async Task<NoContent> EndAllSessions(HttpContext http, FairlabelDb db, ServerSessions sessions)
    {
        var ended = await sessions.EndAllAsync(db, http.User.Id());
        db.Record("session.ended_everywhere", http.User.Id(), http.User.OrganisationId(), data: new { ended });
        await db.SaveChangesAsync();
        if (!http.User.ViaApiToken()) await SessionCookie.SignOutAsync(http, db);
        return TypedResults.NoContent();
    }

    static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> ChangePassword(
        PasswordChangeRequest body, HttpContext http, FairlabelDb db, PasswordCheck check, ServerSessions sessions,
        IPasswordHasher<User> hasher)
    {
        var user = await db.Users.FirstAsync(u => u.Id == http.User.Id());
        if (string.IsNullOrEmpty(body.CurrentPassword))
            return Problems.Invalid("The password change is not valid", "currentPassword", "is required");
        if (PasswordPolicy.Problem(body.NewPassword ?? "", user.Email) is { } problem)
            return Problems.Invalid("The password change is not valid", "newPassword", problem);
        switch (await check.CheckAsync(db, http, user.Email, user, body.CurrentPassword, FailedLogin.AtPasswordChange))
        {
            case PasswordCheck.MustWait wait: return LoginThrottle.TooManyAttempts(http, wait.Wait);
            case PasswordCheck.Failed: return Problems.Invalid("The password change is not valid", "currentPassword", "is not your current password");
        }
        user.PasswordHash = hasher.HashPassword(user, body.NewPassword!);
        var ended = await sessions.EndAllAsync(db, user.Id, exceptKey: http.User.FindFirstValue(ServerSessions.KeyClaim));
        db.Record("password.changed", user.Id, user.OrganisationId, data: new { sessionsEnded = ended });
        await db.SaveChangesAsync();
        return TypedResults.NoContent();
    }

    static async Task<Ok<List<FailedLoginSummary>>> ListFailedLogins(HttpContext http, FairlabelDb db)
    {
        var user = await db.Users.AsNoTracking().Where(u => u.Id == http.User.Id()).Select(u => new { u.Email, u.CreatedAt }).FirstAsync();
        return TypedResults.Ok(await db.Set<FailedLogin>().AsNoTracking()
            .Where(f => f.Email == user.Email && f.At >= user.CreatedAt)
            .OrderByDescending(f => f.At).Take(100)
            .Select(f => new FailedLoginSummary(f.At, f.Kind, f.Address, f.UserAgent))
            .ToListAsync());
    }

    static async Task<Results<NoContent, ProblemHttpResult>> EndUsersSessions(int id, HttpContext http, FairlabelDb db, ServerSessions sessions)
    {
        var user = await db.Users.AsNoTracking().Where(u => u.Id == id).Select(u => new { u.Id, u.OrganisationId }).FirstOrDefaultAsync();
        if (user is null) return Problems.NotFound("User");
        var ended = await sessions.EndAllAsync(db, id);
        db.Record("session.ended_everywhere", http.User.Id(), user.OrganisationId, data: new { user = id, ended });
        await db.SaveChangesAsync();
        return TypedResults.NoContent();
    }
}
