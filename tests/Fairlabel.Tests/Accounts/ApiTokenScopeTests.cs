using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fairlabel.Tests.Infrastructure;
using P = Fairlabel.Tests.Infrastructure.Projects;
using static Fairlabel.Tests.Infrastructure.Organisations;

namespace Fairlabel.Tests.Accounts;

public abstract class ApiTokenScopeTests<TServer>(TServer server) : IClassFixture<TServer> where TServer : FairlabelServer
{
    async Task<(HttpClient Client, JsonElement Token)> TokenAsync(BrowserSession session, object request)
    {
        var response = await session.Client.PostAsJsonAsync("/api/me/tokens", request);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var token = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (Api.WithToken(server, token.GetProperty("token").GetString()!), token);
    }

    [Fact]
    public async Task A_request_made_with_a_token_cannot_make_list_or_revoke_tokens()
    {
        var user = await Api.SignUpAsync(server, "requester");
        var tokens = await (await LogInAsync(server, user)).Client.GetFromJsonAsync<JsonElement>("/api/me/tokens");
        var id = tokens[0].GetProperty("id").GetInt32();
        foreach (var response in new[]
                 {
                     await user.Http.PostAsJsonAsync("/api/me/tokens", new { name = "minted by a token" }),
                     await user.Http.GetAsync("/api/me/tokens"),
                     await user.Http.DeleteAsync($"/api/me/tokens/{id}"),
                 })
        {
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Contains("API token", (await Api.ProblemOf(response)).GetProperty("detail").GetString());
        }
        Assert.Equal(HttpStatusCode.OK, (await user.Http.GetAsync("/api/projects")).StatusCode);   // not revoked by the attempt
    }

