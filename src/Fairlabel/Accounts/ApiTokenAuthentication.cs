using System.Collections.Concurrent;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Fairlabel.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace Fairlabel.Accounts;

/// `Authorization: Bearer fl_…` for scripts. Tokens are random; only their SHA-256 is stored.
/// Requests with a token this node already knows never reach this handler: see
/// <see cref="TokenFirstAuthenticationService"/>.
public sealed class ApiTokenAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiTokenCache cache,
    TimeProvider clock)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiToken";
    public const string TokenPrefix = "fl_";
    const string Bearer = "Bearer ";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (BearerToken(Request.Headers.Authorization) is not { } token) return AuthenticateResult.NoResult();
        var hash = Hash(token);
        var db = Context.RequestServices.GetRequiredService<FairlabelDb>();
        var now = clock.GetUtcNow();
        var found = await db.ApiTokens.AsNoTracking()
            .Where(t => t.Hash == hash && t.RevokedAt == null && (t.ExpiresAt == null || t.ExpiresAt > now))
            .Select(t => new { t.Id, t.User, t.ReadOnly, t.ProjectIds, t.ExpiresAt })
            .FirstOrDefaultAsync();
        if (found?.User is null) return AuthenticateResult.Fail("Unknown, expired or revoked API token.");
        return await cache.Remember(hash, found.Id, CurrentUser.Principal(found.User, SchemeName, viaToken: true),
            ApiTokenGrant.Of(found.ReadOnly, found.ProjectIds, found.ExpiresAt));
    }

    public static bool HasBearerToken(StringValues authorization) => BearerToken(authorization) is not null;

    /// The token of an `Authorization: Bearer …` header (the scheme's name in any case), trimmed.
    static string? BearerToken(StringValues authorization) =>
        BearerTokenSpan(authorization, out var token) ? token.ToString() : null;

    internal static bool BearerTokenSpan(StringValues authorization, out ReadOnlySpan<char> token)
    {
        token = default;
        if (authorization.Count != 1 || authorization[0] is not { } header ||
            !header.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase)) return false;
        token = header.AsSpan(Bearer.Length).Trim();
        return true;
    }

    public static string NewToken(string prefix = TokenPrefix) => prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));

    public static string Hash(string token)
    {
        Span<char> hex = stackalloc char[HashLength];
        return TryHash(token, hex) ? hex.ToString() : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
    }

    /// The hash as lower-case hex, written into <paramref name="hex"/> without allocating; false for
    /// a token too long to hash on the stack (never one this server issued).
    internal static bool TryHash(ReadOnlySpan<char> token, Span<char> hex)
    {
        const int MaxBytes = 512;
        if (Encoding.UTF8.GetMaxByteCount(token.Length) > MaxBytes) return false;
        Span<byte> utf8 = stackalloc byte[MaxBytes];
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(utf8[..Encoding.UTF8.GetBytes(token, utf8)], hash);
        return Convert.TryToHexStringLower(hash, hex, out _);
    }

    internal const int HashLength = SHA256.HashSizeInBytes * 2;
}

/// Scripts and simulated taskers send a token with every request: looking it up once every
/// half minute instead of every time keeps authentication off the work loop's database path.
/// A revocation takes effect at once on the node that revoked it, within the lifetime on others.
/// The authentication's result is kept whole, so that a known token costs a request nothing to
/// authenticate but its hash.
///
/// Each lookup is kept for a random span between <see cref="ShortestLifetime"/> and
/// <see cref="Lifetime"/>. With one fixed lifetime, taskers who started together had their
/// tokens looked up again together, every half minute, for as long as they worked: a thousand
/// lookups in under a second on every node, which made the slowest seconds of a load run
/// under load. Drawn at random, the renewals spread out after the
/// first one and stay spread. A token that expires is never kept past its expiry, and its grant
/// (read-only, some projects) is kept with it.
public sealed class ApiTokenCache(TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan ShortestLifetime = TimeSpan.FromSeconds(15);

    sealed class Entry(int tokenId, Task<AuthenticateResult> result, long until)
    {
        public int TokenId => tokenId;
        public Task<AuthenticateResult> Result => result;
        public long Until = until;   // UTC ticks
    }

    readonly ConcurrentDictionary<string, Entry> _byHash = new(StringComparer.Ordinal);

    /// The result for the bearer token of an `Authorization` header, when this node knows the
    /// token and its last lookup's span has not ended.
    public Task<AuthenticateResult>? Find(StringValues authorization)
    {
        if (!ApiTokenAuthentication.BearerTokenSpan(authorization, out var token)) return null;
        Span<char> hash = stackalloc char[ApiTokenAuthentication.HashLength];
        if (!ApiTokenAuthentication.TryHash(token, hash)) return null;
        return _byHash.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(hash, out var entry) &&
               Volatile.Read(ref entry.Until) > clock.GetUtcNow().UtcTicks
            ? entry.Result
            : null;
    }

    /// Remembers a token looked up just now. A token looked up again whose user reads as before
    /// keeps its result and only lives longer: a thousand tokens renewed every half minute with new
    /// objects kept that many young objects reachable from this long-lived cache at each garbage
    /// collection.
    public Task<AuthenticateResult> Remember(string hash, int tokenId, ClaimsPrincipal principal, ApiTokenGrant? grant = null)
    {
        grant ??= ApiTokenGrant.Full;
        var until = (clock.GetUtcNow() + ShortestLifetime + (Lifetime - ShortestLifetime) * Random.Shared.NextDouble()).UtcTicks;
        if (grant.ExpiresAt is { } expiry) until = Math.Min(until, expiry.UtcTicks);
        if (_byHash.TryGetValue(hash, out var known) && known.TokenId == tokenId &&
            SameClaims(known.Result.Result.Principal!, principal))
        {
            Volatile.Write(ref known.Until, until);
            return known.Result;
        }
        // A token's grant never changes, so a result kept for the same token and claims holds it too.
        var result = Task.FromResult(AuthenticateResult.Success(
            new AuthenticationTicket(principal, ApiTokenRules.PropertiesWith(grant), ApiTokenAuthentication.SchemeName)));
        _byHash[hash] = new Entry(tokenId, result, until);
        return result;
    }

    static bool SameClaims(ClaimsPrincipal known, ClaimsPrincipal now) =>
        known.Claims.Select(c => (c.Type, c.Value)).SequenceEqual(now.Claims.Select(c => (c.Type, c.Value)));

    public void Forget(int tokenId)
    {
        foreach (var (hash, entry) in _byHash)
            if (entry.TokenId == tokenId) _byHash.TryRemove(hash, out _);
    }
}
