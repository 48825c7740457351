using System.Net;
using System.Text.Json;
using Fairlabel.Tests.Infrastructure;
using nietras.SeparatedValues;
using P = Fairlabel.Tests.Infrastructure.Projects;

namespace Fairlabel.Tests.Export;

public abstract class ExportApiTests<TServer>(TServer server) : IClassFixture<TServer> where TServer : FairlabelServer
{
    /// Three taskers answer two items: item-1 pos, pos, neg; item-2 neg, neu, neg.
    async Task<(Api Requester, int ProjectId)> AnsweredProjectAsync()
    {
        var requester = await Api.SignUpAsync(server, "requester");
        var id = await P.PublishedAsync(requester, 2);
        string[][] answers = [["pos", "neg"], ["pos", "neu"], ["neg", "neg"]];
        foreach (var choices in answers)
        {
            var tasker = await Api.SignUpAsync(server, "tasker");
            for (var i = 0; i < 2; i++)
            {
                var task = await tasker.PostJsonAsync($"/api/work/projects/{id}/tasks/next");
                var item = task.GetProperty("data").GetProperty("text").GetString()!.EndsWith('1') ? 0 : 1;
                await tasker.PostJsonAsync($"/api/work/tasks/{task.GetProperty("assignmentId").GetInt64()}/submit",
                    new { answer = new { category = choices[item], note = "tasker's <script>alert(1)</script> note" } });
            }
        }
        return (requester, id);
    }

    [Fact]
    public async Task Jsonl_export_holds_every_raw_answer_and_the_majority_label()
    {
        var (requester, id) = await AnsweredProjectAsync();
        var response = await requester.Http.GetAsync($"/api/projects/{id}/export?format=jsonl");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("attachment", response.Content.Headers.ContentDisposition?.ToString());
        var rows = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(2, rows.Count);
        var first = rows.Single(r => r.GetProperty("external_id").GetString() == "item-1");
        Assert.Equal(3, first.GetProperty("answers").GetArrayLength());
        Assert.Equal(new[] { "neg", "pos", "pos" }, first.GetProperty("answers").EnumerateArray()
            .Select(a => a.GetProperty("answer").GetProperty("category").GetString()!).Order().ToArray());
        var label = first.GetProperty("labels").GetProperty("category");
        Assert.Equal("pos", label.GetProperty("label").GetString());
        Assert.Equal(2.0 / 3, label.GetProperty("confidence").GetDouble(), 5);
        Assert.Equal(3, label.GetProperty("votes").GetInt32());
        var second = rows.Single(r => r.GetProperty("external_id").GetString() == "item-2");
        Assert.Equal("neg", second.GetProperty("labels").GetProperty("category").GetProperty("label").GetString());
        Assert.Equal("CC-BY-4.0", first.GetProperty("provenance").GetProperty("licence").GetString());
        // Taskers appear under pseudonyms, never their accounts.
        Assert.All(first.GetProperty("answers").EnumerateArray(),
            a => Assert.StartsWith("tasker-", a.GetProperty("tasker").GetString()));
    }

    [Fact]
    public async Task Csv_export_has_a_row_per_answer_with_the_label_columns()
    {
        var (requester, id) = await AnsweredProjectAsync();
        var csv = await requester.Http.GetStringAsync($"/api/projects/{id}/export?format=csv");
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0].Split(',');
        Assert.Contains("answer.category", header);
        Assert.Contains("label.category", header);
        Assert.Equal(7, lines.Length); // header + 6 answers
        var labelColumn = Array.IndexOf(header, "label.category");
        var item1 = lines.Skip(1).Where(l => l.Contains(",item-1,")).ToList();
        Assert.Equal(3, item1.Count);
        Assert.All(item1, l => Assert.Equal("pos", l.Split(',')[labelColumn]));
    }

    [Fact]
    public async Task Csv_export_neutralises_cells_a_spreadsheet_would_run_as_formulas()
    {
        var requester = await Api.SignUpAsync(server, "requester");
        var id = await P.CreateAsync(requester, P.Input(overlap: 1));
        var import = await P.ImportAsync(requester, id,
            """{"id": "=1+2", "data": {"text": "@SUM(A1)"}, "provenance": {"source": "-2+3", "licence": "MIT", "consentBasis": "synthetic"}}""");
        Assert.Equal("succeeded", import.GetProperty("status").GetString());
        await P.FundAsync(requester, 1000m);
        await requester.PostJsonAsync($"/api/projects/{id}/publish");
        var tasker = await Api.SignUpAsync(server, "tasker");
        var task = await tasker.PostJsonAsync($"/api/work/projects/{id}/tasks/next");
        await tasker.PostJsonAsync($"/api/work/tasks/{task.GetProperty("assignmentId").GetInt64()}/submit",
            new { answer = new { category = "pos", note = "+cmd|' /C calc'!A0" }, activeSeconds = 12.5 });

        var csv = await requester.Http.GetStringAsync($"/api/projects/{id}/export?format=csv");

        Assert.Contains(",\"'=1+2\",\"'-2+3\",", csv);
        Assert.Contains(",\"'+cmd|' /C calc'!A0\",", csv);
        using var reader = Sep.Reader(o => o with { Sep = new Sep(','), Unescape = true }).FromText(csv);
        Assert.True(reader.MoveNext());
        var row = reader.Current;
        Assert.Equal("'=1+2", row["external_id"].ToString());
        Assert.Equal("'-2+3", row["source"].ToString());
        Assert.Equal("'+cmd|' /C calc'!A0", row["answer.note"].ToString());
        Assert.Equal("pos", row["answer.category"].ToString());
        // Numbers Fairlabel writes stay numbers; the data column is a JSON object, which no spreadsheet runs.
        Assert.Equal("12.5", row["active_seconds"].ToString());
        Assert.Equal("1", row["confidence.category"].ToString());
        Assert.Equal("""{"text": "@SUM(A1)"}""", row["data"].ToString());
        Assert.False(reader.MoveNext());
    }

    [Fact]
    public async Task An_unknown_format_is_refused()
    {
        var requester = await Api.SignUpAsync(server, "requester");
        var id = await P.CreateAsync(requester);
        var response = await requester.Http.GetAsync($"/api/projects/{id}/export?format=xml");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await Api.ProblemOf(response)).GetProperty("errors").TryGetProperty("format", out _));
    }
}

public sealed class ExportApiOnSqlite(SqliteServer server) : ExportApiTests<SqliteServer>(server);
public sealed class ExportApiOnPostgres(PostgresServer server) : ExportApiTests<PostgresServer>(server);
