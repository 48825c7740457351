using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Fairlabel.EndToEnd;

[Collection(ServerCollection.Name)]
public sealed class ProfileTests(ServerFixture server)
{
    [Fact]
    public async Task A_new_tasker_fills_in_the_profile_by_keyboard_and_a_bad_language_tag_is_named_next_to_its_field()
    {
        var page = await server.NewPageAsync();
        await page.GotoAsync("/signup");
        await page.GetByLabel("Do paid tasks (tasker)").CheckAsync();
        var id = Guid.NewGuid().ToString("N")[..8];
        await page.GetByLabel("Your name").FillAsync("Pat Profile");
        await page.GetByLabel("Email").FillAsync($"pat-{id}@example.org");
        await page.GetByLabel("Password").FillAsync("a-long-enough-password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/work$"));

        await page.GetByRole(AriaRole.Link, new() { Name = "Profile" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Your profile" })).ToBeVisibleAsync();
        // Nothing is accepted until chosen; the demo's projects have no sensitive content to offer.
        await Expect(page.GetByText("No open project has sensitive content right now.")).ToBeVisibleAsync();
        await Expect(page.GetByText("No expertise yet.")).ToBeVisibleAsync();

        await page.GetByLabel("Country").SelectOptionAsync("TZ");
        await page.GetByLabel("Languages").FillAsync("sw, en_GB");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add an expertise" }).ClickAsync();
        await page.GetByLabel("Domain").FillAsync("Medicine");
        await page.GetByLabel("Evidence (optional)").FillAsync("Nurse, <b>10 years</b>");
        await page.Keyboard.PressAsync("Control+Enter");
        await Expect(page.Locator("#pf-languages-error")).ToContainTextAsync("BCP 47");

        await page.GetByLabel("Languages").FillAsync("sw, en-gb");
        await page.Keyboard.PressAsync("Control+Enter");
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Profile saved.");
        await server.ScreenshotAsync(page, "tasker-profile");

        await page.ReloadAsync();
        await Expect(page.GetByLabel("Languages")).ToHaveValueAsync("sw, en-GB");
        await Expect(page.GetByLabel("Country")).ToHaveValueAsync("TZ");
        await Expect(page.GetByLabel("Domain")).ToHaveValueAsync("medicine");
        // The evidence is text, shown as written, never markup.
        await Expect(page.GetByLabel("Evidence (optional)")).ToHaveValueAsync("Nurse, <b>10 years</b>");
        await page.Context.CloseAsync();
    }
}
