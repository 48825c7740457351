using Fairlabel.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.Extensions.Options;

namespace Fairlabel.Accounts;

/// `LoginThrottle:*` settings: how many failures are free, and how long the longest wait is.
public sealed class LoginThrottleSettings
{
    public const string Section = "LoginThrottle";

    /// Failures in a row on one email address before each further one must wait.
    public int AccountFreeFailures { get; set; } = 5;
    /// Failures from one client address, whatever the emails, before each further one must wait:
    /// more than an account's, as people behind one address share it.
    public int AddressFreeFailures { get; set; } = 20;
    /// The wait doubles with each failure from 1 s up to this (NIST SP 800-63B 5.2.2's example).
    public TimeSpan LongestWait { get; set; } = TimeSpan.FromHours(1);
    /// A count is forgotten this long after its last failure.
    public TimeSpan ForgetAfter { get; set; } = TimeSpan.FromHours(24);
}

/// Failed logins counted per email address and per client address, shared by every node.
public sealed class LoginFailureCount
{
    /// `account:<email>` or `address:<ip>`.
    public required string Subject { get; set; }
    public int Failures { get; set; }
    public DateTimeOffset LastFailureAt { get; set; }
}

sealed class LoginFailureCountConfiguration : IEntityTypeConfiguration<LoginFailureCount>
{
    public void Configure(EntityTypeBuilder<LoginFailureCount> count)
    {
        count.ToTable("login_failure_counts");
        count.HasKey(c => c.Subject);
        count.Property(c => c.Subject).HasMaxLength(400);
    }
}

/// Slows down password guessing without letting a stranger lock an account (NIST SP 800-63B
/// 5.2.2): after a few free failures each further attempt waits twice as long as the one
/// before, counted both for the email address — known or not, alike — and for the client's
/// address. A refused attempt checks no password and counts nothing.
public sealed class LoginThrottle(TimeProvider clock, IOptions<LoginThrottleSettings> options)
{
    readonly LoginThrottleSettings _settings = options.Value;

    public static string AccountSubject(string email) => "account:" + email;
    public static string AddressSubject(HttpContext http) => "address:" + (http.Connection.RemoteIpAddress?.ToString() ?? "unknown");

    /// The wait after <paramref name="failures"/> failures in a row: none while they are free,
    /// then 1 s, 2 s, 4 s… up to <paramref name="longest"/>.
    public static TimeSpan WaitAfter(int failures, int free, TimeSpan longest)
    {
        if (failures < free) return TimeSpan.Zero;
        var doublings = Math.Min(failures - free, 30); // 2^30 s is past any longest wait, and fits a TimeSpan
        var wait = TimeSpan.FromSeconds(Math.Pow(2, doublings));
        return wait < longest ? wait : longest;
    }

    /// How long from <paramref name="now"/> until a count allows the next attempt (zero: now).
    public static TimeSpan Remaining(int failures, DateTimeOffset lastFailureAt, DateTimeOffset now, int free,
        TimeSpan longest, TimeSpan forgetAfter)
    {
        if (now - lastFailureAt >= forgetAfter) return TimeSpan.Zero;
        var remaining = lastFailureAt + WaitAfter(failures, free, longest) - now;
        return remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero;
    }

    /// How long the attempt must wait: the longer of the account's and the address's waits.
    public async Task<TimeSpan> WaitAsync(FairlabelDb db, string accountSubject, string addressSubject)
    {
        var now = clock.GetUtcNow();
        var counts = await db.Set<LoginFailureCount>().AsNoTracking()
            .Where(c => c.Subject == accountSubject || c.Subject == addressSubject).ToListAsync();
        var wait = TimeSpan.Zero;
        foreach (var count in counts)
        {
            var free = count.Subject == accountSubject ? _settings.AccountFreeFailures : _settings.AddressFreeFailures;
            var remaining = Remaining(count.Failures, count.LastFailureAt, now, free, _settings.LongestWait, _settings.ForgetAfter);
            if (remaining > wait) wait = remaining;
        }
        return wait;
    }

    /// Counts a failure for each subject, in one statement each so that nodes counting at once lose none.
    public async Task CountFailureAsync(FairlabelDb db, params string[] subjects)
    {
        var now = clock.GetUtcNow();
        var nowMs = now.ToUnixTimeMilliseconds();
        var forgottenBefore = (now - _settings.ForgetAfter).ToUnixTimeMilliseconds();
        foreach (var subject in subjects)
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO login_failure_counts (subject, failures, last_failure_at) VALUES ({subject}, 1, {nowMs})
                ON CONFLICT (subject) DO UPDATE SET
                    failures = CASE WHEN login_failure_counts.last_failure_at < {forgottenBefore} THEN 1
                                    ELSE login_failure_counts.failures + 1 END,
                    last_failure_at = {nowMs}
                """);
    }

    /// A right password clears the account's count (the address's runs its course).
    public Task ForgetAsync(FairlabelDb db, string accountSubject) =>
        db.Set<LoginFailureCount>().Where(c => c.Subject == accountSubject).ExecuteDeleteAsync();

    /// Counts no longer read, removed now and then by whoever counts a failure.
    public Task PruneAsync(FairlabelDb db)
    {
        var forgottenBefore = clock.GetUtcNow() - _settings.ForgetAfter;
        return db.Set<LoginFailureCount>().Where(c => c.LastFailureAt < forgottenBefore).ExecuteDeleteAsync();
    }

    /// 429 with Retry-After, as a problem.
    public static ProblemHttpResult TooManyAttempts(HttpContext http, TimeSpan wait)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        http.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.Problem(title: "Too many failed logins",
            detail: $"Wait {seconds} seconds before trying again.", statusCode: 429);
    }
}
