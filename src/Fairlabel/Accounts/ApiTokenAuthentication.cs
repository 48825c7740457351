using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Fairlabel.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Fairlabel.Accounts;

/// `Authorization: Bearer fl_…` for scripts. Tokens are random; only their SHA-256 is stored.
public sealed class ApiTokenAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, FairlabelDb db)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiToken";
    public const string TokenPrefix = "fl_";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return AuthenticateResult.NoResult();
        var hash = Hash(header["Bearer ".Length..].Trim());
        var user = await db.ApiTokens.AsNoTracking()
            .Where(t => t.Hash == hash && t.RevokedAt == null)
            .Select(t => t.User)
            .FirstOrDefaultAsync();
        if (user is null) return AuthenticateResult.Fail("Unknown or revoked API token.");
        return AuthenticateResult.Success(new AuthenticationTicket(CurrentUser.Principal(user, SchemeName, viaToken: true), SchemeName));
    }

    public static string NewToken() => TokenPrefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
