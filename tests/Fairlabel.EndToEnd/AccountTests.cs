using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Fairlabel.EndToEnd;

[Collection(ServerCollection.Name)]
public sealed class AccountTests(ServerFixture server)
{
    [Fact]
    public async Task A_wrong_password_is_refused_and_a_new_requester_can_sign_up()
    {
        var page = await server.NewPageAsync();
        await page.GotoAsync("/login");
        // An unknown address: a wrong password for a demo account would count towards its lockout.
        await page.GetByLabel("Email").FillAsync("nobody@demo.fairlabel.org");
        await page.GetByLabel("Password").FillAsync("not-the-password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("The email or password is not right.");

        await page.GetByRole(AriaRole.Main).GetByRole(AriaRole.Link, new() { Name = "Sign up" }).ClickAsync();
        await page.GetByLabel("Run labeling projects for my organisation (requester)").CheckAsync();
        var id = Guid.NewGuid().ToString("N")[..8];
        await page.GetByLabel("Your name").FillAsync("Sam Signup");
        await page.GetByLabel("Email").FillAsync($"sam-{id}@example.org");
        await page.GetByLabel("Password").FillAsync("a-long-enough-password");
        await page.GetByLabel("Organisation", new() { Exact = true }).FillAsync($"Signup Lab {id}");
        await server.ScreenshotAsync(page, "signup");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/projects$"));
        await Expect(page.GetByRole(AriaRole.Banner)).ToContainTextAsync($"Signup Lab {id}");
        await Expect(page.GetByText("No projects yet. Create one to start.")).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }
}
