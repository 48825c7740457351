using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Fairlabel.Tests.Infrastructure;

/// A signed-in user talking to the server over HTTP with an API token, as a script would.
public sealed class Api(HttpClient http, int userId, string email)
{
    public const string Password = "correct horse battery";
    static int _counter;

    public HttpClient Http { get; } = http;
    public int UserId { get; } = userId;
    public string Email { get; } = email;
    /// The operator of the server this account is on, for what only an operator does (deposits).
    public Func<Task<Api>>? Operator { get; set; }

    public static async Task<Api> SignUpAsync(FairlabelServer server, string role, string? organisation = null)
    {
        var api = await SignUpAsync(new BrowserSession(server), token => WithToken(server, token), role, organisation);
        api.Operator = () => Operators.OfAsync(server);
        return api;
    }

    /// Signs up on a server in another process.
    public static async Task<Api> SignUpAsync(Uri server, string role, string? organisation = null)
    {
        var api = await SignUpAsync(new BrowserSession(server), token => WithToken(server, token), role, organisation);
        api.Operator = () => Operators.OfAsync(server);
        return api;
    }

    public static async Task<Api> SignUpAsync(BrowserSession browser, Func<string, HttpClient> withToken, string role,
        string? organisation = null)
    {
        var email = $"{role}{Interlocked.Increment(ref _counter)}-{Guid.NewGuid():n}@example.org";
        var signup = await browser.Client.PostAsJsonAsync("/api/auth/signup", new
        {
            email, password = Password, displayName = "Test " + role, role,
            organisationName = role == "requester" ? organisation ?? "Org " + Guid.NewGuid().ToString("n")[..6] : null,
            country = "KE", languages = new[] { "en" },
        });
        Assert.Equal(HttpStatusCode.Accepted, signup.StatusCode);
        // Sign-up signs nobody in (it answers alike for addresses with an account): log in next.
        var login = await browser.Client.PostAsJsonAsync("/api/auth/login", new { email, password = Password });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        return await WithTokenOfAsync(browser, withToken, login, email);
    }

    /// Logs in an account made elsewhere (`fairlabel users add`).
    public static async Task<Api> LogInAsync(FairlabelServer server, string email, string password)
    {
        var browser = new BrowserSession(server);
        var login = await browser.Client.PostAsJsonAsync("/api/auth/login", new { email, password });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        return await WithTokenOfAsync(browser, token => WithToken(server, token), login, email);
    }

    internal static async Task<Api> WithTokenOfAsync(BrowserSession browser, Func<string, HttpClient> withToken, HttpResponseMessage signedIn, string email)
    {
        var me = await signedIn.Content.ReadFromJsonAsync<JsonElement>();
        var token = await browser.Client.PostAsJsonAsync("/api/me/tokens", new { name = "tests" });
        Assert.Equal(HttpStatusCode.Created, token.StatusCode);
        var secret = (await token.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
        return new Api(withToken(secret), me.GetProperty("id").GetInt32(), email);
    }

    public static HttpClient WithToken(Uri server, string token)
    {
        var client = new HttpClient { BaseAddress = server, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// The same account, talking to another node.
    public Api On(Uri server) => new(WithToken(server, Http.DefaultRequestHeaders.Authorization!.Parameter!), UserId, Email);

    public static HttpClient WithToken(FairlabelServer server, string token)
    {
        var client = server.CreateClient(new() { HandleCookies = false });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public async Task<JsonElement> GetJsonAsync(string url)
    {
        var response = await Http.GetAsync(url);
        Assert.True(response.IsSuccessStatusCode, $"GET {url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public async Task<JsonElement> PostJsonAsync(string url, object? body = null)
    {
        var response = await Http.PostAsJsonAsync(url, body ?? new { });
        Assert.True(response.IsSuccessStatusCode, $"POST {url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return response.StatusCode == HttpStatusCode.NoContent ? default : await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public Task<HttpResponseMessage> PostAsync(string url, object? body = null) => Http.PostAsJsonAsync(url, body ?? new { });

    public static async Task<JsonElement> ProblemOf(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
