using System.Collections.Concurrent;
using System.Security.Claims;
using System.Security.Cryptography;
using Fairlabel.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Fairlabel.Accounts.Sessions;

/// The sessions of the browsers signed in, kept in the database and checked on every cookie
/// request. A node remembers what it last read of each session for a few seconds
/// (<see cref="SessionSettings.RecheckInterval"/>), so a busy browser costs a database read at
/// most that often, and its last-seen time a write once a minute; an ending made on this node
/// takes effect here at once.
public sealed class ServerSessions(TimeProvider clock, IOptions<SessionSettings> options)
{
    public const string KeyClaim = "fairlabel:session";

    readonly SessionSettings _settings = options.Value;
    readonly ConcurrentDictionary<string, Known> _known = new(StringComparer.Ordinal);
    long _lastPrunedTicks;

    /// What this node last read of a session: its times, and when it read them.
    sealed record Known(int UserId, DateTimeOffset LastSeenAt, DateTimeOffset ExpiresAt, bool Ended, DateTimeOffset ReadAt);

    /// Starts a session for <paramref name="user"/> and returns the key its cookie carries.
    public async Task<(string Key, DateTimeOffset ExpiresAt)> StartAsync(FairlabelDb db, int userId, HttpContext http)
    {
        var now = clock.GetUtcNow();
        var session = new UserSession
        {
            Key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_'),
            UserId = userId, CreatedAt = now, LastSeenAt = now, ExpiresAt = now + _settings.AbsoluteLifetime,
            UserAgent = Truncate(http.Request.Headers.UserAgent.ToString(), 256),
            Address = http.Connection.RemoteIpAddress?.ToString(),
        };
        db.Set<UserSession>().Add(session);
        // The user's sessions that can no longer be used are of no more interest.
        await db.Set<UserSession>()
            .Where(s => s.UserId == userId && (s.ExpiresAt < now || s.EndedAt != null || s.LastSeenAt < now - _settings.IdleTimeout))
            .ExecuteDeleteAsync();
        await db.SaveChangesAsync();
        _known[session.Key] = new Known(userId, now, session.ExpiresAt, false, now);
        return (session.Key, session.ExpiresAt);
    }

    /// The cookie handler's check of every request that carries a session cookie.
    public Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var key = context.Principal?.FindFirstValue(KeyClaim);
        if (key is null) return RejectAsync(context);
        var now = clock.GetUtcNow();
        if (_known.TryGetValue(key, out var known) && now - known.ReadAt < _settings.RecheckInterval &&
            (known.Ended || now - known.LastSeenAt < _settings.LastSeenPrecision))
            return IsLive(known, now) ? Task.CompletedTask : RejectAsync(context);
        return ReadAndTouchAsync(context, key, now);
    }

    async Task ReadAndTouchAsync(CookieValidatePrincipalContext context, string key, DateTimeOffset now)
    {
        var db = context.HttpContext.RequestServices.GetRequiredService<FairlabelDb>();
        var row = await db.Set<UserSession>().AsNoTracking().Where(s => s.Key == key)
            .Select(s => new { s.UserId, s.LastSeenAt, s.ExpiresAt, s.EndedAt }).FirstOrDefaultAsync();
        if (row is null)
        {
            _known.TryRemove(key, out _);
            await RejectAsync(context);
            return;
        }
        var known = new Known(row.UserId, row.LastSeenAt, row.ExpiresAt, row.EndedAt is not null, now);
        if (IsLive(known, now) && now - row.LastSeenAt >= _settings.LastSeenPrecision)
        {
            await db.Set<UserSession>().Where(s => s.Key == key).ExecuteUpdateAsync(s => s.SetProperty(x => x.LastSeenAt, now));
            known = known with { LastSeenAt = now };
        }
        _known[key] = known;
        PruneNowAndThen(now);
        if (!IsLive(known, now)) await RejectAsync(context);
    }

    bool IsLive(Known session, DateTimeOffset now) =>
        !session.Ended && now < session.ExpiresAt && now - session.LastSeenAt < _settings.IdleTimeout;

    static async Task RejectAsync(CookieValidatePrincipalContext context)
    {
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
    }

    /// Ends the session of the request's cookie, if it has one.
    public Task EndCurrentAsync(FairlabelDb db, ClaimsPrincipal user) =>
        user.FindFirstValue(KeyClaim) is { } key ? EndAsync(db, s => s.Key == key) : Task.CompletedTask;

    /// Ends one of the user's sessions by its id; false when the user has no such live session.
    public async Task<bool> EndOneAsync(FairlabelDb db, int userId, long sessionId) =>
        await EndAsync(db, s => s.Id == sessionId && s.UserId == userId) > 0;

    /// Ends every session of the user but <paramref name="exceptKey"/> (signing out everywhere
    /// else, or everywhere when null).
    public Task<int> EndAllAsync(FairlabelDb db, int userId, string? exceptKey = null) =>
        EndAsync(db, s => s.UserId == userId && s.Key != exceptKey);

    async Task<int> EndAsync(FairlabelDb db, System.Linq.Expressions.Expression<Func<UserSession, bool>> which)
    {
        var now = clock.GetUtcNow();
        var live = db.Set<UserSession>().Where(which).Where(s => s.EndedAt == null);
        var ended = await live.Select(s => new { s.Key, s.UserId }).ToListAsync();
        if (ended.Count == 0) return 0;
        await live.ExecuteUpdateAsync(s => s.SetProperty(x => x.EndedAt, now));
        foreach (var e in ended) _known[e.Key] = new Known(e.UserId, now, now, true, now);
        return ended.Count;
    }

    /// Forgets what this node knew of sessions nobody has used for longer than the idle timeout.
    void PruneNowAndThen(DateTimeOffset now)
    {
        var last = Interlocked.Read(ref _lastPrunedTicks);
        if (now.UtcTicks - last < _settings.IdleTimeout.Ticks ||
            Interlocked.CompareExchange(ref _lastPrunedTicks, now.UtcTicks, last) != last) return;
        foreach (var (key, known) in _known)
            if (now - known.ReadAt > _settings.IdleTimeout) _known.TryRemove(key, out _);
    }

    static string? Truncate(string text, int length) => text.Length == 0 ? null : text.Length <= length ? text : text[..length];
}
