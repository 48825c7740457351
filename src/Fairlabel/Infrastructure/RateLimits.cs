using System.Globalization;
using System.Threading.RateLimiting;
using Fairlabel.Accounts;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Fairlabel.Infrastructure;

/// How many requests of each kind are allowed, from the `RateLimits` settings (docs/security.md, "Rate limits").
public sealed class RateLimitSettings
{
    public const string Section = "RateLimits";

    /// Logins, per client address.
    public WindowLimit Login { get; set; } = new() { PermitLimit = 60, Window = TimeSpan.FromMinutes(1) };
    /// Sign-ups, per client address.
    public WindowLimit SignUp { get; set; } = new() { PermitLimit = 60, Window = TimeSpan.FromMinutes(1) };
    /// The work loop's requests (next, submit, skip…), per tasker: a burst of TokenLimit, then TokensPerSecond.
    public BucketLimit Work { get; set; } = new() { TokenLimit = 200, TokensPerSecond = 100 };
    /// Item imports started, per organisation.
    public WindowLimit Imports { get; set; } = new() { PermitLimit = 30, Window = TimeSpan.FromMinutes(10) };
}

public sealed class WindowLimit
{
    public int PermitLimit { get; set; }
    public TimeSpan Window { get; set; }
}

public sealed class BucketLimit
{
    public int TokenLimit { get; set; }
    public int TokensPerSecond { get; set; }
}

/// The named rate limits endpoints ask for, each partitioned by who the limit is about.
public static class RateLimits
{
    public const string Login = "login";
    public const string SignUp = "signup";
    public const string Work = "work";
    public const string Imports = "imports";

    public static void AddFairlabelRateLimits(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<RateLimitSettings>().BindConfiguration(RateLimitSettings.Section)
            .Validate(s => Valid(s.Login) && Valid(s.SignUp) && Valid(s.Imports) && s.Work is { TokenLimit: > 0, TokensPerSecond: > 0 },
                "Every rate limit needs a positive limit and window")
            .ValidateOnStart();
        builder.Services.AddRateLimiter(_ => { });
        builder.Services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitSettings>>((o, settings) =>
        {
            var limits = settings.Value;
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = RejectedAsync;
            o.AddPolicy(Login, http => Window(ClientAddress(http), limits.Login));
            o.AddPolicy(SignUp, http => Window(ClientAddress(http), limits.SignUp));
            o.AddPolicy(Imports, http => Window(http.User.OrganisationId()?.ToString(CultureInfo.InvariantCulture) ?? "none", limits.Imports));
            o.AddPolicy(Work, http => RateLimitPartition.GetTokenBucketLimiter(http.User.IdText() ?? "anonymous",
                _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = limits.Work.TokenLimit, TokensPerPeriod = limits.Work.TokensPerSecond,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1), QueueLimit = 0,
                }));
        });
    }

    static bool Valid(WindowLimit limit) => limit is { PermitLimit: > 0 } && limit.Window > TimeSpan.Zero;

    /// Behind a trusted proxy, the address it forwarded (TrustedProxies); otherwise the connection's.
    static string ClientAddress(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    static RateLimitPartition<string> Window(string key, WindowLimit limit) =>
        RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = limit.PermitLimit, Window = limit.Window, QueueLimit = 0,
        });

    /// 429 as problem details, with when to come back.
    static async ValueTask RejectedAsync(OnRejectedContext rejected, CancellationToken cancel)
    {
        var http = rejected.HttpContext;
        var wait = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(1);
        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails =
            {
                Status = StatusCodes.Status429TooManyRequests, Title = "Too many requests",
                Detail = $"Try again in {seconds} seconds.",
            },
        });
    }
}
