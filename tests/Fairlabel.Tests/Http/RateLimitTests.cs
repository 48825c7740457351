using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fairlabel.Tests.Infrastructure;
using P = Fairlabel.Tests.Infrastructure.Projects;

namespace Fairlabel.Tests.Http;

/// Each limit from its setting, counted per address (login, sign-up), per tasker (work loop) or
/// per organisation (imports); every refusal a 429 problem that says when to come back. Each test
/// works from addresses of its own, so the tests share one server.
public abstract class RateLimitTests<TServer>(TServer server) : IClassFixture<TServer> where TServer : ProxiedServer
{
    public static Dictionary<string, string> Settings => new()
    {
        ["Http:TrustedProxies:0"] = "127.0.0.1",
        ["RateLimits:Login:PermitLimit"] = "3", ["RateLimits:Login:Window"] = "00:10:00",
        ["RateLimits:SignUp:PermitLimit"] = "2", ["RateLimits:SignUp:Window"] = "00:10:00",
        ["RateLimits:Work:TokenLimit"] = "4", ["RateLimits:Work:TokensPerSecond"] = "1",
        ["RateLimits:Imports:PermitLimit"] = "2", ["RateLimits:Imports:Window"] = "00:10:00",
    };

    static async Task AssertTooManyAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero, "a 429 says when to come back");
        var problem = await Api.ProblemOf(response);
        Assert.Equal(429, problem.GetProperty("status").GetInt32());
        Assert.Equal("Too many requests", problem.GetProperty("title").GetString());
    }

    static Task<HttpResponseMessage> LoginAsync(HttpClient client, string email) =>
        client.PostAsJsonAsync("/api/auth/login", new { email, password = "not the password" });

    [Fact]
    public async Task Sign_ups_are_limited_per_address_and_apart_from_logins()
    {
        await server.SignUpFromAsync("10.1.0.1", "tasker");
        await server.SignUpFromAsync("10.1.0.1", "tasker");
        var third = await server.ClientFrom("10.1.0.1").PostAsJsonAsync("/api/auth/signup", new
        {
            email = "third@example.org", password = Api.Password, displayName = "Third", role = "tasker", country = "KE", languages = new[] { "en" },
        });
        await AssertTooManyAsync(third);

        await server.SignUpFromAsync("10.1.0.2", "tasker");                                     // another address
        Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync(server.ClientFrom("10.1.0.1"), "third@example.org")).StatusCode);
    }

    [Fact]
    public async Task Logins_are_limited_per_address_and_apart_from_sign_ups()
    {
        var client = server.ClientFrom("10.2.0.1");
        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync(client, "nobody@example.org")).StatusCode);
        await AssertTooManyAsync(await LoginAsync(client, "nobody@example.org"));

        Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync(server.ClientFrom("10.2.0.2"), "nobody@example.org")).StatusCode);
        var signup = await client.PostAsJsonAsync("/api/auth/signup", new
        {
            email = "apart@example.org", password = Api.Password, displayName = "Apart", role = "tasker", country = "KE", languages = new[] { "en" },
        });
        Assert.Equal(HttpStatusCode.Accepted, signup.StatusCode);
    }

    // 127.0.0.1 is listed: what it forwards is the client's address, and whether it came over HTTPS.
    [Fact]
    public async Task A_listed_proxy_forwards_the_client_address_and_https()
    {
        var signup = await server.ClientFrom("10.5.0.1", https: true).PostAsJsonAsync("/api/auth/signup", new
        {
            email = "proxied@example.org", password = Api.Password, displayName = "Proxied", role = "tasker", country = "KE", languages = new[] { "en" },
        });
        Assert.Equal(HttpStatusCode.Accepted, signup.StatusCode);
        var login = await server.ClientFrom("10.5.0.1", https: true).PostAsJsonAsync("/api/auth/login",
            new { email = "proxied@example.org", password = Api.Password });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var session = login.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("fairlabel.session="));
        Assert.Contains("secure", session.ToLowerInvariant().Split(';').Select(p => p.Trim()));
    }

    [Fact]
    public async Task The_work_loop_is_limited_per_tasker()
    {
        var (busy, other) = (await server.SignUpFromAsync("10.3.0.1", "tasker"), await server.SignUpFromAsync("10.3.0.2", "tasker"));
        for (var i = 0; i < 4; i++) Assert.Equal(HttpStatusCode.OK, (await busy.Http.GetAsync("/api/work/projects")).StatusCode);
        await AssertTooManyAsync(await busy.Http.GetAsync("/api/work/projects"));
        await AssertTooManyAsync(await busy.PostAsync("/api/work/tasks/1/skip"));

        Assert.Equal(HttpStatusCode.OK, (await other.Http.GetAsync("/api/work/projects")).StatusCode);
    }

    [Fact]
    public async Task Imports_are_limited_per_organisation()
    {
        var (busy, other) = (await server.SignUpFromAsync("10.4.0.1", "requester"), await server.SignUpFromAsync("10.4.0.2", "requester"));
        var project = await P.CreateAsync(busy);
        for (var i = 0; i < 2; i++)
            Assert.Equal(HttpStatusCode.Accepted, (await P.UploadAsync(busy.Http, project, P.Lines(2, start: 10 * i))).StatusCode);
        await AssertTooManyAsync(await P.UploadAsync(busy.Http, project, P.Lines(2, start: 100)));
        Assert.Equal(HttpStatusCode.OK, (await busy.Http.GetAsync($"/api/projects/{project}/imports")).StatusCode);  // only imports count

        var theirs = await P.CreateAsync(other);
        Assert.Equal(HttpStatusCode.Accepted, (await P.UploadAsync(other.Http, theirs, P.Lines(2))).StatusCode);
    }
}

public sealed class LimitedSqliteServer() : ProxiedServer(Engine.Sqlite, RateLimitTests<LimitedSqliteServer>.Settings);
public sealed class LimitedPostgresServer() : ProxiedServer(Engine.Postgres, RateLimitTests<LimitedPostgresServer>.Settings);

public sealed class RateLimitsOnSqlite(LimitedSqliteServer server) : RateLimitTests<LimitedSqliteServer>(server);
public sealed class RateLimitsOnPostgres(LimitedPostgresServer server) : RateLimitTests<LimitedPostgresServer>(server);
