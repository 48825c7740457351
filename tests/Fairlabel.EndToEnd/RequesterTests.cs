using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Fairlabel.EndToEnd;

[Collection(ServerCollection.Name)]
public sealed class RequesterTests(ServerFixture server)
{
    const string GoodItems = """
        {"id": "e2e-1", "data": {"text": "The new release fixed every crash I had. Love it!"}, "provenance": {"source": "e2e-writers", "licence": "CC-BY-4.0", "consentBasis": "synthetic", "personalData": false, "minors": false}}
        {"id": "e2e-2", "data": {"text": "It works, I guess."}, "provenance": {"source": "e2e-writers", "licence": "CC0-1.0", "consentBasis": "synthetic", "personalData": true, "minors": false}}
        {"id": "e2e-3", "data": {"text": "Support never answered my ticket."}, "provenance": {"source": "e2e-writers", "licence": "CC-BY-4.0", "consentBasis": "contract", "personalData": false, "minors": false}}
        """;

    const string BadItems = """
        {"id": "bad-1", "data": {"text": "fine"}, "provenance": {"source": "e2e", "licence": "CC-BY-4.0", "consentBasis": "synthetic"}}
        {"id": "bad-2", "data": {"text": "bad licence"}, "provenance": {"source": "e2e", "licence": "Not-A-Licence", "consentBasis": "synthetic"}}
        """;

    const string OneOptionTemplate = """
        {"fields": [{"id": "text", "type": "text", "label": "Text", "source": "text"}],
         "questions": [{"id": "label", "type": "single_choice", "prompt": "Sentiment", "options": [{"value": "only"}]}]}
        """;

    [Fact]
    public async Task Requester_creates_a_project_imports_a_file_and_sees_items_and_errors()
    {
        var page = await server.NewPageAsync();
        await server.LoginAsync(page, ServerFixture.Requester);
        await Expect(page).ToHaveURLAsync(new Regex("/projects$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Projects", Exact = true })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Support ticket routing" })).ToBeVisibleAsync();
        await server.ScreenshotAsync(page, "requester-projects");

        await page.GetByRole(AriaRole.Main).GetByRole(AriaRole.Link, new() { Name = "New project" }).ClickAsync();
        var name = "E2E sentiment " + Guid.NewGuid().ToString("N")[..6];
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync(name);
        await page.GetByLabel("Description (shown to taskers)").FillAsync("Label the sentiment of short product reviews.");
        await page.GetByLabel("Pay per task").FillAsync("0.25");
        await page.GetByLabel("Estimated seconds per task").FillAsync("30");
        await Expect(page.GetByTestId("hourly-rate")).ToContainTextAsync("$30.00");
        await Expect(page.GetByLabel("Label aggregation")).ToHaveValueAsync("auto");
        await page.GetByLabel("Label aggregation").SelectOptionAsync("mv");
        await Expect(page.GetByTestId("aggregation-hint")).ToContainTextAsync("most common answer");
        await page.GetByLabel("Guidelines (markdown)").FillAsync("# Sentiment\n\nChoose **positive**, **neutral** or **negative**.");

        // The server validates the template and names the path of each problem.
        await page.GetByLabel("Template (JSON)").FillAsync(OneOptionTemplate);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create project" }).ClickAsync();
        await Expect(page.GetByTestId("template-errors")).ToContainTextAsync("questions[0].options");
        await server.ScreenshotAsync(page, "requester-template-error");

        await page.GetByRole(AriaRole.Button, new() { Name = "Classification" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Create project" }).ClickAsync();
        await page.WaitForURLAsync(new Regex(@"/projects/\d+$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = name })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("aggregation")).ToHaveTextAsync("Label aggregation: Majority vote");
        await Expect(page.GetByTestId("quality-empty")).ToHaveTextAsync("Quality figures appear once taskers have answered.");

        await page.GetByLabel("File (.jsonl or .csv)").SetInputFilesAsync(new FilePayload
        {
            Name = "reviews.jsonl", MimeType = "application/x-ndjson", Buffer = Encoding.UTF8.GetBytes(GoodItems),
        });
        await page.GetByRole(AriaRole.Button, new() { Name = "Upload and import" }).ClickAsync();
        var status = page.GetByTestId("import-status");
        await Expect(status).ToContainTextAsync("imported");
        await Expect(status).ToContainTextAsync("3 inserted");
        var items = page.GetByTestId("items-table");
        foreach (var id in new[] { "e2e-1", "e2e-2", "e2e-3" }) await Expect(items).ToContainTextAsync(id);
        await Expect(items).ToContainTextAsync("CC0-1.0");
        await Expect(items).ToContainTextAsync("personal data");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Items (3)" })).ToBeVisibleAsync();
        await server.ScreenshotAsync(page, "requester-project-imported");

        // A file with one bad line is rejected whole, and the table names its line and field.
        await page.GetByLabel("File (.jsonl or .csv)").SetInputFilesAsync(new FilePayload
        {
            Name = "bad.jsonl", MimeType = "application/x-ndjson", Buffer = Encoding.UTF8.GetBytes(BadItems),
        });
        await page.GetByRole(AriaRole.Button, new() { Name = "Upload and import" }).ClickAsync();
        await Expect(status).ToContainTextAsync("rejected");
        var errorRow = page.GetByTestId("import-errors").Locator("tbody tr").First;
        await Expect(errorRow.Locator("td").Nth(0)).ToHaveTextAsync("2");
        await Expect(errorRow.Locator("td").Nth(1)).ToHaveTextAsync("provenance.licence");
        await Expect(errorRow.Locator("td").Nth(2)).ToContainTextAsync("Not-A-Licence");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Items (3)" })).ToBeVisibleAsync();
        await Expect(items).Not.ToContainTextAsync("bad-1");
        await server.ScreenshotAsync(page, "requester-import-errors");

        await page.Context.CloseAsync();
    }
}
