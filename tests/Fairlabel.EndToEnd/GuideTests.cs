using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Fairlabel.EndToEnd;

/// Walks the pages each page of the user guide (docs/guide/) shows, and checks what they show.
/// With FAIRLABEL_GUIDE_SCREENSHOTS=1 it also saves the guide's pictures into docs/guide/images
/// (or into the directory the variable names); without it, no file is written, so an ordinary
/// test run never rewrites the docs.
[Collection(ServerCollection.Name)]
public sealed class GuideTests(ServerFixture server)
{
    // The demo's comparison project: no other test answers in it, so answers given here change no
    // other test's counts.
    const string Comparison = "Chatbot answer comparison";
    const string Tickets = "Support ticket routing";

    const string Reviews = """
        {"id": "review-1", "data": {"text": "Arrived quickly and works as described."}, "provenance": {"source": "guide-examples", "licence": "CC0-1.0", "consentBasis": "synthetic"}}
        {"id": "review-2", "data": {"text": "The strap broke after a week."}, "provenance": {"source": "guide-examples", "licence": "CC0-1.0", "consentBasis": "synthetic"}}
        {"id": "review-3", "data": {"text": "Fine for the price."}, "provenance": {"source": "guide-examples", "licence": "CC0-1.0", "consentBasis": "synthetic"}}
        """;

    [Fact]
    public async Task Tasker_guide_home_task_page_and_earnings()
    {
        var page = await GuidePageAsync();
        await page.GotoAsync("/login");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Log in to Fairlabel" })).ToBeVisibleAsync();
        await ShowAsync(page, "login");

        await server.LoginAsync(page, ServerFixture.Tasker3);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Available work" })).ToBeVisibleAsync();
        var card = Card(page, Comparison);
        await Expect(card).ToContainTextAsync("Estimated hourly rate");
        await Expect(card).ToContainTextAsync("Tasks available");
        await ShowAsync(page, "tasker-home");

        await page.GetByRole(AriaRole.Link, new() { Name = $"Start tasks in {Comparison}" }).ClickAsync();
        var task = page.Locator("section.task-main");
        await Expect(task).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Guidelines" })).ToBeVisibleAsync();
        await Expect(page.GetByText("Which response is better overall?")).ToBeVisibleAsync();
        var done = await DoneCountAsync(page);
        await page.Keyboard.PressAsync("a");
        await page.Keyboard.PressAsync("2");
        await Expect(task.GetByRole(AriaRole.Radio, new() { Name = "A is better" })).ToBeCheckedAsync();
        await Expect(task.GetByRole(AriaRole.Radio, new() { Name = "Clearly" })).ToBeCheckedAsync();
        await ShowAsync(page, "tasker-task");

        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByTestId("session-done")).ToHaveTextAsync(new Regex($"^{done + 1}\\b"));
        await Expect(page.GetByTestId("save-state")).ToHaveTextAsync("Saved");
        await ShowAsync(page, "tasker-task-saved");

        await page.GetByRole(AriaRole.Link, new() { Name = "← Projects" }).ClickAsync();
        var earnings = page.Locator("section.earnings");
        await Expect(earnings).ToContainTextAsync("pending for");
        await ShowAsync(page, "tasker-earnings", earnings);

