using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fairlabel.Tests.Infrastructure;
using static Fairlabel.Tests.Infrastructure.Tasks;
using P = Fairlabel.Tests.Infrastructure.Projects;

namespace Fairlabel.Tests.Audiences;

/// Profiles, audiences and sensitive content through the API, on both engines.
public abstract class WhoGetsWhatApiTests<TServer>(TServer server) : IClassFixture<TServer> where TServer : ClockedServer
{
    /// Items numbered from 1; every even one is flagged <paramref name="category"/>.
    public static string FlaggedLines(int count, string category = "violence") =>
        string.Join("\n", Enumerable.Range(1, count).Select(i => JsonSerializer.Serialize(new
        {
            id = $"item-{i}",
            data = new { text = $"Sentence number {i}" },
            provenance = new { source = "tests", licence = "CC-BY-4.0", consentBasis = "synthetic",
                sensitivity = i % 2 == 0 ? new[] { category } : [] },
        })));

    async Task<int> FlaggedProjectAsync(Api requester, int items, int overlap = 1)
    {
        var id = await P.CreateAsync(requester, P.Input(overlap: overlap));
        Assert.Equal("succeeded", (await P.ImportAsync(requester, id, FlaggedLines(items))).GetProperty("status").GetString());
        await P.FundAsync(requester, 1_000_000m);
        await requester.PostJsonAsync($"/api/projects/{id}/publish");
        return id;
    }

    static async Task<HttpResponseMessage> PutProfileAsync(Api tasker, object body) =>
        await tasker.Http.PutAsJsonAsync("/api/me/profile", body);

    /// Every task the tasker can take, each submitted: the items' categories, as the database has them.
    async Task<List<string>> TakeAllAsync(Api tasker, int projectId)
    {
        var taken = new List<string>();
        while (await NextAsync(tasker, projectId, askAgainWhenBusy: true) is { } task)
        {
            taken.Add(await server.Database.TextAsync($"SELECT sensitivity FROM items WHERE id = {task.GetProperty("itemId").GetInt64()}") ?? "");
            await tasker.PostJsonAsync($"/api/work/tasks/{AssignmentOf(task)}/submit", P.Answer());
        }
        return taken;
    }

    [Fact]
    public async Task A_profile_refuses_unassigned_countries_and_bad_language_tags_naming_the_field_and_changes_nothing()
    {
        var tasker = await Api.SignUpAsync(server, "tasker");
        var refused = await PutProfileAsync(tasker, new { country = "ZZ", languages = new[] { "en", "en_US" }, sensitivityOptIns = new[] { "Violence" } });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var errors = (await Api.ProblemOf(refused)).GetProperty("errors");
        Assert.True(errors.TryGetProperty("country", out _));
        Assert.True(errors.TryGetProperty("languages[1]", out _));
        Assert.True(errors.TryGetProperty("sensitivityOptIns[0]", out _));

        var profile = await tasker.GetJsonAsync("/api/me/profile");
        Assert.Equal("KE", profile.GetProperty("country").GetString());
        Assert.Equal(0, profile.GetProperty("sensitivityOptIns").GetArrayLength());   // none until chosen
    }

    [Fact]
    public async Task A_profile_keeps_languages_in_BCP_47_case_and_expertise_with_its_evidence()
    {
        var tasker = await Api.SignUpAsync(server, "tasker");
        var saved = await PutProfileAsync(tasker, new
        {
            country = "br", languages = new[] { "PT-br", "en" },
            expertise = new object[] { "law", new { domain = "medicine", evidence = "Registered nurse since 2015" } },
            sensitivityOptIns = new[] { "violence" },
        });
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);

