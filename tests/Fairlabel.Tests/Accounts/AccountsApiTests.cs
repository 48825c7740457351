using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fairlabel.Tests.Infrastructure;

namespace Fairlabel.Tests.Accounts;

public abstract class AccountsApiTests<TServer>(TServer server) : IClassFixture<TServer> where TServer : FairlabelServer
{
    static string NewEmail() => $"u-{Guid.NewGuid():n}@example.org";

    [Fact]
    public async Task Sign_up_rejects_bad_fields_by_name_and_creates_nothing()
    {
        var browser = new BrowserSession(server);
        var response = await browser.Client.PostAsJsonAsync("/api/auth/signup",
            new { email = "not-an-email", password = "short", displayName = "", role = "admin", country = "Kenya" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await Api.ProblemOf(response)).GetProperty("errors");
        foreach (var field in new[] { "email", "password", "displayName", "role", "country" })
            Assert.True(errors.TryGetProperty(field, out _), $"no error for {field}: {errors}");
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.Client.GetAsync("/api/auth/me")).StatusCode);
    }

    [Fact]
    public async Task Requester_sign_up_creates_an_organisation_and_a_session()
    {
        var browser = new BrowserSession(server);
        var email = NewEmail();
        var response = await browser.Client.PostAsJsonAsync("/api/auth/signup",
            new { email, password = Api.Password, displayName = "Rita", role = "requester", organisationName = "Acme Data" });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await browser.Client.PostAsJsonAsync("/api/auth/login", new { email, password = Api.Password });
        var me = await browser.Client.GetFromJsonAsync<JsonElement>("/api/auth/me");
        Assert.Equal(email, me.GetProperty("email").GetString());
        Assert.Equal("requester", me.GetProperty("role").GetString());
        Assert.Equal("Acme Data", me.GetProperty("organisation").GetProperty("name").GetString());

        var again = await new BrowserSession(server).Client.PostAsJsonAsync("/api/auth/signup",
            new { email, password = Api.Password, displayName = "Rita", role = "requester", organisationName = "Other" });
        // The same answer as the first: a sign-up does not tell whether an address has an account.
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
    }

    [Fact]
    public async Task Login_with_the_right_password_starts_a_session()
    {
        var user = await Api.SignUpAsync(server, "tasker");
        var browser = new BrowserSession(server);
        var login = await browser.Client.PostAsJsonAsync("/api/auth/login", new { email = user.Email.ToUpperInvariant(), password = Api.Password });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Equal(user.UserId, (await browser.Client.GetFromJsonAsync<JsonElement>("/api/auth/me")).GetProperty("id").GetInt32());
        await browser.Client.PostAsync("/api/auth/logout", null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.Client.GetAsync("/api/auth/me")).StatusCode);
    }

    [Fact]
    public async Task A_cookie_session_needs_the_antiforgery_header_for_changes()
    {
        var user = await Api.SignUpAsync(server, "tasker");
        var browser = new BrowserSession(server);
        await browser.Client.PostAsJsonAsync("/api/auth/login", new { email = user.Email, password = Api.Password });

        browser.SendXsrfHeader = false;
        var forged = await browser.Client.PutAsJsonAsync("/api/me/profile", new { country = "PH" });
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Contains("antiforgery", (await Api.ProblemOf(forged)).GetProperty("title").GetString());

        browser.SendXsrfHeader = true;
        var real = await browser.Client.PutAsJsonAsync("/api/me/profile", new { country = "PH", languages = new[] { "tl", "en" } });
        Assert.Equal(HttpStatusCode.OK, real.StatusCode);
        Assert.Equal("PH", (await real.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("country").GetString());
    }

    [Fact]
    public async Task Api_tokens_authenticate_until_revoked()
    {
        // Tokens are managed in a signed-in session (a token cannot make tokens).
        var user = await Organisations.LogInAsync(server, await Api.SignUpAsync(server, "requester"));
        var created = await (await user.Client.PostAsJsonAsync("/api/me/tokens", new { name = "nightly export" }))
            .Content.ReadFromJsonAsync<JsonElement>();
        var secret = created.GetProperty("token").GetString()!;
        var script = Api.WithToken(server, secret);
        Assert.Equal(HttpStatusCode.OK, (await script.GetAsync("/api/projects")).StatusCode);

        var tokens = await user.Client.GetStringAsync("/api/me/tokens");
        Assert.DoesNotContain(secret, tokens); // the secret is shown once, never listed
        Assert.Equal(HttpStatusCode.NoContent,
            (await user.Client.DeleteAsync($"/api/me/tokens/{created.GetProperty("id").GetInt32()}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await script.GetAsync("/api/projects")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Api.WithToken(server, "fl_forged").GetAsync("/api/projects")).StatusCode);
    }

    [Fact]
    public async Task A_token_acts_with_its_users_role_on_its_first_request_and_on_those_the_node_remembers()
    {
        var requester = await Api.SignUpAsync(server, "requester");
        var tasker = await Api.SignUpAsync(server, "tasker");
        // Twice each: the first request of a token looks it up in the database, later ones are
        // answered from the node's cache of known tokens.
        for (var round = 0; round < 2; round++)
        {
            Assert.Equal(HttpStatusCode.OK, (await requester.Http.GetAsync("/api/projects")).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await requester.Http.GetAsync("/api/work/projects")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await tasker.Http.GetAsync("/api/work/projects")).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await tasker.Http.GetAsync("/api/projects")).StatusCode);
            var me = await tasker.Http.GetAsync("/api/auth/me");
            Assert.Equal(tasker.UserId, (await me.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32());
            Assert.False(me.Headers.Contains("Set-Cookie"), "a script is not given an antiforgery cookie");
        }
    }

    [Fact]
    public async Task A_token_is_read_with_the_scheme_in_any_case_and_spaces_around_it()
    {
        var tasker = await Api.SignUpAsync(server, "tasker");
        var secret = tasker.Http.DefaultRequestHeaders.Authorization!.Parameter!;
        var client = Api.WithToken(server, secret);
        client.DefaultRequestHeaders.Authorization = null;
        foreach (var header in new[] { $"Bearer {secret}", $"bearer {secret}", $"BEARER   {secret}  ", $"Bearer {secret}" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/auth/me");
            request.Headers.TryAddWithoutValidation("Authorization", header);
            var response = await client.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{response.StatusCode} for '{header}'");
        }
        foreach (var header in new[] { $"Basic {secret}", $"Bearer {secret}x", "Bearer ", $"Bearer{secret}" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/auth/me");
            request.Headers.TryAddWithoutValidation("Authorization", header);
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(request)).StatusCode);
        }
    }

    [Fact]
    public async Task Bad_json_names_the_field()
    {
        var browser = new BrowserSession(server);
        var response = await browser.Client.PostAsync("/api/auth/login",
            new StringContent("""{"email": 42, "password": "x"}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await Api.ProblemOf(response)).GetProperty("errors").TryGetProperty("email", out _));
    }
}

public sealed class AccountsApiOnSqlite(SqliteServer server) : AccountsApiTests<SqliteServer>(server);
public sealed class AccountsApiOnPostgres(PostgresServer server) : AccountsApiTests<PostgresServer>(server);
