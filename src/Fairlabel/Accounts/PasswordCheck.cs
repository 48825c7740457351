using Fairlabel.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Fairlabel.Accounts;

/// Checks a password given for an email address the same way whether or not an account has the
/// address: the throttle is asked and counted, a hash is verified (a stand-in's when there is no
/// account), and a failure is recorded. Known and unknown addresses get the same answers in the
/// same time, so neither tells whether an account exists.
public sealed class PasswordCheck(IPasswordHasher<User> hasher, LoginThrottle throttle, TimeProvider clock)
{
    /// Hashed once, with the same hasher and cost as every account's password.
    readonly Lazy<string> _standInHash = new(() =>
        hasher.HashPassword(StandIn, Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16))));
    static readonly User StandIn = new() { Email = "", DisplayName = "", Role = Roles.Tasker };
    long _lastPrunedTicks;

    public abstract record Outcome;
    public sealed record Passed(User User) : Outcome;
    public sealed record Failed : Outcome;
    public sealed record MustWait(TimeSpan Wait) : Outcome;

    /// <paramref name="user"/> is the account with <paramref name="email"/>, or null when there is none.
    /// <paramref name="kind"/> names where the password was given (<see cref="FailedLogin"/>).
    public async Task<Outcome> CheckAsync(FairlabelDb db, HttpContext http, string email, User? user, string password, string kind)
    {
        var account = LoginThrottle.AccountSubject(email);
        var address = LoginThrottle.AddressSubject(http);
        var wait = await throttle.WaitAsync(db, account, address);
        if (wait > TimeSpan.Zero) return new MustWait(wait);

        var result = hasher.VerifyHashedPassword(user ?? StandIn, user?.PasswordHash ?? _standInHash.Value, password);
        if (user is null || result == PasswordVerificationResult.Failed)
        {
            await throttle.CountFailureAsync(db, account, address);
            var now = clock.GetUtcNow();
            db.Set<FailedLogin>().Add(FailedLogin.Of(http, email, kind, now));
            await db.SaveChangesAsync();
            await PruneNowAndThenAsync(db, now);
            return new Failed();
        }
        if (result == PasswordVerificationResult.SuccessRehashNeeded)
        {
            user.PasswordHash = hasher.HashPassword(user, password);
            await db.SaveChangesAsync();
        }
        await throttle.ForgetAsync(db, account);
        return new Passed(user);
    }

    /// Once an hour per node: counts and failures past their time go.
    async Task PruneNowAndThenAsync(FairlabelDb db, DateTimeOffset now)
    {
        var last = Interlocked.Read(ref _lastPrunedTicks);
        if (now.UtcTicks - last < TimeSpan.TicksPerHour || Interlocked.CompareExchange(ref _lastPrunedTicks, now.UtcTicks, last) != last)
            return;
        await throttle.PruneAsync(db);
        var keptFrom = now - FailedLogin.KeptFor;
        await db.Set<FailedLogin>().Where(f => f.At < keptFrom).ExecuteDeleteAsync();
    }
}
