using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Fairlabel.Tests.Infrastructure;
using P = Fairlabel.Tests.Infrastructure.Projects;

namespace Fairlabel.Tests.Http;

/// What every response carries, and how the API answers requests it cannot serve: unknown paths,
/// bodies that are not JSON or not sent as JSON, values too long.
public abstract class HttpHardeningTests<TServer>(TServer server) : IClassFixture<TServer> where TServer : FairlabelServer
{
    static void AssertEveryResponseHeaders(HttpResponseMessage response)
    {
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
    }

    [Fact]
    public async Task Every_response_says_nosniff_and_no_referrer_and_api_data_is_never_stored()
    {
        var requester = await Api.SignUpAsync(server, "requester");
        var project = await P.CreateAsync(requester);
        var anonymous = server.CreateClient();
        foreach (var response in new[]
                 {
                     await requester.Http.GetAsync($"/api/projects/{project}"), await anonymous.GetAsync("/api/auth/me"),
                     await anonymous.GetAsync("/api/nothing-here"), await requester.Http.GetAsync($"/api/projects/{project}/export?format=csv"),
                 })
        {
            AssertEveryResponseHeaders(response);
            Assert.True(response.Headers.CacheControl?.NoStore, $"{response.RequestMessage!.RequestUri}: Cache-Control {response.Headers.CacheControl}");
        }
        AssertEveryResponseHeaders(await anonymous.GetAsync("/openapi/v1.json"));
        AssertEveryResponseHeaders(await anonymous.GetAsync("/health/live"));
    }

    [Fact]
    public async Task The_api_reference_page_has_a_content_security_policy_that_forbids_framing()
    {
        var response = await server.CreateClient().GetAsync("/api/reference");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        AssertEveryResponseHeaders(response);
        var policy = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("frame-ancestors 'none'", policy);
        Assert.Contains("default-src 'self'", policy);
    }

    [Theory]
    [InlineData("/api/nothing-here")]
    [InlineData("/health/nothing-here")]
    [InlineData("/metrics/nothing-here")]
    [InlineData("/openapi/nothing-here")]
    public async Task An_unknown_path_for_programs_is_a_404_problem_not_the_web_page(string path)
    {
        var response = await server.CreateClient().GetAsync(path);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(404, (await Api.ProblemOf(response)).GetProperty("status").GetInt32());
    }

    static async Task<JsonElement> PostRawAsync(Api user, string url, string body, string contentType, HttpStatusCode expected)
    {
        var response = await user.Http.PostAsync(url, new StringContent(body, Encoding.UTF8, contentType));
        Assert.Equal(expected, response.StatusCode);
        var problem = await Api.ProblemOf(response);
        var text = problem.GetRawText();
        foreach (var internals in new[] { "LineNumber", "BytePositionInLine", "Path: $", "System.Text.Json", "JsonElement" })
            Assert.DoesNotContain(internals, text);
        return problem;
    }

    [Fact]
    public async Task A_malformed_body_is_told_in_plain_words_with_its_line_and_column()
    {
        var requester = await Api.SignUpAsync(server, "requester");
        var problem = await PostRawAsync(requester, "/api/projects", "{\n  \"name\": \"Sentiment\",\n  \"overlap\": 3,,\n}",
            "application/json", HttpStatusCode.BadRequest);
        Assert.Equal("The body is not valid JSON: it is cut short or has a mistake at line 3, column 16.",
            problem.GetProperty("detail").GetString());

        var cut = await PostRawAsync(requester, "/api/projects", "{\"name\": \"Sentiment", "application/json", HttpStatusCode.BadRequest);
        Assert.StartsWith("The body is not valid JSON", cut.GetProperty("detail").GetString());

        var wrongType = await PostRawAsync(requester, "/api/projects", "{\"name\": \"Sentiment\", \"overlap\": \"three\"}",
            "application/json", HttpStatusCode.BadRequest);
        Assert.Equal(["has the wrong type or format"], wrongType.GetProperty("errors").GetProperty("overlap")
            .EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task A_malformed_line_of_an_import_is_told_in_plain_words()
    {
        var requester = await Api.SignUpAsync(server, "requester");
        var project = await P.CreateAsync(requester);
        var import = await P.ImportAsync(requester, project, P.Lines(1) + "\n{\"id\": \"x\", \"data\": {\"text\": \"cut\"");
        var error = import.GetProperty("errors").EnumerateArray().Single();
        Assert.Equal(2, error.GetProperty("line").GetInt64());
        Assert.StartsWith("is not valid JSON: it is cut short or has a mistake at column ", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_body_sent_as_another_content_type_is_a_415_problem()
    {
        var requester = await Api.SignUpAsync(server, "requester");
        var body = JsonSerializer.Serialize(P.Input(name: "Sent as text"));
        var problem = await PostRawAsync(requester, "/api/projects", body, "text/plain", HttpStatusCode.UnsupportedMediaType);
        Assert.Equal(415, problem.GetProperty("status").GetInt32());
        Assert.Equal(0, await server.ScalarAsync("SELECT count(*) FROM projects WHERE name = 'Sent as text'"));
    }

    [Fact]
    public async Task A_10_MB_project_description_is_refused_naming_the_field()
    {
        var requester = await Api.SignUpAsync(server, "requester");
        var input = JsonSerializer.SerializeToElement(P.Input(name: "Described at length"));
        var fields = input.EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value);
        fields["description"] = new string('x', 10_000_000);
        var response = await requester.PostAsync("/api/projects", fields);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await Api.ProblemOf(response)).GetProperty("errors").TryGetProperty("description", out _));
        Assert.Equal(0, await server.ScalarAsync("SELECT count(*) FROM projects WHERE name = 'Described at length'"));
    }
}

public sealed class HttpHardeningOnSqlite(SqliteServer server) : HttpHardeningTests<SqliteServer>(server);
public sealed class HttpHardeningOnPostgres(PostgresServer server) : HttpHardeningTests<PostgresServer>(server);
