using System.Text.RegularExpressions;
using Fairlabel.Accounts.Sessions;
using Fairlabel.Audiences;
using Fairlabel.Data;
using Fairlabel.Events;
using Fairlabel.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Fairlabel.Accounts;

public sealed record SignupRequest(
    string? Email, string? Password, string? DisplayName, string? Role, string? OrganisationName,
    string? Country, List<string>? Languages, List<string>? Expertise, string? Invitation = null) : IValidatedBody
{
    string IValidatedBody.InvalidTitle => "The sign-up is not valid";

    void IValidatedBody.Validate(FieldErrors errors, IServiceProvider services)
    {
        if (!AccountsApi.EmailPattern().IsMatch(AccountsApi.NormalEmail(Email))) errors.Add("email", "must be an email address");
        if (PasswordPolicy.Problem(Password ?? "", AccountsApi.NormalEmail(Email)) is { } weak) errors.Add("password", weak);
        if (string.IsNullOrWhiteSpace(DisplayName)) errors.Add("displayName", "is required");
        if (Role is not (Roles.Tasker or Roles.Requester)) errors.Add("role", "must be 'tasker' or 'requester'");
        if (Role == Roles.Requester && Invitation is null && string.IsNullOrWhiteSpace(OrganisationName))
            errors.Add("organisationName", "names the organisation a requester creates");
        if (Invitation is not null && Role != Roles.Requester)
            errors.Add("role", "must be 'requester' to join an organisation by invitation");
        ProfileRules.Country(Country, "country", errors);
        ProfileRules.Languages(Languages, "languages", errors);
        ProfileRules.Domains(Expertise, "expertise", errors);
    }
}

public sealed record LoginRequest(string? Email, string? Password);
public sealed record OrganisationRef(int Id, string Name);
public sealed record Me(int Id, string Email, string DisplayName, string Role, OrganisationRef? Organisation,
    string? Country, List<string> Languages, List<string> Expertise);
public sealed record SignupReceived(string Email);

public static partial class AccountsApi
{
    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    internal static partial Regex EmailPattern();

    /// Addresses are compared trimmed and in lower case.
    internal static string NormalEmail(string? email) => email?.Trim().ToLowerInvariant() ?? "";

    public static void MapAccounts(this IEndpointRouteBuilder app)
    {
        var auth = app.MapGroup("/api/auth").WithTags("Accounts");
        auth.ValidateBodies();
        auth.MapPost("/signup", Signup).RequireRateLimiting(RateLimits.SignUp).WithSummary("Create an account (tasker or requester)");
        auth.MapPost("/login", Login).RequireRateLimiting(RateLimits.Login).WithSummary("Log in and receive the session cookie");
        auth.MapGroup("").RequireAntiforgeryForCookies().MapPost("/logout", (Delegate)Logout).WithSummary("End the session, on every node");
        auth.MapGet("/me", GetMe).RequireAuthorization().WithSummary("The signed-in user");

        var me = app.MapGroup("/api/me").WithTags("Accounts").RequireAuthorization().RequireAntiforgeryForCookies()
            .ValidateBodies();
        me.MapProfile();
        me.MapApiTokens();
        app.MapAccountSecurity();
    }

    /// Answers the same whether or not the email has an account, and signs nobody in: the client
    /// logs in next (docs/security.md, "Login throttling and enumeration").
    static async Task<Results<Accepted<SignupReceived>, ValidationProblem, ProblemHttpResult>> Signup(
        SignupRequest body, FairlabelDb db, IPasswordHasher<User> hasher, HttpContext http, TimeProvider clock)
    {
        if (http.User.Identity?.IsAuthenticated == true)
            return Problems.Conflict("Already signed in", "Log out before creating another account.");
        var email = NormalEmail(body.Email);
        // Checked by the body's own rules before this handler ran; read again here for their normal form.
        var ignored = new FieldErrors();
        var country = ProfileRules.Country(body.Country, "country", ignored);
        var languages = ProfileRules.Languages(body.Languages, "languages", ignored);
        var expertise = ProfileRules.Domains(body.Expertise, "expertise", ignored);
        var (invitation, refused) = body.Invitation is null ? default
            : await InvitationsApi.ForSignupAsync(db, body.Invitation, email, clock.GetUtcNow());
        if (refused is not null) return refused;
        var received = TypedResults.Accepted("/api/auth/login", new SignupReceived(email));
        var now = clock.GetUtcNow();
        if (await db.Users.AnyAsync(u => u.Email == email))
        {
            // The work of a new account, but only the owner learns of it.
            hasher.HashPassword(new User { Email = email, DisplayName = "", Role = Roles.Tasker }, body.Password!);
            db.Set<FailedLogin>().Add(FailedLogin.Of(http, email, FailedLogin.AtSignup, now));
            await db.SaveChangesAsync();
            return received;
        }

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
        return received;
    }

    static async Task<Results<Ok<Me>, ProblemHttpResult>> Login(
        LoginRequest body, FairlabelDb db, PasswordCheck check, HttpContext http)
    {
        var email = NormalEmail(body.Email);
        var user = await db.Users.Include(u => u.Organisation).FirstOrDefaultAsync(u => u.Email == email);
        switch (await check.CheckAsync(db, http, email, user, body.Password ?? "", FailedLogin.AtLogin))
        {
            case PasswordCheck.MustWait wait: return LoginThrottle.TooManyAttempts(http, wait.Wait);
            case PasswordCheck.Passed:
                await SessionCookie.SignInAsync(http, db, user!);
                return TypedResults.Ok(ToMe(user!));
            default: return TypedResults.Problem(title: "Wrong email or password", statusCode: 401);
        }
    }

    static async Task<NoContent> Logout(HttpContext http, FairlabelDb db)
    {
        await SessionCookie.SignOutAsync(http, db);
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
