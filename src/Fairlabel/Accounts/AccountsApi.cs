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
    string? Country, List<string>? Languages, List<string>? Expertise);
public sealed record LoginRequest(string? Email, string? Password);
public sealed record ProfileRequest(string? DisplayName, string? Country, List<string>? Languages, List<string>? Expertise);
public sealed record OrganisationRef(int Id, string Name);
public sealed record Me(int Id, string Email, string DisplayName, string Role, OrganisationRef? Organisation,
    string? Country, List<string> Languages, List<string> Expertise);
public sealed record TokenRequest(string? Name);
public sealed record TokenSummary(int Id, string Name, string Prefix, DateTimeOffset CreatedAt);
public sealed record NewToken(int Id, string Name, string Token);
public sealed record SignupReceived(string Email);

public static partial class AccountsApi
{
    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    private static partial Regex EmailPattern();
    [GeneratedRegex("^[A-Z]{2}$")]
    private static partial Regex CountryPattern();

    public static void MapAccounts(this IEndpointRouteBuilder app)
    {
        var auth = app.MapGroup("/api/auth").WithTags("Accounts");
        auth.MapPost("/signup", Signup).RequireRateLimiting("login").WithSummary("Create an account (tasker or requester)");
        auth.MapPost("/login", Login).RequireRateLimiting("login").WithSummary("Log in and receive the session cookie");
        auth.MapGroup("").RequireAntiforgeryForCookies().MapPost("/logout", Logout).WithSummary("End the session, on every node");
        auth.MapGet("/me", GetMe).RequireAuthorization().WithSummary("The signed-in user");

        var me = app.MapGroup("/api/me").WithTags("Accounts").RequireAuthorization().RequireAntiforgeryForCookies();
        me.MapPut("/profile", UpdateProfile).WithSummary("Update the profile (country, languages, expertise)");
        me.MapGet("/tokens", ListTokens).WithSummary("API tokens of the signed-in user");
        me.MapPost("/tokens", CreateToken).WithSummary("Create an API token (shown once)");
        me.MapDelete("/tokens/{id:int}", RevokeToken).WithSummary("Revoke an API token");
        app.MapAccountSecurity();
    }

    /// Answers the same whether or not the email has an account, and signs nobody in: the client
    /// logs in next (docs/security.md, "Login throttling and enumeration").
    static async Task<Results<Accepted<SignupReceived>, ValidationProblem, ProblemHttpResult>> Signup(
        SignupRequest body, FairlabelDb db, IPasswordHasher<User> hasher, HttpContext http, TimeProvider clock)
    {
        if (http.User.Identity?.IsAuthenticated == true)
            return Problems.Conflict("Already signed in", "Log out before creating another account.");
        var errors = new FieldErrors();
        var email = body.Email?.Trim().ToLowerInvariant() ?? "";
        if (!EmailPattern().IsMatch(email)) errors.Add("email", "must be an email address");
        if (PasswordPolicy.Problem(body.Password ?? "", email) is { } weak) errors.Add("password", weak);
        if (string.IsNullOrWhiteSpace(body.DisplayName)) errors.Add("displayName", "is required");
        if (body.Role is not (Roles.Tasker or Roles.Requester)) errors.Add("role", "must be 'tasker' or 'requester'");
        if (body.Role == Roles.Requester && string.IsNullOrWhiteSpace(body.OrganisationName))
            errors.Add("organisationName", "names the organisation a requester creates");
        ValidateProfile(body.Country, body.Languages, errors);
        if (errors.Any) return Problems.Invalid("The sign-up is not valid", errors);
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
        if (body.Role == Roles.Requester)
        {
            user.Organisation = new Organisation { Name = body.OrganisationName!.Trim(), CreatedAt = now };
            user.OrganisationRole = "owner";
        }
        user.PasswordHash = hasher.HashPassword(user, body.Password!);
        db.Users.Add(user);
        await db.SaveChangesAsync();
        db.Record("account.created", user.Id, user.OrganisationId, data: new { user.Role });
        await db.SaveChangesAsync();
        return received;
    }

    static async Task<Results<Ok<Me>, ProblemHttpResult>> Login(
        LoginRequest body, FairlabelDb db, PasswordCheck check, HttpContext http)
    {
        var email = body.Email?.Trim().ToLowerInvariant() ?? "";
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
        var errors = new FieldErrors();
        if (body.DisplayName is not null && string.IsNullOrWhiteSpace(body.DisplayName)) errors.Add("displayName", "must not be empty");
        ValidateProfile(body.Country, body.Languages, errors);
        if (errors.Any) return Problems.Invalid("The profile is not valid", errors);
        var user = await db.Users.Include(u => u.Organisation).FirstAsync(u => u.Id == http.User.Id());
        if (body.DisplayName is not null) user.DisplayName = body.DisplayName.Trim();
        if (body.Country is not null) user.Country = body.Country.ToUpperInvariant();
        if (body.Languages is not null) user.Languages = body.Languages;
        if (body.Expertise is not null) user.Expertise = body.Expertise;
        db.Record("profile.updated", user.Id, user.OrganisationId);
        await db.SaveChangesAsync();
        return TypedResults.Ok(ToMe(user));
    }

    static void ValidateProfile(string? country, List<string>? languages, FieldErrors errors)
    {
        if (country is not null && !CountryPattern().IsMatch(country.ToUpperInvariant()))
            errors.Add("country", "must be a two-letter ISO 3166 country code");
        if (languages is not null)
            for (var i = 0; i < languages.Count; i++)
                if (languages[i] is not { Length: >= 2 and <= 35 })
                    errors.Add($"languages[{i}]", "must be a language tag such as 'en' or 'pt-BR'");
    }

    static async Task<Ok<List<TokenSummary>>> ListTokens(HttpContext http, FairlabelDb db) =>
        TypedResults.Ok(await db.ApiTokens.AsNoTracking()
            .Where(t => t.UserId == http.User.Id() && t.RevokedAt == null)
            .OrderBy(t => t.Id)
            .Select(t => new TokenSummary(t.Id, t.Name, t.Prefix, t.CreatedAt))
            .ToListAsync());

    static async Task<Results<Created<NewToken>, ValidationProblem>> CreateToken(
        TokenRequest body, HttpContext http, FairlabelDb db, TimeProvider clock)
    {
        if (string.IsNullOrWhiteSpace(body.Name) || body.Name.Length > 100)
            return Problems.Invalid("The token request is not valid", "name", "is required (at most 100 characters)");
        var secret = ApiTokenAuthentication.NewToken();
        var token = new ApiToken
        {
            UserId = http.User.Id(), Name = body.Name.Trim(), Prefix = secret[..7],
            Hash = ApiTokenAuthentication.Hash(secret), CreatedAt = clock.GetUtcNow(),
        };
        db.ApiTokens.Add(token);
        db.Record("token.created", token.UserId, http.User.OrganisationId(), data: new { token.Name, token.Prefix });
        await db.SaveChangesAsync();
        return TypedResults.Created($"/api/me/tokens/{token.Id}", new NewToken(token.Id, token.Name, secret));
    }

    static async Task<Results<NoContent, ProblemHttpResult>> RevokeToken(
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

    public static Me ToMe(User u) => new(u.Id, u.Email, u.DisplayName, u.Role,
        u.Organisation is null ? null : new OrganisationRef(u.Organisation.Id, u.Organisation.Name),
        u.Country, u.Languages, u.Expertise);
}