    [Fact]
    public async Task A_read_only_token_reads_and_is_refused_every_change_naming_its_scope()
    {
        var user = await Api.SignUpAsync(server, "requester");
        var project = await P.CreateAsync(user);
        var (script, token) = await TokenAsync(await LogInAsync(server, user), new { name = "dashboard", scope = "read-only" });
        Assert.Equal("read-only", token.GetProperty("scope").GetString());
        // Twice: the first request looks the token up, the second is answered from the node's cache.
        for (var round = 0; round < 2; round++)
        {
            Assert.Equal(HttpStatusCode.OK, (await script.GetAsync($"/api/projects/{project}")).StatusCode);
            var publish = await script.PostAsync($"/api/projects/{project}/publish", null);
            Assert.Equal(HttpStatusCode.Forbidden, publish.StatusCode);
            Assert.Contains("read-only", (await Api.ProblemOf(publish)).GetProperty("detail").GetString());
            Assert.Equal(HttpStatusCode.Forbidden, (await script.PostAsJsonAsync("/api/projects", P.Input())).StatusCode);
        }
        Assert.Equal("draft", (await user.GetJsonAsync($"/api/projects/{project}")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_project_limited_token_answers_as_if_other_projects_did_not_exist()
    {
        var user = await Api.SignUpAsync(server, "requester");
        var mine = await P.CreateAsync(user);
        var other = await P.CreateAsync(user);
        var (script, token) = await TokenAsync(await LogInAsync(server, user), new { name = "export of one", projectIds = new[] { mine } });
        Assert.Equal([mine], token.GetProperty("projectIds").EnumerateArray().Select(p => p.GetInt32()));
        for (var round = 0; round < 2; round++)
        {
            Assert.Equal(HttpStatusCode.OK, (await script.GetAsync($"/api/projects/{mine}")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await script.GetAsync($"/api/projects/{mine}/progress")).StatusCode);
            var hidden = await script.GetAsync($"/api/projects/{other}/progress");
            Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
            Assert.Equal("Project not found", (await Api.ProblemOf(hidden)).GetProperty("title").GetString());
            Assert.Equal(HttpStatusCode.NotFound, (await script.PostAsync($"/api/projects/{other}/publish", null)).StatusCode);
            var list = await script.GetAsync("/api/projects");
            Assert.Equal(HttpStatusCode.Forbidden, list.StatusCode);
            Assert.Contains($"projects {mine}", (await Api.ProblemOf(list)).GetProperty("detail").GetString());
            Assert.Equal(HttpStatusCode.OK, (await script.GetAsync("/api/auth/me")).StatusCode);
        }
        Assert.Equal(HttpStatusCode.OK, (await script.PostAsync($"/api/projects/{mine}/pause", null)).StatusCode);
    }

    [Fact]
    public async Task A_token_request_is_checked_field_by_field_and_nothing_is_made()
    {
        var user = await Api.SignUpAsync(server, "requester");
        var stranger = await Api.SignUpAsync(server, "requester");
        var theirs = await P.CreateAsync(stranger);
        var session = await LogInAsync(server, user);
        var before = (await session.Client.GetFromJsonAsync<JsonElement>("/api/me/tokens")).GetArrayLength();
        foreach (var (request, field) in new (object, string)[]
                 {
                     (new { name = "x", expiresAt = DateTimeOffset.UtcNow.AddMinutes(-1) }, "expiresAt"),
                     (new { name = "x", expiresAt = DateTimeOffset.UtcNow.AddDays(400) }, "expiresAt"),
                     (new { name = "x", scope = "admin" }, "scope"),
                     (new { name = "x", projectIds = new[] { theirs } }, "projectIds[0]"),
                     (new { name = "" }, "name"),
                 })
        {
            var response = await session.Client.PostAsJsonAsync("/api/me/tokens", request);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var errors = (await Api.ProblemOf(response)).GetProperty("errors");
            Assert.True(errors.TryGetProperty(field, out _), $"no error for {field}: {errors}");
        }
        Assert.Equal(before, (await session.Client.GetFromJsonAsync<JsonElement>("/api/me/tokens")).GetArrayLength());

        // Without an expiry, a token expires after the longest lifetime (a year by default).
        var (_, token) = await TokenAsync(session, new { name = "default expiry" });
        Assert.InRange(token.GetProperty("expiresAt").GetDateTimeOffset(), DateTimeOffset.UtcNow.AddDays(364), DateTimeOffset.UtcNow.AddDays(366));
        Assert.Equal("full", token.GetProperty("scope").GetString());
    }
}

public sealed class ApiTokenScopeOnSqlite(SqliteServer server) : ApiTokenScopeTests<SqliteServer>(server);
public sealed class ApiTokenScopeOnPostgres(PostgresServer server) : ApiTokenScopeTests<PostgresServer>(server);

/// Expiry of invitations and tokens, on a server whose clock the tests move ahead.
public abstract class ExpiryTests<TServer>(TServer server) : IClassFixture<TServer> where TServer : ClockedServer
{
    [Fact]
    public async Task An_expired_invitation_is_refused_and_listed_as_expired()
    {
        var ownerAccount = await Api.SignUpAsync(server, "requester");
        var owner = await LogInAsync(server, ownerAccount);
        var email = NewEmail();
        var (_, token) = await InvitedAsync(owner, email);
        try
        {
            server.Clock.Ahead = TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1);
            owner = await LogInAsync(server, ownerAccount);              // the session before has long ended
            var expired = await SignUpWithAsync(new BrowserSession(server), email, token);
            Assert.Equal(HttpStatusCode.Gone, expired.StatusCode);
            Assert.Equal("Invitation expired", (await Api.ProblemOf(expired)).GetProperty("title").GetString());
            var invitations = await owner.Client.GetFromJsonAsync<JsonElement>("/api/organisation/invitations");
            Assert.Equal("expired", invitations[0].GetProperty("status").GetString());
            // Expired, it no longer blocks a new invitation of the same address.
            Assert.Equal(HttpStatusCode.Created, (await InviteAsync(owner, email)).StatusCode);
        }
        finally
        {
            server.Clock.Ahead = TimeSpan.Zero;
        }
    }

    [Fact]
    public async Task A_token_stops_working_at_its_expiry_even_when_the_node_remembers_it()
    {
        var user = await Api.SignUpAsync(server, "requester");
        var session = await LogInAsync(server, user);
        var response = await session.Client.PostAsJsonAsync("/api/me/tokens",
            new { name = "one day", expiresAt = server.Clock.GetUtcNow().AddDays(1) });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var script = Api.WithToken(server, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!);
        Assert.Equal(HttpStatusCode.OK, (await script.GetAsync("/api/projects")).StatusCode);    // now remembered by the node
        try
        {
            server.Clock.Ahead = TimeSpan.FromDays(1) - TimeSpan.FromSeconds(5);
            Assert.Equal(HttpStatusCode.OK, (await script.GetAsync("/api/projects")).StatusCode);
            server.Clock.Ahead = TimeSpan.FromDays(1) + TimeSpan.FromSeconds(1);
            Assert.Equal(HttpStatusCode.Unauthorized, (await script.GetAsync("/api/projects")).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await script.GetAsync("/api/projects")).StatusCode);
        }
        finally
        {
            server.Clock.Ahead = TimeSpan.Zero;
        }
    }
}

public sealed class ExpiryOnSqlite(ClockedSqliteServer server) : ExpiryTests<ClockedSqliteServer>(server);
public sealed class ExpiryOnPostgres(ClockedPostgresServer server) : ExpiryTests<ClockedPostgresServer>(server);
