using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Fairlabel.Tests.Infrastructure;

/// Builds projects the way a requester would: create, import a file, publish.
public static class Projects
{
    public const string ClassificationTemplate = """
        {"fields": [{"id": "text", "type": "text", "label": "Text", "source": "text"}],
         "questions": [
           {"id": "category", "type": "single_choice", "prompt": "Category?",
            "options": [{"value": "pos", "label": "Positive"}, {"value": "neg", "label": "Negative"}, {"value": "neu", "label": "Neutral"}]},
           {"id": "note", "type": "free_text", "prompt": "Note", "required": false, "maxLength": 50}]}
        """;

    public static object Input(string? template = null, int overlap = 3, decimal pay = 0.25m, int estimatedSeconds = 30,
        int? leaseSeconds = null, string name = "Sentiment", string currency = "USD") => new
    {
        name, description = "Label the sentiment", template = JsonDocument.Parse(template ?? ClassificationTemplate).RootElement,
        guidelines = "# Guidelines\nBe careful.", overlap, payPerTask = pay, currency, estimatedSeconds, leaseSeconds,
    };

    public static async Task<int> CreateAsync(Api requester, object? input = null)
    {
        var project = await requester.PostJsonAsync("/api/projects", input ?? Input());
        return project.GetProperty("id").GetInt32();
    }

    public static string Lines(int count, int start = 1, bool gold = false) =>
        string.Join("\n", Enumerable.Range(start, count).Select(i => JsonSerializer.Serialize(new
        {
            id = $"item-{i}",
            data = new { text = $"Sentence number {i}" },
            provenance = new { source = "tests", licence = "CC-BY-4.0", consentBasis = "synthetic" },
            gold = gold && i % 2 == 0 ? new { category = "pos" } : null,
        })));

    public static Task<HttpResponseMessage> UploadAsync(HttpClient client, int projectId, string content, string fileName = "items.jsonl",
        Dictionary<string, string>? fields = null) =>
        UploadAsync(client, projectId, Encoding.UTF8.GetBytes(content), fileName, fields);

    public static async Task<HttpResponseMessage> UploadAsync(HttpClient client, int projectId, byte[] content, string fileName,
        Dictionary<string, string>? fields = null)
    {
        using var form = new MultipartFormDataContent();
        foreach (var (k, v) in fields ?? []) form.Add(new StringContent(v), k);
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", fileName);
        return await client.PostAsync($"/api/projects/{projectId}/imports", form);
    }

    /// Uploads and waits for the background import to end; returns the final import.
    public static Task<JsonElement> ImportAsync(Api requester, int projectId, string content, string fileName = "items.jsonl",
        Dictionary<string, string>? fields = null) =>
        ImportAsync(requester, projectId, Encoding.UTF8.GetBytes(content), fileName, fields);

    public static async Task<JsonElement> ImportAsync(Api requester, int projectId, byte[] content, string fileName,
        Dictionary<string, string>? fields = null)
    {
        var response = await UploadAsync(requester.Http, projectId, content, fileName, fields);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        for (var i = 0; i < 600; i++)
        {
            var import = await requester.GetJsonAsync($"/api/projects/{projectId}/imports/{id}");
            if (import.GetProperty("status").GetString() != "running") return import;
            await Task.Delay(50);
        }
        throw new TimeoutException("The import did not finish.");
    }

    /// A published project with <paramref name="items"/> items.
    public static async Task<int> PublishedAsync(Api requester, int items, object? input = null, bool gold = false)
    {
        var id = await CreateAsync(requester, input);
        var import = await ImportAsync(requester, id, Lines(items, gold: gold));
        Assert.Equal("succeeded", import.GetProperty("status").GetString());
        var currency = JsonSerializer.SerializeToElement(input ?? Input()).GetProperty("currency").GetString()!;
        await FundAsync(requester, 1_000_000m, currency);
        await requester.PostJsonAsync($"/api/projects/{id}/publish");
        return id;
    }

    /// The operator records a payment from the requester's organisation, as publishing needs.
    public static async Task<JsonElement> FundAsync(Api requester, decimal amount, string currency = "USD", string? reference = null)
    {
        var organisation = (await requester.GetJsonAsync("/api/auth/me")).GetProperty("organisation").GetProperty("id").GetInt32();
        var op = await (requester.Operator ?? throw new InvalidOperationException("No operator for this requester's server"))();
        return await op.PostJsonAsync($"/api/admin/organisations/{organisation}/deposits",
            new { amount, currency, reference = reference ?? "test-" + Guid.NewGuid().ToString("n") });
    }

    public static object Answer(string category = "pos") => new { answer = new { category }, activeSeconds = 12.5 };
}
