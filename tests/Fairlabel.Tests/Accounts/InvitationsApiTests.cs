using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fairlabel.Tests.Infrastructure;
using P = Fairlabel.Tests.Infrastructure.Projects;
using static Fairlabel.Tests.Infrastructure.Organisations;

namespace Fairlabel.Tests.Accounts;

public abstract class InvitationsApiTests<TServer>(TServer server) : IClassFixture<TServer> where TServer : FairlabelServer
{
    static async Task<List<int>> ProjectIdsAsync(HttpClient client) =>
        [.. (await client.GetFromJsonAsync<JsonElement>("/api/projects")).EnumerateArray().Select(p => p.GetProperty("id").GetInt32())];

    [Fact]
    public async Task A_second_requester_naming_the_same_organisation_never_sees_the_first_ones_projects()
    {
        var name = "FutureCorp " + Guid.NewGuid().ToString("n")[..6];
        var first = await Api.SignUpAsync(server, "requester", organisation: name);
        var project = await P.CreateAsync(first);

        var squatter = await Api.SignUpAsync(server, "requester", organisation: name);
        Assert.NotEqual(await OrganisationOfAsync(first.Http), await OrganisationOfAsync(squatter.Http));
        Assert.DoesNotContain(project, await ProjectIdsAsync(squatter.Http));
        Assert.Equal(HttpStatusCode.NotFound, (await squatter.Http.GetAsync($"/api/projects/{project}")).StatusCode);
        // Naming the organisation's id does not help either: only an invitation lets someone in.
        var browser = new BrowserSession(server);
        var squatterEmail = NewEmail();
        var byId = await browser.Client.PostAsJsonAsync("/api/auth/signup", new
        {
            email = squatterEmail, password = Api.Password, displayName = "Squatter", role = "requester",
            organisationName = name, organisationId = await OrganisationOfAsync(first.Http),
        });
        Assert.Equal(HttpStatusCode.Accepted, byId.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.Client.PostAsJsonAsync("/api/auth/login", new { email = squatterEmail, password = Api.Password })).StatusCode);
        Assert.NotEqual(await OrganisationOfAsync(first.Http), await OrganisationOfAsync(browser.Client));
        Assert.Equal([project], await ProjectIdsAsync(first.Http));
    }

    [Fact]
    public async Task An_invited_address_signs_up_into_the_organisation_and_sees_its_projects()
    {
        var owner = await Api.SignUpAsync(server, "requester");
        var project = await P.CreateAsync(owner);
        var ownerSession = await LogInAsync(server, owner);
        var email = NewEmail();
        var (_, token) = await InvitedAsync(ownerSession, email);
        var org = await OrganisationOfAsync(owner.Http);

        var preview = await new BrowserSession(server).Client.PostAsJsonAsync("/api/invitations/preview", new { token });
        Assert.Equal(email, (await preview.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("email").GetString());

        var invitee = new BrowserSession(server);
        var signup = await SignedUpWithAsync(invitee, email.ToUpperInvariant(), token);
        var me = await signup.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("requester", me.GetProperty("role").GetString());
        Assert.Equal(org, me.GetProperty("organisation").GetProperty("id").GetInt32());
        Assert.Equal([project], await ProjectIdsAsync(invitee.Client));
        Assert.Equal("member", (await invitee.Client.GetFromJsonAsync<JsonElement>("/api/organisation")).GetProperty("role").GetString());

        var members = await ownerSession.Client.GetFromJsonAsync<JsonElement>("/api/organisation/members");
        Assert.Equal([owner.Email, email], members.EnumerateArray().Select(m => m.GetProperty("email").GetString()));
        var invitations = await ownerSession.Client.GetStringAsync("/api/organisation/invitations");
        Assert.Contains("\"accepted\"", invitations);
        Assert.DoesNotContain(token, invitations);                     // the secret is shown once, never listed
        Assert.Equal(1, await CountEventsAsync(server, "invitation.created", org));
        Assert.Equal(1, await CountEventsAsync(server, "invitation.accepted", org));
    }

    [Fact]
    public async Task A_used_revoked_or_misaddressed_invitation_is_refused_and_nothing_changes()
    {
        var owner = await Api.SignUpAsync(server, "requester");
        var ownerSession = await LogInAsync(server, owner);
        var org = await OrganisationOfAsync(owner.Http);

        var email = NewEmail();
        var (_, token) = await InvitedAsync(ownerSession, email);
        var wrongEmail = await SignUpWithAsync(new BrowserSession(server), NewEmail(), token);
        Assert.Equal(HttpStatusCode.Forbidden, wrongEmail.StatusCode);
        Assert.Equal("Invitation for another email address", (await Api.ProblemOf(wrongEmail)).GetProperty("title").GetString());
        Assert.Equal(HttpStatusCode.Accepted, (await SignUpWithAsync(new BrowserSession(server), email, token)).StatusCode);

        // Used: a second account with another address is told so (and the first one's address is taken anyway).
        var again = await SignUpWithAsync(new BrowserSession(server), NewEmail(), token);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("Invitation already used", (await Api.ProblemOf(again)).GetProperty("title").GetString());

        var revokedEmail = NewEmail();
        var (revokedId, revokedToken) = await InvitedAsync(ownerSession, revokedEmail);
        Assert.Equal(HttpStatusCode.NoContent, (await ownerSession.Client.DeleteAsync($"/api/organisation/invitations/{revokedId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await ownerSession.Client.DeleteAsync($"/api/organisation/invitations/{revokedId}")).StatusCode);
        var revoked = await SignUpWithAsync(new BrowserSession(server), revokedEmail, revokedToken);
        Assert.Equal(HttpStatusCode.Gone, revoked.StatusCode);
        Assert.Equal("Invitation revoked", (await Api.ProblemOf(revoked)).GetProperty("title").GetString());

        var unknown = await SignUpWithAsync(new BrowserSession(server), NewEmail(), "fli_forged");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        var asTasker = await SignUpWithAsync(new BrowserSession(server), revokedEmail, revokedToken, role: "tasker");
        Assert.Equal(HttpStatusCode.BadRequest, asTasker.StatusCode);
        Assert.True((await Api.ProblemOf(asTasker)).GetProperty("errors").TryGetProperty("role", out _));

        // No account was made by any refusal, and the organisation has its owner and the one invitee.
        var login = await new BrowserSession(server).Client.PostAsJsonAsync("/api/auth/login", new { email = revokedEmail, password = Api.Password });
        Assert.Equal(HttpStatusCode.Unauthorized, login.StatusCode);
        Assert.Equal(2, (await ownerSession.Client.GetFromJsonAsync<JsonElement>("/api/organisation/members")).GetArrayLength());
        Assert.Equal(1, await CountEventsAsync(server, "invitation.accepted", org));
        Assert.Equal(1, await CountEventsAsync(server, "invitation.revoked", org));
    }

    [Fact]
    public async Task A_signed_in_account_with_the_invited_address_accepts_once()
    {
        var owner = await Api.SignUpAsync(server, "requester");
        var ownerSession = await LogInAsync(server, owner);
        var org = await OrganisationOfAsync(owner.Http);
        var tasker = await Api.SignUpAsync(server, "tasker");
        var (_, token) = await InvitedAsync(ownerSession, tasker.Email, role: "owner");
        var session = await LogInAsync(server, tasker);

        for (var i = 0; i < 2; i++)
        {
            var accepted = await session.Client.PostAsJsonAsync("/api/invitations/accept", new { token });
            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
            Assert.Equal(org, (await accepted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("organisation").GetProperty("id").GetInt32());
        }
        // The session speaks for the new member at once: its claims were issued anew.
        Assert.Equal(HttpStatusCode.OK, (await session.Client.GetAsync("/api/projects")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await session.Client.GetAsync("/api/organisation/members")).StatusCode);
        Assert.Equal(2, (await ownerSession.Client.GetFromJsonAsync<JsonElement>("/api/organisation/members")).GetArrayLength());
        Assert.Equal(1, await CountEventsAsync(server, "invitation.accepted", org));

        // An account already in an organisation cannot take another's invitation.
        var otherOwner = await LogInAsync(server, await Api.SignUpAsync(server, "requester"));
        var (_, second) = await InvitedAsync(otherOwner, tasker.Email);
        var refused = await session.Client.PostAsJsonAsync("/api/invitations/accept", new { token = second });
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal("Already in an organisation", (await Api.ProblemOf(refused)).GetProperty("title").GetString());
        Assert.Equal(org, await OrganisationOfAsync(session.Client));
    }

    [Fact]
    public async Task Only_an_owner_in_a_session_invites_lists_and_revokes()
    {
        var owner = await Api.SignUpAsync(server, "requester");
        var ownerSession = await LogInAsync(server, owner);
        var email = NewEmail();
        var (id, token) = await InvitedAsync(ownerSession, email);
        var member = new BrowserSession(server);
        await SignedUpWithAsync(member, email, token);

        foreach (var refused in new[]
                 {
                     await member.Client.GetAsync("/api/organisation/members"),
                     await member.Client.GetAsync("/api/organisation/invitations"),
                     await InviteAsync(member, NewEmail()),
                     await member.Client.DeleteAsync($"/api/organisation/invitations/{id}"),
                 })
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Contains("owner", (await Api.ProblemOf(refused)).GetProperty("detail").GetString());
        }
        // With the owner's API token: reading is fine, letting someone in is not.
        Assert.Equal(HttpStatusCode.OK, (await owner.Http.GetAsync("/api/organisation/members")).StatusCode);
        var byToken = await owner.Http.PostAsJsonAsync("/api/organisation/invitations", new { email = NewEmail() });
        Assert.Equal(HttpStatusCode.Forbidden, byToken.StatusCode);
        Assert.Contains("API token", (await Api.ProblemOf(byToken)).GetProperty("detail").GetString());
        // Who is asking is judged before what they send.
        var badByToken = await owner.Http.PostAsJsonAsync("/api/organisation/invitations", new { email = "not an email" });
        Assert.Equal(HttpStatusCode.Forbidden, badByToken.StatusCode);

        var bad = await InviteAsync(ownerSession, "not an email", role: "admin");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await Api.ProblemOf(bad)).GetProperty("errors");
        Assert.True(errors.TryGetProperty("email", out _) && errors.TryGetProperty("role", out _), errors.ToString());
        Assert.Equal(HttpStatusCode.Conflict, (await InviteAsync(ownerSession, email)).StatusCode);        // already a member
        var pending = NewEmail();
        await InvitedAsync(ownerSession, pending);
        Assert.Equal(HttpStatusCode.Conflict, (await InviteAsync(ownerSession, pending)).StatusCode);      // one pending at a time

        // Another organisation's owner cannot revoke this one's invitation.
        var stranger = await LogInAsync(server, await Api.SignUpAsync(server, "requester"));
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Client.DeleteAsync($"/api/organisation/invitations/{id}")).StatusCode);
    }
}

public sealed class InvitationsApiOnSqlite(SqliteServer server) : InvitationsApiTests<SqliteServer>(server);
public sealed class InvitationsApiOnPostgres(PostgresServer server) : InvitationsApiTests<PostgresServer>(server);
