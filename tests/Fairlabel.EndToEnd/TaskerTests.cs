using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Fairlabel.EndToEnd;

[Collection(ServerCollection.Name)]
public sealed class TaskerTests(ServerFixture server)
{
    const string Project = "Support ticket routing";

    [Fact]
    public async Task Tasker_completes_five_tasks_by_keyboard_and_the_export_holds_the_answers()
    {
        var page = await server.NewPageAsync();
        await server.LoginAsync(page, ServerFixture.Tasker1);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Available work" })).ToBeVisibleAsync();
        var card = page.Locator(".project-card", new() { Has = page.GetByRole(AriaRole.Heading, new() { Name = Project }) });
        // Pay, time and hourly rate are shown before starting.
        await Expect(card).ToContainTextAsync("$0.12");
        await Expect(card).ToContainTextAsync("20 s");
        await Expect(card).ToContainTextAsync("$21.60/hour");
        await server.ScreenshotAsync(page, "tasker-home");

        await page.GetByRole(AriaRole.Link, new() { Name = $"Start tasks in {Project}" }).ClickAsync();
        var items = new List<string>();
        for (var n = 1; n <= 5; n++)
        {
            var task = page.Locator("section.task-main");
            await Expect(task).ToBeVisibleAsync();
            var item = await task.GetAttributeAsync("data-item") ?? throw new InvalidOperationException("no item id");
            Assert.DoesNotContain(item, items);
            items.Add(item);
            await Expect(page.GetByTestId("task-pay")).ToHaveTextAsync("$0.12");
            if (n == 1) await server.ScreenshotAsync(page, "task-page");

            await page.Keyboard.PressAsync("1");
            await Expect(task.GetByRole(AriaRole.Radio, new() { Name = "Billing" })).ToBeCheckedAsync();
            await page.Keyboard.PressAsync("Enter");
            await Expect(page.GetByTestId("session-done")).ToHaveTextAsync(new Regex($"^{n}\\b"));
            if (n < 5) await Expect(page.Locator($"section.task-main:not([data-item='{item}'])")).ToBeVisibleAsync();
        }
        await Expect(page.GetByTestId("save-state")).ToHaveTextAsync("Saved");
        await server.ScreenshotAsync(page, "task-page-after-five");
        await page.Context.CloseAsync();

        // The requester downloads the JSONL export through the UI.
        var requester = await server.NewPageAsync();
        await server.LoginAsync(requester, ServerFixture.Requester);
        await requester.GetByRole(AriaRole.Link, new() { Name = Project }).ClickAsync();
        await Expect(requester.GetByRole(AriaRole.Heading, new() { Name = "Progress" })).ToBeVisibleAsync();
        await server.ScreenshotAsync(requester, "requester-project-progress");

        // The quality panel shows the question's agreement and the tasker who answered.
        var quality = requester.GetByTestId("quality-panel");
        await Expect(quality.GetByRole(AriaRole.Heading, new() { Name = "Quality" })).ToBeVisibleAsync();
        var question = quality.Locator("[data-question='category']");
        await Expect(question).ToContainTextAsync("Which team should handle this ticket?");
        await Expect(question).ToContainTextAsync("Majority vote");
        var tasker = quality.GetByTestId("quality-taskers").Locator("tbody tr", new() { HasText = "Amina Njoroge" });
        await Expect(tasker).ToContainTextAsync("Kenya");
        await Expect(tasker.Locator("td").Nth(1)).ToHaveTextAsync(new Regex(@"^\d+$"));
        await Expect(requester.GetByTestId("aggregation")).ToHaveTextAsync(new Regex("^Label aggregation: Automatic"));
        await quality.ScrollIntoViewIfNeededAsync();
        await server.ScreenshotAsync(requester, "requester-quality");
        await quality.ScreenshotAsync(new() { Path = Path.Combine(server.ScreenshotDir, "requester-quality-panel.png") });
        await requester.SetViewportSizeAsync(390, 844);
        await Expect(question).ToBeVisibleAsync();
        await quality.ScreenshotAsync(new() { Path = Path.Combine(server.ScreenshotDir, "requester-quality-390.png") });
        await requester.SetViewportSizeAsync(1280, 900);
        var download = await requester.RunAndWaitForDownloadAsync(() => requester.GetByTestId("export-jsonl").ClickAsync());
        var path = await download.PathAsync();
        var rows = File.ReadAllLines(path).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement).ToList();

        var answers = rows
            .Where(r => items.Contains(r.GetProperty("item_id").ToString()))
            .SelectMany(r => r.GetProperty("answers").EnumerateArray().Select(a => (Item: r.GetProperty("item_id").ToString(), Answer: a)))
            .ToList();
        Assert.Equal(5, answers.Count);
        Assert.Equal(items.Order(), answers.Select(a => a.Item).Order());
        Assert.All(answers, a => Assert.Equal("billing", a.Answer.GetProperty("answer").GetProperty("category").GetString()));
        Assert.Single(answers.Select(a => a.Answer.GetProperty("tasker").GetString()).Distinct());
        await requester.Context.CloseAsync();
    }
}
