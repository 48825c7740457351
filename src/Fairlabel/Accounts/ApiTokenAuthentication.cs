using System.Collections.Concurrent;
using System.Security.Claims;
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
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiTokenCache cache)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiToken";
    public const string TokenPrefix = "fl_";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return AuthenticateResult.NoResult();
        var hash = Hash(header["Bearer ".Length..].Trim());
        var principal = cache.Find(hash);
        if (principal is null)
        {
            var db = Context.RequestServices.GetRequiredService<FairlabelDb>();
            var found = await db.ApiTokens.AsNoTracking()
                .Where(t => t.Hash == hash && t.RevokedAt == null)
                .Select(t => new { t.Id, t.User })
                .FirstOrDefaultAsync();
            if (found?.User is null) return AuthenticateResult.Fail("Unknown or revoked API token.");
            principal = CurrentUser.Principal(found.User, SchemeName, viaToken: true);
            cache.Remember(hash, found.Id, principal);
        }
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    public static string NewToken() => TokenPrefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}

/// Scripts and simulated taskers send a token with every request: looking it up once every
/// half minute instead of every time keeps authentication off the work loop's database path.
/// A revocation takes effect at once on the node that revoked it, within the lifetime on others.
public sealed class ApiTokenCache(TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);
    readonly ConcurrentDictionary<string, (int TokenId, ClaimsPrincipal Principal, DateTimeOffset Until)> _byHash = new();

    public ClaimsPrincipal? Find(string hash) =>
        _byHash.TryGetValue(hash, out var entry) && entry.Until > clock.GetUtcNow() ? entry.Principal : null;

    public void Remember(string hash, int tokenId, ClaimsPrincipal principal) =>
        _byHash[hash] = (tokenId, principal, clock.GetUtcNow() + Lifetime);

    public void Forget(int tokenId)
    {
        foreach (var (hash, entry) in _byHash)
            if (entry.TokenId == tokenId) _byHash.TryRemove(hash, out _);
    }
}
