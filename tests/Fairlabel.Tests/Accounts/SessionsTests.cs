using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fairlabel.Accounts.Sessions;
using Fairlabel.Tests.Infrastructure;

namespace Fairlabel.Tests.Accounts;

/// Sessions live on the server: logging out, changing the password or an operator's "sign out
/// everywhere" end them at once on the node that did it, on the others within the recheck
/// interval, and after a restart; idle and absolute lifetimes end them too.
public abstract class SessionsTests<TServer>(TServer server) : IClassFixture<TServer> where TServer : AccountSecurityServer
{
    static readonly SessionSettings Defaults = new();

    async Task<(Api User, PortableSession Browser)> SignedInAsync(string role = "tasker", string? userAgent = null)
    {
        var user = await Api.SignUpAsync(server, role);
        return (user, await PortableSession.LogInAsync(server, user.Email, userAgent: userAgent));
    }

    async Task<HttpStatusCode> MeAsync(PortableSession browser, FairlabelServer? node = null) =>
        (await browser.GetAsync(node ?? server, "/api/auth/me")).StatusCode;

    [Fact]
    public async Task After_logout_the_old_cookie_is_refused_at_once_on_this_node_on_another_and_after_a_restart()
    {
        var (_, browser) = await SignedInAsync();
        using var other = server.AnotherNode();
        Assert.Equal(HttpStatusCode.OK, await MeAsync(browser));
        Assert.Equal(HttpStatusCode.OK, await MeAsync(browser, other)); // the other node now remembers it as live
        var stolen = browser.Cookie("fairlabel.session")!;

        Assert.Equal(HttpStatusCode.NoContent, (await browser.PostAsync(server, "/api/auth/logout")).StatusCode);
        Assert.Null(browser.Cookie("fairlabel.session"));

        // Someone who kept the cookie: refused here at once…
        Assert.Equal(HttpStatusCode.Unauthorized, await ReplayAsync(server, stolen));
        // …on the other node once it reads the session again, within the recheck interval…
        server.Clock.Advance(Defaults.RecheckInterval);
        Assert.Equal(HttpStatusCode.Unauthorized, await ReplayAsync(other, stolen));
        // …and on a node started afresh on the same database.
        using var restarted = server.AnotherNode();
        Assert.Equal(HttpStatusCode.Unauthorized, await ReplayAsync(restarted, stolen));
    }