        var profile = await tasker.GetJsonAsync("/api/me/profile");
        Assert.Equal("BR", profile.GetProperty("country").GetString());
        Assert.Equal(["pt-BR", "en"], profile.GetProperty("languages").EnumerateArray().Select(l => l.GetString()!).ToArray());
        var expertise = profile.GetProperty("expertise").EnumerateArray().ToList();
        Assert.Equal("law", expertise[0].GetProperty("domain").GetString());
        Assert.Equal(JsonValueKind.Null, expertise[0].GetProperty("evidence").ValueKind);
        Assert.Equal("Registered nurse since 2015", expertise[1].GetProperty("evidence").GetString());
        Assert.Equal(["violence"], profile.GetProperty("sensitivityOptIns").EnumerateArray().Select(l => l.GetString()!).ToArray());
    }

    [Fact]
    public async Task A_tasker_who_has_not_opted_in_is_never_handed_a_flagged_item_and_one_who_has_is()
    {
        var requester = await Api.SignUpAsync(server, "requester");
        var id = await FlaggedProjectAsync(requester, 40, overlap: 2);
        var careful = await Api.SignUpAsync(server, "tasker");
        var willing = await Api.SignUpAsync(server, "tasker");
        Assert.Equal(HttpStatusCode.OK, (await PutProfileAsync(willing, new { sensitivityOptIns = new[] { "violence" } })).StatusCode);

        var open = (await careful.GetJsonAsync("/api/work/projects")).EnumerateArray().Single(p => p.GetProperty("id").GetInt32() == id);
        Assert.Equal(20, open.GetProperty("tasksAvailable").GetInt32());   // the unflagged items only

        Assert.Equal(Enumerable.Repeat("", 20), await TakeAllAsync(careful, id));
        var seen = await TakeAllAsync(willing, id);
        Assert.Equal(40, seen.Count);
        Assert.Equal(20, seen.Count(s => s == "violence"));
        Assert.Equal(0, await server.ScalarAsync("SELECT count(*) FROM assignments a JOIN items i ON i.id = a.item_id " +
                                                 $"WHERE a.tasker_id = {careful.UserId} AND i.sensitivity <> ''"));
    }

    [Fact]
    public async Task Withdrawing_an_opt_in_stops_flagged_items_at_once_and_skipping_one_costs_nothing()
    {
        var requester = await Api.SignUpAsync(server, "requester");
        var id = await FlaggedProjectAsync(requester, 20);
        var tasker = await Api.SignUpAsync(server, "tasker");
        await PutProfileAsync(tasker, new { sensitivityOptIns = new[] { "violence" } });
        JsonElement flagged;
        while (true)
        {
            var task = (await NextAsync(tasker, id, askAgainWhenBusy: true))!.Value;
            if (await server.Database.TextAsync($"SELECT sensitivity FROM items WHERE id = {task.GetProperty("itemId").GetInt64()}") == "violence")
            {
                flagged = task;
                break;
            }
            await tasker.PostJsonAsync($"/api/work/tasks/{AssignmentOf(task)}/submit", P.Answer());
        }
        await server.WrittenAsync(flagged);
        Assert.Equal(HttpStatusCode.NoContent, (await tasker.PostAsync($"/api/work/tasks/{AssignmentOf(flagged)}/skip")).StatusCode);

        await PutProfileAsync(tasker, new { sensitivityOptIns = Array.Empty<string>() });
        Assert.All(await TakeAllAsync(tasker, id), s => Assert.Equal("", s));
        // The skipped item went back to the others.
        Assert.Equal(0, await server.ScalarAsync($"SELECT leased FROM items WHERE id = {flagged.GetProperty("itemId").GetInt64()}"));
    }

    [Fact]
    public async Task A_daily_cap_stops_flagged_items_for_the_day_and_the_next_day_they_come_again()
    {
        var requester = await Api.SignUpAsync(server, "requester");
        var id = await FlaggedProjectAsync(requester, 20);
        var cap = await requester.Http.PutAsJsonAsync($"/api/projects/{id}/audience", new { dailyExposureCap = 3 });
        Assert.Equal(HttpStatusCode.OK, cap.StatusCode);
        var tasker = await Api.SignUpAsync(server, "tasker");
        await PutProfileAsync(tasker, new { sensitivityOptIns = new[] { "violence" } });
        try
        {
            var today = await TakeAllAsync(tasker, id);
            Assert.Equal(3, today.Count(s => s == "violence"));
            Assert.Equal(10, today.Count(s => s == ""));

            server.Clock.Ahead = TimeSpan.FromDays(1);
            Assert.Equal(["violence", "violence", "violence"], await TakeAllAsync(tasker, id));
        }
        finally
        {
            server.Clock.Ahead = TimeSpan.Zero;
        }
    }

    [Fact]
    public async Task An_audience_hides_the_project_from_others_answers_403_naming_the_rule_and_applies_at_once()
    {
        var requester = await Api.SignUpAsync(server, "requester");
        var id = await P.PublishedAsync(requester, 10);
        var tasker = await Api.SignUpAsync(server, "tasker");   // in KE, speaks en
        async Task TakeOneAsync() => await tasker.PostJsonAsync(
            $"/api/work/tasks/{AssignmentOf((await NextAsync(tasker, id, askAgainWhenBusy: true))!.Value)}/submit", P.Answer());
        await TakeOneAsync();

        var bad = await requester.Http.PutAsJsonAsync($"/api/projects/{id}/audience", new { countryMode = "allow", countries = new[] { "UG", "ZZ" } });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.True((await Api.ProblemOf(bad)).GetProperty("errors").TryGetProperty("countries[1]", out _));
        await TakeOneAsync();   // nothing changed

        var set = await requester.Http.PutAsJsonAsync($"/api/projects/{id}/audience", new { countryMode = "allow", countries = new[] { "UG", "TZ" } });
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        var refused = await tasker.PostAsync($"/api/work/projects/{id}/tasks/next");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        var problem = await Api.ProblemOf(refused);
        Assert.Equal("country", problem.GetProperty("rule").GetString());
        Assert.Contains("UG", problem.GetProperty("detail").GetString());
        Assert.DoesNotContain((await tasker.GetJsonAsync("/api/work/projects")).EnumerateArray(), p => p.GetProperty("id").GetInt32() == id);

        await requester.Http.PutAsJsonAsync($"/api/projects/{id}/audience", new { countryMode = "deny", countries = new[] { "UG" }, languages = new[] { "sw" } });
        Assert.Equal("language", (await Api.ProblemOf(await tasker.PostAsync($"/api/work/projects/{id}/tasks/next"))).GetProperty("rule").GetString());
        await PutProfileAsync(tasker, new { languages = new[] { "sw-KE" } });
        await TakeOneAsync();

        await requester.Http.PutAsJsonAsync($"/api/projects/{id}/audience", new { expertise = new[] { "medicine" } });
        Assert.Equal("expertise", (await Api.ProblemOf(await tasker.PostAsync($"/api/work/projects/{id}/tasks/next"))).GetProperty("rule").GetString());
        var audience = await requester.GetJsonAsync($"/api/projects/{id}/audience");
        Assert.Equal("anyone", audience.GetProperty("countryMode").GetString());
    }
}

public sealed class WhoGetsWhatOnSqlite(ClockedSqliteServer server) : WhoGetsWhatApiTests<ClockedSqliteServer>(server);
public sealed class WhoGetsWhatOnPostgres(ClockedPostgresServer server) : WhoGetsWhatApiTests<ClockedPostgresServer>(server);
