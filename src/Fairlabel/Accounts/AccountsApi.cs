using System.Text.RegularExpressions;
using Fairlabel.Audiences;
using Fairlabel.Data;
using Fairlabel.Events;
using Fairlabel.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Fairlabel.Accounts;

public sealed record SignupRequest(
    string? Email, string? Password, string? DisplayName, string? Role, string? OrganisationName,
    string? Country, List<string>? Languages, List<string>? Expertise, string? Invitation = null);
public sealed record LoginRequest(string? Email, string? Password);
public sealed record OrganisationRef(int Id, string Name);
public sealed record Me(int Id, string Email, string DisplayName, string Role, OrganisationRef? Organisation,
    string? Country, List<string> Languages, List<string> Expertise);

public static partial class AccountsApi
{
    public const int MaxFailedLogins = 5;
    public static readonly TimeSpan LockoutDuration = TimeSpan.FromMinutes(15);

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    internal static partial Regex EmailPattern();

    public static void MapAccounts(this IEndpointRouteBuilder app)
    {
        var auth = app.MapGroup("/api/auth").WithTags("Accounts");
        auth.MapPost("/signup", Signup).RequireRateLimiting(RateLimits.SignUp).WithSummary("Create an account (tasker or requester)");
        auth.MapPost("/login", Login).RequireRateLimiting(RateLimits.Login).WithSummary("Log in and receive the session cookie");
        auth.MapPost("/logout", (Delegate)Logout).WithSummary("End the session");
        auth.MapGet("/me", GetMe).RequireAuthorization().WithSummary("The signed-in user");

        var me = app.MapGroup("/api/me").WithTags("Accounts").RequireAuthorization().RequireAntiforgeryForCookies();
        me.MapProfile();
        me.MapApiTokens();
    }

    static async Task<Results<Created<Me>, ValidationProblem, ProblemHttpResult>> Signup(
        SignupRequest body, FairlabelDb db, IPasswordHasher<User> hasher, HttpContext http, TimeProvider clock)
    {
        var errors = new FieldErrors();
        var email = body.Email?.Trim().ToLowerInvariant() ?? "";
        if (!EmailPattern().IsMatch(email)) errors.Add("email", "must be an email address");
        if ((body.Password ?? "").Length < 10) errors.Add("password", "must be at least 10 characters long");
        if (string.IsNullOrWhiteSpace(body.DisplayName)) errors.Add("displayName", "is required");
        if (body.Role is not (Roles.Tasker or Roles.Requester)) errors.Add("role", "must be 'tasker' or 'requester'");
        if (body.Role == Roles.Requester && body.Invitation is null && string.IsNullOrWhiteSpace(body.OrganisationName))
            errors.Add("organisationName", "names the organisation a requester creates");
        if (body.Invitation is not null && body.Role != Roles.Requester)
            errors.Add("role", "must be 'requester' to join an organisation by invitation");
        var country = ProfileRules.Country(body.Country, "country", errors);
        var languages = ProfileRules.Languages(body.Languages, "languages", errors);
        var expertise = ProfileRules.Domains(body.Expertise, "expertise", errors);
        if (errors.Any) return Problems.Invalid("The sign-up is not valid", errors);
        if (await db.Users.AnyAsync(u => u.Email == email))
            return Problems.Conflict("An account with this email exists", "Log in instead, or use another address.");
        var (invitation, refused) = body.Invitation is null ? default
            : await InvitationsApi.ForSignupAsync(db, body.Invitation, email, clock.GetUtcNow());
        if (refused is not null) return refused;

        var now = clock.GetUtcNow();
        var user = new User
        {
            Email = email, DisplayName = body.DisplayName!.Trim(), Role = body.Role!, CreatedAt = now,
            Country = country, Languages = languages, Expertise = expertise,
        };
        if (invitation is not null) InvitationsApi.JoinAtSignup(user, invitation, now);
        else if (body.Role == Roles.Requester)
        {
            user.Organisation = new Organisation { Name = body.OrganisationName!.Trim(), CreatedAt = now };
            user.OrganisationRole = OrganisationRoles.Owner;
        }
        user.PasswordHash = hasher.HashPassword(user, body.Password!);
        db.Users.Add(user);
        try
        {
            await db.SaveChangesAsync();
        }
        catch (DbUpdateConcurrencyException) when (invitation is not null)
        {
            return await InvitationsApi.RefusalAfterRaceAsync(db, invitation.Id);
        }
        db.Record("account.created", user.Id, user.OrganisationId, data: new { user.Role });
        if (invitation is not null) InvitationsApi.RecordAcceptedAtSignup(db, invitation, user);
        await db.SaveChangesAsync();
        await SignInAsync(http, user);
        return TypedResults.Created("/api/auth/me", ToMe(user));
    }

    static async Task<Results<Ok<Me>, ProblemHttpResult>> Login(
        LoginRequest body, FairlabelDb db, IPasswordHasher<User> hasher, HttpContext http, TimeProvider clock)
    {
        var email = body.Email?.Trim().ToLowerInvariant() ?? "";
        var user = await db.Users.Include(u => u.Organisation).FirstOrDefaultAsync(u => u.Email == email);
        var now = clock.GetUtcNow();
        if (user is null)
            return TypedResults.Problem(title: "Wrong email or password", statusCode: 401);
        if (user.LockedUntil > now)
            return TypedResults.Problem(title: "Account locked",
                detail: $"Too many failed logins. Try again after {user.LockedUntil:HH:mm} UTC.", statusCode: 423);
        if (hasher.VerifyHashedPassword(user, user.PasswordHash, body.Password ?? "") == PasswordVerificationResult.Failed)
        {
            user.FailedLogins++;
            if (user.FailedLogins >= MaxFailedLogins)
            {
                user.LockedUntil = now + LockoutDuration;
                user.FailedLogins = 0;
                db.Record("account.locked", user.Id, user.OrganisationId);
            }
            await db.SaveChangesAsync();
            return TypedResults.Problem(title: "Wrong email or password", statusCode: 401);
        }
        user.FailedLogins = 0;
        user.LockedUntil = null;
        await db.SaveChangesAsync();
        await SignInAsync(http, user);
        return TypedResults.Ok(ToMe(user));
    }

    internal static async Task SignInAsync(HttpContext http, User user)
    {
        var principal = CurrentUser.Principal(user, CookieAuthenticationDefaults.AuthenticationScheme);
        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, principal);
        // The antiforgery token is bound to the identity: issue it for the one just signed in.
        http.User = principal;
        AuthenticationSetup.IssueXsrfToken(http);
    }

    static async Task<NoContent> Logout(HttpContext http)
    {
        await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        http.Response.Cookies.Delete(AuthenticationSetup.XsrfCookie);
        return TypedResults.NoContent();
    }

    static async Task<Results<Ok<Me>, UnauthorizedHttpResult>> GetMe(HttpContext http, FairlabelDb db)
    {
        var user = await db.Users.AsNoTracking().Include(u => u.Organisation).FirstOrDefaultAsync(u => u.Id == http.User.Id());
        if (user is null) return TypedResults.Unauthorized();
        if (!http.User.ViaApiToken()) AuthenticationSetup.IssueXsrfToken(http);
        return TypedResults.Ok(ToMe(user));
    }

    public static Me ToMe(User u) => new(u.Id, u.Email, u.DisplayName, u.Role,
        u.Organisation is null ? null : new OrganisationRef(u.Organisation.Id, u.Organisation.Name),
        u.Country, u.Languages, u.Expertise);
}
