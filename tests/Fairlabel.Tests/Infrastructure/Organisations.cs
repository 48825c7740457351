using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fairlabel.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Fairlabel.Tests.Infrastructure;

/// Owners inviting people into their organisation, in a browser session as the web UI does.
public static class Organisations
{
    public static string NewEmail() => $"invitee-{Guid.NewGuid():n}@example.org";

    /// A signed-in browser session for an account made with <see cref="Api.SignUpAsync(FairlabelServer, string, string?)"/>.
    public static async Task<BrowserSession> LogInAsync(FairlabelServer server, Api user)
    {
        var browser = new BrowserSession(server);
        var login = await browser.Client.PostAsJsonAsync("/api/auth/login", new { email = user.Email, password = Api.Password });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        return browser;
    }

    public static Task<HttpResponseMessage> InviteAsync(BrowserSession owner, string email, string? role = null) =>
        owner.Client.PostAsJsonAsync("/api/organisation/invitations", new { email, role });

    /// Invites and returns the invitation's id and its secret token.
    public static async Task<(int Id, string Token)> InvitedAsync(BrowserSession owner, string email, string? role = null)
    {
        var response = await InviteAsync(owner, email, role);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var invitation = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (invitation.GetProperty("id").GetInt32(), invitation.GetProperty("token").GetString()!);
    }

    public static Task<HttpResponseMessage> SignUpWithAsync(BrowserSession browser, string email, string invitation, string role = "requester") =>
        browser.Client.PostAsJsonAsync("/api/auth/signup",
            new { email, password = Api.Password, displayName = "Invited", role, invitation });

    /// Signs up with the invitation (202: sign-up signs nobody in), then logs the browser in; the
    /// login's answer is the new account's `Me`.
    public static async Task<HttpResponseMessage> SignedUpWithAsync(BrowserSession browser, string email, string invitation)
    {
        Assert.Equal(HttpStatusCode.Accepted, (await SignUpWithAsync(browser, email, invitation)).StatusCode);
        var login = await browser.Client.PostAsJsonAsync("/api/auth/login", new { email, password = Api.Password });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        return login;
    }

    public static async Task<int> CountEventsAsync(FairlabelServer server, string kind, int organisationId)
    {
        using var scope = server.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<FairlabelDb>();
        return await db.Events.CountAsync(e => e.Kind == kind && e.OrganisationId == organisationId);
    }

    public static async Task<int> OrganisationOfAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<JsonElement>("/api/auth/me")).GetProperty("organisation").GetProperty("id").GetInt32();
}
