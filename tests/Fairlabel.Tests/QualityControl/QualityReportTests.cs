using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fairlabel.Tests.Infrastructure;
using P = Fairlabel.Tests.Infrastructure.Projects;

namespace Fairlabel.Tests.QualityControl;

public abstract class QualityReportTests<TServer>(TServer server) : IClassFixture<TServer> where TServer : FairlabelServer
{
    /// Four taskers label 60 items whose gold is "pos" on even items and "neg" on odd ones; the
    /// first three are right, the fourth always answers "neu". Or each answers as told: tasker,
    /// item number → label.
    async Task<(Api Requester, int ProjectId, Api[] Taskers)> LabelledAsync(string aggregation, Func<int, int, string>? answerOf = null)
    {
        answerOf ??= (t, n) => t == 3 ? "neu" : n % 2 == 0 ? "pos" : "neg";
        var requester = await Api.SignUpAsync(server, "requester");
        var lines = string.Join("\n", Enumerable.Range(1, 60).Select(i => JsonSerializer.Serialize(new
        {
            id = $"g-{i}", data = new { text = $"t{i}" },
            provenance = new { source = "tests", licence = "MIT", consentBasis = "synthetic" },
            gold = new { category = i % 2 == 0 ? "pos" : "neg" },
        })));
        var id = await P.CreateAsync(requester, new
        {
            name = "Quality", template = JsonDocument.Parse(P.ClassificationTemplate).RootElement, overlap = 4,
            payPerTask = 0.1m, currency = "EUR", estimatedSeconds = 10, aggregation,
        });
        Assert.Equal("succeeded", (await P.ImportAsync(requester, id, lines)).GetProperty("status").GetString());
        await P.FundAsync(requester, 1000m, "EUR");
        await requester.PostJsonAsync($"/api/projects/{id}/publish");
        var taskers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Api.SignUpAsync(server, "tasker")));
        for (var t = 0; t < taskers.Length; t++)
            while (await taskers[t].PostAsync($"/api/work/projects/{id}/tasks/next") is { StatusCode: HttpStatusCode.OK } next)
            {
                var task = await next.Content.ReadFromJsonAsync<JsonElement>();
                var n = int.Parse(task.GetProperty("data").GetProperty("text").GetString()![1..]);
                var answer = answerOf(t, n);
                await taskers[t].PostJsonAsync($"/api/work/tasks/{task.GetProperty("assignmentId").GetInt64()}/submit",
                    new { answer = new { category = answer } });
            }
        return (requester, id, taskers);
    }

    [Fact]
    public async Task The_report_gives_agreement_and_each_taskers_accuracy()
    {
        var (requester, id, taskers) = await LabelledAsync("auto");
        var report = await requester.GetJsonAsync($"/api/projects/{id}/quality");
        var question = report.GetProperty("questions")[0];
        Assert.Equal("category", question.GetProperty("question").GetString());
        Assert.Equal("ds", question.GetProperty("method").GetString()); // 60 items, 240 answers: enough for Dawid–Skene
        Assert.Equal(240, question.GetProperty("answers").GetInt32());
        Assert.Equal(0.75, question.GetProperty("goldAccuracy").GetDouble(), 6);
        var alpha = question.GetProperty("krippendorffAlpha").GetDouble();
        Assert.InRange(alpha, 0.1, 0.9);

        var byTasker = report.GetProperty("taskers").EnumerateArray().ToDictionary(t => t.GetProperty("taskerId").GetInt32());
        Assert.Equal(1.0, byTasker[taskers[0].UserId].GetProperty("goldAccuracy").GetDouble());
        Assert.Equal(0.0, byTasker[taskers[3].UserId].GetProperty("goldAccuracy").GetDouble());
        Assert.True(byTasker[taskers[0].UserId].GetProperty("estimatedAccuracy").GetDouble() >
                    byTasker[taskers[3].UserId].GetProperty("estimatedAccuracy").GetDouble());
    }

    [Fact]
    public async Task Auto_keeps_majority_vote_when_the_taskers_agree_less_than_chance_would()
    {
        // Enough answers for Dawid–Skene (60 items, 240 answers), but on every item the taskers
        // spread over all three labels: only the first and the fourth ever agree.
        string[] labels = ["pos", "neg", "neu"];
        var (requester, id, _) = await LabelledAsync("auto", (t, n) => labels[(n + t) % 3]);
        var question = (await requester.GetJsonAsync($"/api/projects/{id}/quality")).GetProperty("questions")[0];
        Assert.True(question.GetProperty("krippendorffAlpha").GetDouble() < 0);
        Assert.Equal("mv", question.GetProperty("method").GetString());
        var rows = (await requester.Http.GetStringAsync($"/api/projects/{id}/export"))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.All(rows, r =>
        {
            var label = r.GetProperty("labels").GetProperty("category");
            Assert.Equal("mv", label.GetProperty("method").GetString());
            Assert.Contains(label.GetProperty("label").GetString(),
                r.GetProperty("answers").EnumerateArray().Select(a => a.GetProperty("answer").GetProperty("category").GetString()));
        });
    }

    [Fact]
    public async Task The_export_uses_the_projects_aggregation_method()
    {
        var (requester, id, _) = await LabelledAsync("mv");
        var rows = (await requester.Http.GetStringAsync($"/api/projects/{id}/export"))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(60, rows.Count);
        Assert.All(rows, r =>
        {
            var label = r.GetProperty("labels").GetProperty("category");
            Assert.Equal("mv", label.GetProperty("method").GetString());
            var n = int.Parse(r.GetProperty("external_id").GetString()![2..]);
            Assert.Equal(n % 2 == 0 ? "pos" : "neg", label.GetProperty("label").GetString());
            Assert.Equal(0.75, label.GetProperty("confidence").GetDouble(), 6);
        });
    }

    [Fact]
    public async Task An_unknown_aggregation_method_is_refused()
    {
        var requester = await Api.SignUpAsync(server, "requester");
        var response = await requester.PostAsync("/api/projects", new
        {
            name = "x", template = JsonDocument.Parse(P.ClassificationTemplate).RootElement, overlap = 1,
            payPerTask = 0.1m, currency = "EUR", estimatedSeconds = 10, aggregation = "coin-flip",
        });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await Api.ProblemOf(response)).GetProperty("errors").TryGetProperty("aggregation", out _));
    }
}

public sealed class QualityReportOnSqlite(SqliteServer server) : QualityReportTests<SqliteServer>(server);
public sealed class QualityReportOnPostgres(PostgresServer server) : QualityReportTests<PostgresServer>(server);
