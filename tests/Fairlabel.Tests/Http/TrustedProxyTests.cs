using System.Net;
using System.Net.Http.Json;
using Fairlabel.Infrastructure;
using Fairlabel.Tests.Infrastructure;

namespace Fairlabel.Tests.Http;

/// Forwarded headers count only from the proxies listed in Http:TrustedProxies; the session
/// cookies are Secure when the request is HTTPS, directly or as such a proxy says.
public abstract class TrustedProxyTests<TServer>(TServer server) : IClassFixture<TServer> where TServer : ProxiedServer
{
    /// The server's peer is 127.0.0.1, which is not in the list: a proxy is trusted only when listed.
    public static Dictionary<string, string> Settings => new()
    {
        ["Http:TrustedProxies:0"] = "10.9.0.0/16", ["Http:TrustedProxies:1"] = "192.168.7.7",
        ["RateLimits:Login:PermitLimit"] = "2",
    };

    /// Signs up and logs in; from a peer of its own (also unlisted), so that its login is not
    /// counted with the other tests' logins from 127.0.0.1.
    static async Task<string[]> SessionCookiesAsync(HttpClient client)
    {
        var email = $"cookie-{Guid.NewGuid():n}@example.org";
        client.DefaultRequestHeaders.Add(ClientAddressFromHeader.Header, $"127.0.9.{Random.Shared.Next(1, 255)}");
        var signup = await client.PostAsJsonAsync("/api/auth/signup", new
        {
            email, password = Api.Password, displayName = "Cookie", role = "tasker",
            country = "KE", languages = new[] { "en" },
        });
        Assert.Equal(HttpStatusCode.Accepted, signup.StatusCode);
        var login = await client.PostAsJsonAsync("/api/auth/login", new { email, password = Api.Password });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        return login.Headers.GetValues("Set-Cookie").Where(c => c.StartsWith("fairlabel.session=") || c.StartsWith("XSRF-TOKEN=")).ToArray();
    }

    static bool Secure(string cookie) => cookie.Split(';').Any(p => p.Trim().Equals("secure", StringComparison.OrdinalIgnoreCase));

    [Fact]
    public async Task Cookies_are_secure_over_https_and_not_over_http()
    {
        var https = server.CreateClient(new() { BaseAddress = new Uri("https://localhost"), HandleCookies = false });
        var overHttps = await SessionCookiesAsync(https);
        Assert.Equal(2, overHttps.Length);
        Assert.All(overHttps, c => Assert.True(Secure(c), c));
        Assert.All(await SessionCookiesAsync(server.CreateClient(new() { HandleCookies = false })), c => Assert.False(Secure(c), c));
    }

    [Fact]
    public async Task Forwarded_headers_from_a_peer_not_listed_are_ignored()
    {
        // "https" from an unlisted peer: the cookie stays plain.
        Assert.All(await SessionCookiesAsync(server.ClientFrom("203.0.113.5", https: true)), c => Assert.False(Secure(c), c));
        // Every login counts against the peer's own address, whatever address it claims to forward.
        for (var i = 0; i < 2; i++) await server.ClientFrom($"203.0.113.{10 + i}").PostAsJsonAsync("/api/auth/login", new { email = "x@example.org", password = "x" });
        Assert.Equal(HttpStatusCode.TooManyRequests,
            (await server.ClientFrom("203.0.113.99").PostAsJsonAsync("/api/auth/login", new { email = "x@example.org", password = "x" })).StatusCode);
    }

    [Fact]
    public void Trusted_proxies_are_addresses_or_networks_and_anything_else_is_named()
    {
        var (addresses, networks, wrong) = TrustedProxies.Parse(["10.0.0.0/8", " 192.168.1.5 ", "::1", "fd00::/8", "proxy.local", "10.0.0.0/99", ""]);
        Assert.Equal([IPAddress.Parse("192.168.1.5"), IPAddress.IPv6Loopback], addresses);
        Assert.Equal([System.Net.IPNetwork.Parse("10.0.0.0/8"), System.Net.IPNetwork.Parse("fd00::/8")], networks);
        Assert.Equal(["proxy.local", "10.0.0.0/99"], wrong);
    }
}

public sealed class UnlistedPeerSqliteServer() : ProxiedServer(Engine.Sqlite, TrustedProxyTests<UnlistedPeerSqliteServer>.Settings);
public sealed class UnlistedPeerPostgresServer() : ProxiedServer(Engine.Postgres, TrustedProxyTests<UnlistedPeerPostgresServer>.Settings);

public sealed class TrustedProxiesOnSqlite(UnlistedPeerSqliteServer server) : TrustedProxyTests<UnlistedPeerSqliteServer>(server);
public sealed class TrustedProxiesOnPostgres(UnlistedPeerPostgresServer server) : TrustedProxyTests<UnlistedPeerPostgresServer>(server);