    static async Task<HttpStatusCode> ReplayAsync(FairlabelServer node, string sessionCookie)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/auth/me");
        request.Headers.Add("Cookie", $"fairlabel.session={sessionCookie}");
        return (await node.CreateClient(new() { HandleCookies = false }).SendAsync(request)).StatusCode;
    }

    [Fact]
    public async Task A_session_survives_a_restart_until_it_is_ended()
    {
        var (_, browser) = await SignedInAsync();
        using var restarted = server.AnotherNode();
        Assert.Equal(HttpStatusCode.OK, await MeAsync(browser, restarted));
    }

    [Fact]
    public async Task Logout_with_the_session_cookie_needs_the_antiforgery_header()
    {
        var (_, browser) = await SignedInAsync();
        var forged = await browser.SendAsync(server, HttpMethod.Post, "/api/auth/logout", new { }, antiforgery: false);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Contains("antiforgery", (await Api.ProblemOf(forged)).GetProperty("title").GetString());
        Assert.Equal(HttpStatusCode.OK, await MeAsync(browser));
    }

    [Fact]
    public async Task A_session_ends_after_the_idle_timeout_and_after_the_absolute_lifetime_however_busy()
    {
        var (_, idle) = await SignedInAsync();
        server.Clock.Advance(Defaults.IdleTimeout - TimeSpan.FromMinutes(2));
        Assert.Equal(HttpStatusCode.OK, await MeAsync(idle)); // a request in time keeps it alive
        server.Clock.Advance(Defaults.IdleTimeout - TimeSpan.FromMinutes(2));
        Assert.Equal(HttpStatusCode.OK, await MeAsync(idle));
        server.Clock.Advance(Defaults.IdleTimeout + TimeSpan.FromMinutes(1));
        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(idle));

        var (_, busy) = await SignedInAsync();
        var lived = TimeSpan.Zero;
        for (; lived < Defaults.AbsoluteLifetime - TimeSpan.FromMinutes(20); lived += TimeSpan.FromMinutes(20))
        {
            Assert.Equal(HttpStatusCode.OK, await MeAsync(busy));
            server.Clock.Advance(TimeSpan.FromMinutes(20));
        }
        server.Clock.Advance(Defaults.AbsoluteLifetime - lived);
        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(busy));
    }

    [Fact]
    public async Task A_password_change_needs_the_current_password_and_ends_every_other_session()
    {
        var (user, here) = await SignedInAsync();
        var elsewhere = await PortableSession.LogInAsync(server, user.Email);
        const string newPassword = "a brand new passphrase";

        var wrong = await here.PostAsync(server, "/api/me/password", new { currentPassword = "not the password", newPassword });
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.True((await Api.ProblemOf(wrong)).GetProperty("errors").TryGetProperty("currentPassword", out _));
        var weak = await here.PostAsync(server, "/api/me/password", new { currentPassword = Api.Password, newPassword = "password1234" });
        Assert.True((await Api.ProblemOf(weak)).GetProperty("errors").TryGetProperty("newPassword", out _));
        Assert.Equal(HttpStatusCode.OK, await MeAsync(elsewhere)); // nothing changed yet

        var changed = await here.PostAsync(server, "/api/me/password", new { currentPassword = Api.Password, newPassword });
        Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, await MeAsync(here));
        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(elsewhere));
        await PortableSession.LogInAsync(server, user.Email, newPassword);
        var old = await new PortableSession().PostAsync(server, "/api/auth/login", new { email = user.Email, password = Api.Password });
        Assert.Equal(HttpStatusCode.Unauthorized, old.StatusCode);
    }

    // Tokens are scripts' and go on after a password change (docs/security.md, "Sessions"); the
    // account page lists them with one "revoke all", which only a session can do.
    [Fact]
    public async Task After_a_password_change_api_tokens_go_on_until_all_are_revoked_at_once()
    {
        var (user, here) = await SignedInAsync();
        var second = await (await here.PostAsync(server, "/api/me/tokens", new { name = "nightly" })).Content.ReadFromJsonAsync<JsonElement>();
        var nightly = Api.WithToken(server, second.GetProperty("token").GetString()!);
        const string newPassword = "another fresh passphrase";

        // A token may not change the password, nor revoke tokens.
        Assert.Equal(HttpStatusCode.Forbidden,
            (await user.Http.PostAsJsonAsync("/api/me/password", new { currentPassword = Api.Password, newPassword })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await user.Http.DeleteAsync("/api/me/tokens")).StatusCode);

        var changed = await here.PostAsync(server, "/api/me/password", new { currentPassword = Api.Password, newPassword });
        Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await user.Http.GetAsync("/api/auth/me")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await nightly.GetAsync("/api/auth/me")).StatusCode);
        var listed = await (await here.GetAsync(server, "/api/me/tokens")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(["tests", "nightly"], listed.EnumerateArray().Select(t => t.GetProperty("name").GetString()));

        var revoked = await here.SendAsync(server, HttpMethod.Delete, "/api/me/tokens");
        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        Assert.Equal(2, (await revoked.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("revoked").GetInt32());
        Assert.Equal(HttpStatusCode.Unauthorized, (await user.Http.GetAsync("/api/auth/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await nightly.GetAsync("/api/auth/me")).StatusCode);
        Assert.Equal(0, (await (await here.GetAsync(server, "/api/me/tokens")).Content.ReadFromJsonAsync<JsonElement>()).GetArrayLength());
        // Again: nothing left to revoke, and the session itself goes on.
        Assert.Equal(0, (await (await here.SendAsync(server, HttpMethod.Delete, "/api/me/tokens")).Content
            .ReadFromJsonAsync<JsonElement>()).GetProperty("revoked").GetInt32());
        Assert.Equal(HttpStatusCode.OK, await MeAsync(here));
    }

    [Fact]
    public async Task A_user_lists_their_sessions_and_signs_one_or_all_out()
    {
        var (user, phone) = await SignedInAsync(userAgent: "Phone/1.0");
        var laptop = await PortableSession.LogInAsync(server, user.Email, userAgent: "Laptop/2.0");
        var desk = await PortableSession.LogInAsync(server, user.Email, userAgent: "Desk/3.0");

        var listed = await (await laptop.GetAsync(server, "/api/me/sessions")).Content.ReadFromJsonAsync<JsonElement>();
        // Besides the one Api.SignUpAsync logged in with (no user agent).
        Assert.Equal(new[] { "Desk/3.0", "Laptop/2.0", "Phone/1.0" },
            listed.EnumerateArray().Select(s => s.GetProperty("userAgent").GetString()).OfType<string>().Order().ToArray());
        var current = listed.EnumerateArray().Single(s => s.GetProperty("current").GetBoolean());
        Assert.Equal("Laptop/2.0", current.GetProperty("userAgent").GetString());
        Assert.True(current.TryGetProperty("createdAt", out _) && current.TryGetProperty("lastSeenAt", out _));

        var phoneId = listed.EnumerateArray().Single(s => s.GetProperty("userAgent").GetString() == "Phone/1.0").GetProperty("id").GetInt64();
        Assert.Equal(HttpStatusCode.NoContent, (await laptop.SendAsync(server, HttpMethod.Delete, $"/api/me/sessions/{phoneId}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(phone));
        Assert.Equal(HttpStatusCode.OK, await MeAsync(desk));
        // Another user's session is not found.
        var (_, stranger) = await SignedInAsync();
        var deskId = listed.EnumerateArray().Single(s => s.GetProperty("userAgent").GetString() == "Desk/3.0").GetProperty("id").GetInt64();
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.SendAsync(server, HttpMethod.Delete, $"/api/me/sessions/{deskId}")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await laptop.SendAsync(server, HttpMethod.Delete, "/api/me/sessions")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(laptop));
        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(desk));
        Assert.Equal(HttpStatusCode.OK, await MeAsync(stranger));
        // API tokens are not sessions: the script goes on.
        Assert.Equal(HttpStatusCode.OK, (await user.Http.GetAsync("/api/auth/me")).StatusCode);
    }

    [Fact]
    public async Task An_operator_signs_a_user_out_everywhere_and_only_an_operator_may()
    {
        var (user, browser) = await SignedInAsync();
        var (_, other) = await SignedInAsync();
        var operatorBrowser = await OperatorAsync();

        var byTasker = await other.SendAsync(server, HttpMethod.Delete, $"/api/admin/users/{user.UserId}/sessions");
        Assert.Equal(HttpStatusCode.Forbidden, byTasker.StatusCode);
        Assert.Equal(HttpStatusCode.OK, await MeAsync(browser));

        Assert.Equal(HttpStatusCode.NoContent,
            (await operatorBrowser.SendAsync(server, HttpMethod.Delete, $"/api/admin/users/{user.UserId}/sessions")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(browser));
        Assert.Equal(HttpStatusCode.OK, await MeAsync(other));
        Assert.Equal(HttpStatusCode.NotFound,
            (await operatorBrowser.SendAsync(server, HttpMethod.Delete, "/api/admin/users/999999/sessions")).StatusCode);
    }

    async Task<PortableSession> OperatorAsync()
    {
        var user = await Api.SignUpAsync(server, "tasker");
        await server.ExecuteAsync($"UPDATE users SET role = 'operator' WHERE id = {user.UserId}");
        return await PortableSession.LogInAsync(server, user.Email);
    }
}

public sealed class SessionsOnSqlite(AccountSecuritySqliteServer server) : SessionsTests<AccountSecuritySqliteServer>(server);
public sealed class SessionsOnPostgres(AccountSecurityPostgresServer server) : SessionsTests<AccountSecurityPostgresServer>(server);
