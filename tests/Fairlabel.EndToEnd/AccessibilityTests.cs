using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Fairlabel.EndToEnd;

/// axe-core (from web/node_modules) finds no serious or critical violation on the pages a tasker
/// uses; the same pages fit a 390 px phone screen without sideways scrolling.
[Collection(ServerCollection.Name)]
public sealed class AccessibilityTests(ServerFixture server)
{
    [Fact]
    public async Task Login_tasker_home_and_task_page_have_no_serious_axe_violations()
    {
        var page = await server.NewPageAsync();
        await page.GotoAsync("/login");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Log in to Fairlabel" })).ToBeVisibleAsync();
        await server.ScreenshotAsync(page, "login");
        await AssertNoSeriousViolationsAsync(page, "login");

        await server.LoginAsync(page, ServerFixture.Tasker2);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Projects open to you" })).ToBeVisibleAsync();
        await Expect(page.Locator(".project-card").First).ToBeVisibleAsync();
        await AssertNoSeriousViolationsAsync(page, "tasker home");

        foreach (var project in new[] { "Support ticket routing", "Chatbot answer comparison" })
        {
            await page.GotoAsync("/work");
            await page.GetByRole(AriaRole.Link, new() { Name = $"Start tasks in {project}" }).ClickAsync();
            await Expect(page.Locator("section.task-main")).ToBeVisibleAsync();
            await AssertNoSeriousViolationsAsync(page, $"task page ({project})");
        }
        await server.ScreenshotAsync(page, "task-page-pairwise");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Requester_pages_have_no_serious_axe_violations()
    {
        var page = await server.NewPageAsync();
        await server.LoginAsync(page, ServerFixture.Requester);
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Chatbot answer comparison" })).ToBeVisibleAsync();
        await AssertNoSeriousViolationsAsync(page, "projects");
        await page.GetByRole(AriaRole.Link, new() { Name = "Chatbot answer comparison" }).ClickAsync();
        await Expect(page.GetByTestId("items-table")).ToBeVisibleAsync();
        await AssertNoSeriousViolationsAsync(page, "project page");
        await page.GotoAsync("/projects/new");
        await Expect(page.GetByLabel("Template (JSON)")).ToBeVisibleAsync();
        await server.ScreenshotAsync(page, "requester-new-project");
        await AssertNoSeriousViolationsAsync(page, "new project");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Pages_fit_a_phone_screen()
    {
        var page = await server.NewPageAsync(phone: true);
        await page.GotoAsync("/login");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Log in to Fairlabel" })).ToBeVisibleAsync();
        await AssertFitsAsync(page, "phone-login");

        await server.LoginAsync(page, ServerFixture.Tasker3);
        await Expect(page.Locator(".project-card").First).ToBeVisibleAsync();
        await AssertFitsAsync(page, "phone-tasker-home");

        await page.GetByRole(AriaRole.Link, new() { Name = "Start tasks in Chatbot answer comparison" }).ClickAsync();
        await Expect(page.Locator("section.task-main")).ToBeVisibleAsync();
        // Guidelines start folded on a phone, the task comes first to hand.
        await Expect(page.Locator(".guidelines details")).Not.ToHaveAttributeAsync("open", "");
        await AssertFitsAsync(page, "phone-task-page-pairwise");

        await page.GotoAsync("/work");
        await page.GetByRole(AriaRole.Link, new() { Name = "Start tasks in Support ticket routing" }).ClickAsync();
        await Expect(page.Locator("section.task-main")).ToBeVisibleAsync();
        await AssertFitsAsync(page, "phone-task-page");
        await page.Context.CloseAsync();
    }

    async Task AssertFitsAsync(IPage page, string name)
    {
        await server.ScreenshotAsync(page, name);
        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
        Assert.True(overflow <= 0, $"{name}: the page is {overflow}px wider than the screen");
    }

    async Task AssertNoSeriousViolationsAsync(IPage page, string name)
    {
        var axe = Path.Combine(server.RepositoryRoot, "web", "node_modules", "axe-core", "axe.min.js");
        if (!File.Exists(axe)) throw new InvalidOperationException($"{axe} is missing: run `npm ci` in web/.");
        await page.AddScriptTagAsync(new() { Path = axe });
        var violations = await page.EvaluateAsync<JsonElement>("""
            async () => {
              const result = await axe.run(document, { resultTypes: ['violations'] });
              return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' ' + (n.failureSummary || '').split('\n').join(' ')),
              }));
            }
            """);
        var serious = violations.EnumerateArray()
            .Where(v => v.GetProperty("impact").GetString() is "serious" or "critical")
            .Select(v => v.ToString())
            .ToList();
        Assert.True(serious.Count == 0, $"axe found serious or critical violations on {name}:\n{string.Join("\n", serious)}");
    }
}