        await page.SetViewportSizeAsync(390, 844);
        await page.GetByRole(AriaRole.Link, new() { Name = $"Start tasks in {Tickets}" }).ClickAsync();
        await Expect(task).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Radio, new() { Name = "Billing" })).ToBeVisibleAsync();
        await ShowAsync(page, "tasker-task-phone");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Requester_guide_projects_new_project_import_and_publish()
    {
        var page = await GuidePageAsync();
        await server.LoginAsync(page, ServerFixture.Requester);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Projects", Exact = true })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = Tickets })).ToBeVisibleAsync();
        await ShowAsync(page, "requester-projects");

        await page.GetByRole(AriaRole.Main).GetByRole(AriaRole.Link, new() { Name = "New project" }).ClickAsync();
        var name = "Product review sentiment " + Guid.NewGuid().ToString("N")[..4];
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync(name);
        await page.GetByLabel("Description (shown to taskers)").FillAsync("Is the review positive, neutral or negative?");
        await page.GetByLabel("Pay per task").FillAsync("0.10");
        await page.GetByLabel("Estimated seconds per task").FillAsync("15");
        await Expect(page.GetByTestId("hourly-rate")).ToContainTextAsync("$24.00");
        await page.GetByRole(AriaRole.Button, new() { Name = "Classification" }).ClickAsync();
        await Expect(page.GetByLabel("Template (JSON)")).ToHaveValueAsync(new Regex("single_choice"));
        await page.EvaluateAsync("() => window.scrollTo(0, 0)");
        await ShowAsync(page, "requester-new-project");

        await page.GetByRole(AriaRole.Button, new() { Name = "Create project" }).ClickAsync();
        await page.WaitForURLAsync(new Regex(@"/projects/\d+$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = name })).ToBeVisibleAsync();
        await page.GetByLabel("File (.jsonl or .csv)").SetInputFilesAsync(new FilePayload
        {
            Name = "reviews.jsonl", MimeType = "application/x-ndjson", Buffer = Encoding.UTF8.GetBytes(Reviews),
        });
        await page.GetByRole(AriaRole.Button, new() { Name = "Upload and import" }).ClickAsync();
        await Expect(page.GetByTestId("import-status")).ToContainTextAsync("3 inserted");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Items (3)" })).ToBeVisibleAsync();
        await page.EvaluateAsync("() => window.scrollBy(0, document.getElementById('import-title').getBoundingClientRect().top - 32)");
        await ShowAsync(page, "requester-imported");

        await page.GetByRole(AriaRole.Button, new() { Name = "Publish" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Pause" })).ToBeVisibleAsync();

        await page.GotoAsync("/projects");
        await page.GetByRole(AriaRole.Link, new() { Name = Tickets }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Progress" })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("export-jsonl")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("export-csv")).ToBeVisibleAsync();
        await ShowAsync(page, "requester-project");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Reviewer_guide_agreement_and_taskers_of_a_project()
    {
        // Two taskers answer the same comparisons (a node hands items out in import order), not
        // always alike, so the project has items with two answers and the report measures how
        // far they agree (answers all alike leave Krippendorff's alpha undefined).
        foreach (var (tasker, choices) in new[] { (ServerFixture.Tasker2, "aba"), (ServerFixture.Tasker3, "abb") })
        {
            var work = await server.NewPageAsync();
            await server.LoginAsync(work, tasker);
            await work.GetByRole(AriaRole.Link, new() { Name = $"Start tasks in {Comparison}" }).ClickAsync();
            foreach (var choice in choices) await AnswerComparisonAsync(work, choice.ToString());
            await work.Context.CloseAsync();
        }

        var page = await GuidePageAsync();
        await server.LoginAsync(page, ServerFixture.Requester);
        await page.GetByRole(AriaRole.Link, new() { Name = Comparison }).ClickAsync();
        var quality = page.GetByTestId("quality-panel");
        var question = quality.Locator("[data-question='preference']");
        await Expect(question).ToContainTextAsync("Which response is better overall?");
        await Expect(question.GetByTestId("alpha")).ToHaveTextAsync(new Regex(@"^-?\d"));
        var taskers = quality.GetByTestId("quality-taskers");
        await Expect(taskers).ToContainTextAsync("Paolo Reyes");
        await Expect(taskers).ToContainTextAsync("Beatriz Lima");
        await quality.ScrollIntoViewIfNeededAsync();
        await ShowAsync(page, "reviewer-quality", quality);

        var items = page.GetByTestId("items-table");
        await Expect(items.Locator("tbody tr").First.Locator("td").Last).ToHaveTextAsync(new Regex(@"^[1-9]"));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Operator_guide_console_and_api_reference()
    {
        var page = await GuidePageAsync();
        await server.LoginAsync(page, "operator@demo.fairlabel.org");
        await Expect(page).ToHaveURLAsync(new Regex("/operator$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Operator" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "API reference" })).ToBeVisibleAsync();
        await ShowAsync(page, "operator-home");

        await page.GotoAsync("/api/reference");
        // The reference lists every operation; which tag opens first follows the order endpoints are mapped.
        await Expect(page.GetByRole(AriaRole.Link, new() { NameRegex = new Regex("^(get|post|put|delete) ") }).First)
            .ToBeVisibleAsync(new() { Timeout = 30_000 });
        await ShowAsync(page, "operator-api-reference");
        await page.Context.CloseAsync();
    }

    static ILocator Card(IPage page, string project) =>
        page.Locator(".project-card", new() { Has = page.GetByRole(AriaRole.Heading, new() { Name = project }) });

    /// Prefers response A or B ("a", "b") "clearly" and submits, all by keyboard; waits until the
    /// next task is shown.
    static async Task AnswerComparisonAsync(IPage page, string choice)
    {
        var task = page.Locator("section.task-main");
        await Expect(task).ToBeVisibleAsync();
        var item = await task.GetAttributeAsync("data-item");
        var done = await DoneCountAsync(page);
        await page.Keyboard.PressAsync(choice);
        await page.Keyboard.PressAsync("2");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByTestId("session-done")).ToHaveTextAsync(new Regex($"^{done + 1}\\b"));
        await Expect(page.Locator($"section.task-main:not([data-item='{item}'])")).ToBeVisibleAsync();
    }

    static async Task<int> DoneCountAsync(IPage page)
    {
        var text = await page.GetByTestId("session-done").TextContentAsync() ?? "";
        return int.Parse(Regex.Match(text, @"^\d+").Value);
    }

    /// A desktop page at the guide's picture size.
    async Task<IPage> GuidePageAsync()
    {
        var page = await server.NewPageAsync();
        await page.SetViewportSizeAsync(1280, 800);
        return page;
    }

    /// Saves what the page (or one part of it) shows as a picture of the guide, when asked to.
    async Task ShowAsync(IPage page, string name, ILocator? part = null)
    {
        if (GuideImages() is not { } directory) return;
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, name + ".png");
        if (part is null) await page.ScreenshotAsync(new() { Path = path });
        else await part.ScreenshotAsync(new() { Path = path });
    }

    string? GuideImages() => Environment.GetEnvironmentVariable("FAIRLABEL_GUIDE_SCREENSHOTS") switch
    {
        null or "" or "0" => null,
        "1" => Path.Combine(server.RepositoryRoot, "docs", "guide", "images"),
        var directory => Path.GetFullPath(directory),
    };
}
