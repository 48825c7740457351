using System.Text.RegularExpressions;
using Fairlabel.Accounts.Sessions;
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
        AccountsApi.ValidateProfile(Country, Languages, errors);
    }
}

public sealed record LoginRequest(string? Email, string? Password);

public sealed record ProfileRequest(string? DisplayName, string? Country, List<string>? Languages, List<string>? Expertise)
    : IValidatedBody
{
    string IValidatedBody.InvalidTitle => "The profile is not valid";

    void IValidatedBody.Validate(FieldErrors errors, IServiceProvider services)
    {
        if (DisplayName is not null && string.IsNullOrWhiteSpace(DisplayName)) errors.Add("displayName", "must not be empty");
        AccountsApi.ValidateProfile(Country, Languages, errors);
    }
}

public sealed record OrganisationRef(int Id, string Name);
public sealed record Me(int Id, string Email, string DisplayName, string Role, OrganisationRef? Organisation,
    string? Country, List<string> Languages, List<string> Expertise);
public sealed record SignupReceived(string Email);

public static partial class AccountsApi
{
    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    internal static partial Regex EmailPattern();
    [GeneratedRegex("^[A-Z]{2}$")]
    private static partial Regex CountryPattern();

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
        me.MapPut("/profile", UpdateProfile).WithSummary("Update the profile (country, languages, expertise)");
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
            Country = body.Country?.ToUpperInvariant(), Languages = body.Languages ?? [], Expertise = body.Expertise ?? [],
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

    static async Task<Results<Ok<Me>, ValidationProblem>> UpdateProfile(ProfileRequest body, HttpContext http, FairlabelDb db)
    {
        var user = await db.Users.Include(u => u.Organisation).FirstAsync(u => u.Id == http.User.Id());
        if (body.DisplayName is not null) user.DisplayName = body.DisplayName.Trim();
        if (body.Country is not null) user.Country = body.Country.ToUpperInvariant();
        if (body.Languages is not null) user.Languages = body.Languages;
        if (body.Expertise is not null) user.Expertise = body.Expertise;
        db.Record("profile.updated", user.Id, user.OrganisationId);
        await db.SaveChangesAsync();
        return TypedResults.Ok(ToMe(user));
    }

    internal static void ValidateProfile(string? country, List<string>? languages, FieldErrors errors)
    {
        if (country is not null && !CountryPattern().IsMatch(country.ToUpperInvariant()))
            errors.Add("country", "must be a two-letter ISO 3166 country code");
        if (languages is not null)
            for (var i = 0; i < languages.Count; i++)
                if (languages[i] is not { Length: >= 2 and <= 35 })
                    errors.Add($"languages[{i}]", "must be a language tag such as 'en' or 'pt-BR'");
    }

    public static Me ToMe(User u) => new(u.Id, u.Email, u.DisplayName, u.Role,
        u.Organisation is null ? null : new OrganisationRef(u.Organisation.Id, u.Organisation.Name),
        u.Country, u.Languages, u.Expertise);
}
