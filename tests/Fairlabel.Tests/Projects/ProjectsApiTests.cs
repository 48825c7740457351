using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fairlabel.Tests.Infrastructure;

namespace Fairlabel.Tests.Projects;

public abstract class ProjectsApiTests<TServer>(TServer server) : IClassFixture<TServer> where TServer : FairlabelServer
{
    [Fact]
    public async Task A_requester_creates_a_project_and_sees_its_hourly_rate()
    {
        var requester = await Api.SignUpAsync(server, "requester");
        var id = await Infrastructure.Projects.CreateAsync(requester, Infrastructure.Projects.Input(pay: 0.25m, estimatedSeconds: 30));
        var project = await requester.GetJsonAsync($"/api/projects/{id}");
        Assert.Equal("draft", project.GetProperty("status").GetString());
        Assert.Equal(30m, project.GetProperty("hourlyRate").GetDecimal());
        Assert.Equal("USD", project.GetProperty("currency").GetString());
        var list = await requester.GetJsonAsync("/api/projects");
        Assert.Contains(list.EnumerateArray(), p => p.GetProperty("id").GetInt32() == id);
    }

    [Fact]
    public async Task A_malformed_template_is_refused_with_the_path_of_each_problem()
    {
        var requester = await Api.SignUpAsync(server, "requester");
        const string template = """
            {"fields": [{"id": "text", "type": "video", "source": "text"}],
             "questions": [
               {"id": "ok", "type": "rating", "prompt": "Rate", "scale": 5},
               {"id": "ok", "type": "pairwise", "prompt": "Which?"},
               {"id": "c", "type": "single_choice", "prompt": "Pick", "options": [{"value": "only"}]},
               {"id": "t", "type": "free_text", "prompt": "Why", "minLength": 10, "maxLength": 5}]}
            """;
        var response = await requester.PostAsync("/api/projects", Infrastructure.Projects.Input(template, overlap: 0));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await Api.ProblemOf(response)).GetProperty("errors");
        foreach (var path in new[] { "template.fields[0].type", "template.questions[1].id", "template.questions[2].options",
                     "template.questions[3].minLength", "overlap" })
            Assert.True(errors.TryGetProperty(path, out _), $"no error at {path}: {errors}");
        Assert.Empty((await requester.GetJsonAsync("/api/projects")).EnumerateArray());
    }

    [Fact]
    public async Task Another_organisation_cannot_see_or_change_the_project()
    {
        var owner = await Api.SignUpAsync(server, "requester");
        var stranger = await Api.SignUpAsync(server, "requester");
        var id = await Infrastructure.Projects.CreateAsync(owner);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Http.GetAsync($"/api/projects/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound,
            (await stranger.Http.PutAsJsonAsync($"/api/projects/{id}", Infrastructure.Projects.Input())).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.PostAsync($"/api/projects/{id}/publish")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Http.GetAsync($"/api/projects/{id}/export")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Http.GetAsync($"/api/projects/{id}/items")).StatusCode);
        Assert.DoesNotContain((await stranger.GetJsonAsync("/api/projects")).EnumerateArray(), p => p.GetProperty("id").GetInt32() == id);
    }

    [Fact]
    public async Task Taskers_cannot_use_the_requester_api()
    {
        var owner = await Api.SignUpAsync(server, "requester");
        var tasker = await Api.SignUpAsync(server, "tasker");
        var id = await Infrastructure.Projects.PublishedAsync(owner, 4, gold: true);
        Assert.Equal(HttpStatusCode.Forbidden, (await tasker.Http.GetAsync("/api/projects")).StatusCode);
        // Gold answers and other taskers' answers live behind the requester API.
        Assert.Equal(HttpStatusCode.Forbidden, (await tasker.Http.GetAsync($"/api/projects/{id}/items")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await tasker.Http.GetAsync($"/api/projects/{id}/export")).StatusCode);
    }

    [Fact]
    public async Task Publishing_needs_items_and_pausing_closes_the_project_to_taskers()
    {
        var requester = await Api.SignUpAsync(server, "requester");
        var tasker = await Api.SignUpAsync(server, "tasker");
        var empty = await Infrastructure.Projects.CreateAsync(requester);
        Assert.Equal(HttpStatusCode.Conflict, (await requester.PostAsync($"/api/projects/{empty}/publish")).StatusCode);

        var id = await Infrastructure.Projects.PublishedAsync(requester, 3);
        Assert.Contains((await tasker.GetJsonAsync("/api/work/projects")).EnumerateArray(), p => p.GetProperty("id").GetInt32() == id);
        await requester.PostJsonAsync($"/api/projects/{id}/pause");
        Assert.DoesNotContain((await tasker.GetJsonAsync("/api/work/projects")).EnumerateArray(), p => p.GetProperty("id").GetInt32() == id);
        Assert.Equal(HttpStatusCode.NotFound, (await tasker.PostAsync($"/api/work/projects/{id}/tasks/next")).StatusCode);
    }

    [Fact]
    public async Task Progress_counts_items_answers_and_active_taskers()
    {
        var requester = await Api.SignUpAsync(server, "requester");
        var tasker = await Api.SignUpAsync(server, "tasker");
        var id = await Infrastructure.Projects.PublishedAsync(requester, 2, Infrastructure.Projects.Input(overlap: 1));
        for (var i = 0; i < 2; i++)
        {
            var task = await tasker.PostJsonAsync($"/api/work/projects/{id}/tasks/next");
            await tasker.PostJsonAsync($"/api/work/tasks/{task.GetProperty("assignmentId").GetInt64()}/submit", Infrastructure.Projects.Answer());
        }
        var progress = await requester.GetJsonAsync($"/api/projects/{id}/progress");
        Assert.Equal(2, progress.GetProperty("items").GetInt32());
        Assert.Equal(2, progress.GetProperty("completedItems").GetInt32());
        Assert.Equal(2, progress.GetProperty("answers").GetInt32());
        Assert.Equal(1, progress.GetProperty("activeTaskers").GetInt32());
        Assert.Equal(2, progress.GetProperty("answersPerHour").EnumerateArray().Sum(h => h.GetProperty("answers").GetInt32()));
    }

    [Fact]
    public async Task The_api_is_described_by_openapi()
    {
        var client = server.CreateClient();
        var document = await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var paths = document.GetProperty("paths");
        foreach (var path in new[] { "/api/auth/login", "/api/projects", "/api/work/projects/{id}/tasks/next",
                     "/api/work/tasks/{assignmentId}/submit", "/api/projects/{projectId}/export" })
            Assert.True(paths.TryGetProperty(path, out _), $"{path} missing from the OpenAPI document");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/reference")).StatusCode);
    }
}

public sealed class ProjectsApiOnSqlite(SqliteServer server) : ProjectsApiTests<SqliteServer>(server);
public sealed class ProjectsApiOnPostgres(PostgresServer server) : ProjectsApiTests<PostgresServer>(server);
