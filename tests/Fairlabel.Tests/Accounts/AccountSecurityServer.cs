using System.Net.Http.Json;
using Fairlabel.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Fairlabel.Tests.Accounts;

/// The real clock, moved on by the tests: sessions' lifetimes and the login throttle's waits are
/// tested by advancing it rather than by waiting.
public sealed class MovableClock : TimeProvider
{
    long _aheadTicks;
    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref _aheadTicks));
    public void Advance(TimeSpan by) => Interlocked.Add(ref _aheadTicks, by.Ticks);
}

/// A server whose clock the tests move; <see cref="AnotherNode"/> is a second node (or the same
/// node restarted) on its database, with the same clock.
public class AccountSecurityServer : FairlabelServer
{
    public MovableClock Clock { get; }

    protected AccountSecurityServer(Engine engine) : base(engine) => Clock = new MovableClock();
    AccountSecurityServer(AccountSecurityServer sameDatabaseAs) : base(sameDatabaseAs) => Clock = sameDatabaseAs.Clock;

    public AccountSecurityServer AnotherNode() => new(this);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(Clock));
    }
}

public sealed class AccountSecuritySqliteServer() : AccountSecurityServer(Engine.Sqlite);
public sealed class AccountSecurityPostgresServer() : AccountSecurityServer(Engine.Postgres);

/// A browser's cookies, carried by hand so that the same session can be shown to any node.
public sealed class PortableSession
{
    readonly Dictionary<string, string> _cookies = new(StringComparer.Ordinal);
    public string Address { get; } = $"127.{Random.Shared.Next(256)}.{Random.Shared.Next(256)}.{Random.Shared.Next(1, 255)}";

    public string? Cookie(string name) => _cookies.GetValueOrDefault(name);
    public void Forget(string name) => _cookies.Remove(name);

    public async Task<HttpResponseMessage> SendAsync(FairlabelServer node, HttpMethod method, string url, object? body = null,
        bool antiforgery = true, string? userAgent = null)
    {
        using var client = node.CreateClient(new() { HandleCookies = false });
        using var request = new HttpRequestMessage(method, url);
        if (body is not null) request.Content = JsonContent.Create(body);
        if (_cookies.Count > 0) request.Headers.Add("Cookie", string.Join("; ", _cookies.Select(c => $"{c.Key}={c.Value}")));
        if (antiforgery && method != HttpMethod.Get && Cookie("XSRF-TOKEN") is { } xsrf)
            request.Headers.Add("X-XSRF-TOKEN", Uri.UnescapeDataString(xsrf));
        request.Headers.Add(ClientAddressFromHeader.Header, Address);
        if (userAgent is not null) request.Headers.UserAgent.ParseAdd(userAgent);
        var response = await client.SendAsync(request);
        if (response.Headers.TryGetValues("Set-Cookie", out var set))
            foreach (var cookie in set)
            {
                var pair = cookie.Split(';')[0];
                var eq = pair.IndexOf('=');
                var (name, value) = (pair[..eq], pair[(eq + 1)..]);
                if (value.Length == 0 || cookie.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase)) _cookies.Remove(name);
                else _cookies[name] = value;
            }
        return response;
    }

    public Task<HttpResponseMessage> GetAsync(FairlabelServer node, string url) => SendAsync(node, HttpMethod.Get, url);
    public Task<HttpResponseMessage> PostAsync(FairlabelServer node, string url, object? body = null) =>
        SendAsync(node, HttpMethod.Post, url, body ?? new { });

    public static async Task<PortableSession> LogInAsync(FairlabelServer node, string email, string password = Api.Password,
        string? userAgent = null)
    {
        var session = new PortableSession();
        var login = await session.SendAsync(node, HttpMethod.Post, "/api/auth/login", new { email, password }, userAgent: userAgent);
        Assert.Equal(System.Net.HttpStatusCode.OK, login.StatusCode);
        Assert.NotNull(session.Cookie("fairlabel.session"));
        return session;
    }
}
