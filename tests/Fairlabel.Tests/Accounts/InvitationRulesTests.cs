using Fairlabel.Accounts;

namespace Fairlabel.Tests.Accounts;

public sealed class InvitationRulesTests
{
    static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    static Invitation Pending() => new()
    {
        Id = 1, OrganisationId = 5, Email = "ada@example.org", Role = OrganisationRoles.Member, Hash = "h",
        CreatedAt = Now.AddDays(-1), ExpiresAt = Now.AddDays(6),
    };

    static User Account(string role = Roles.Tasker, int? organisation = null, string email = "ada@example.org") =>
        new() { Id = 9, Email = email, DisplayName = "Ada", Role = role, OrganisationId = organisation };

    [Fact]
    public void A_pending_invitation_is_usable_by_its_address_only()
    {
        Assert.Equal(InvitationRefusal.None, InvitationRules.ForSignup(Pending(), "ada@example.org", Now));
        Assert.Equal(InvitationRefusal.OtherEmail, InvitationRules.ForSignup(Pending(), "eve@example.org", Now));
    }

    [Fact]
    public void Revoked_used_and_expired_invitations_are_refused_whoever_asks()
    {
        var revoked = Pending();
        revoked.RevokedAt = Now.AddHours(-1);
        var used = Pending();
        (used.AcceptedAt, used.AcceptedById) = (Now.AddHours(-1), 77);
        var expired = Pending();
        expired.ExpiresAt = Now;                                     // the expiry itself is too late
        foreach (var (invitation, refusal) in new[]
                 { (revoked, InvitationRefusal.Revoked), (used, InvitationRefusal.Used), (expired, InvitationRefusal.Expired) })
        {
            Assert.Equal(refusal, InvitationRules.ForSignup(invitation, "ada@example.org", Now));
            Assert.Equal(refusal, InvitationRules.ForAccount(invitation, Account(), Now));
        }
    }

    [Fact]
    public void An_account_joins_when_it_is_in_no_organisation_and_not_an_operator()
    {
        Assert.Equal(InvitationRefusal.None, InvitationRules.ForAccount(Pending(), Account(Roles.Tasker), Now));
        Assert.Equal(InvitationRefusal.None, InvitationRules.ForAccount(Pending(), Account(Roles.Requester), Now));
        Assert.Equal(InvitationRefusal.AlreadyInAnOrganisation,
            InvitationRules.ForAccount(Pending(), Account(Roles.Requester, organisation: 3), Now));
        Assert.Equal(InvitationRefusal.OperatorAccount, InvitationRules.ForAccount(Pending(), Account(Roles.Operator), Now));
        Assert.Equal(InvitationRefusal.OtherEmail, InvitationRules.ForAccount(Pending(), Account(email: "eve@example.org"), Now));
    }

    [Fact]
    public void Accepting_again_with_the_account_that_accepted_is_nothing_to_do_even_after_expiry()
    {
        var accepted = Pending();
        (accepted.AcceptedAt, accepted.AcceptedById) = (Now.AddHours(-1), 9);
        Assert.Equal(InvitationRefusal.AcceptedByYou, InvitationRules.ForAccount(accepted, Account(Roles.Requester, organisation: 5), Now));
        Assert.Equal(InvitationRefusal.AcceptedByYou,
            InvitationRules.ForAccount(accepted, Account(Roles.Requester, organisation: 5), Now.AddDays(30)));
        // Someone else with the token is told it is used.
        Assert.Equal(InvitationRefusal.Used, InvitationRules.ForAccount(accepted, new User
        {
            Id = 10, Email = "ada@example.org", DisplayName = "Other", Role = Roles.Tasker,
        }, Now));
    }

    [Fact]
    public void Every_refusal_is_a_problem_with_its_own_title()
    {
        var refusals = Enum.GetValues<InvitationRefusal>().Where(r => r is not (InvitationRefusal.None or InvitationRefusal.AcceptedByYou)).ToList();
        var problems = refusals.Select(InvitationRules.Problem).ToList();
        Assert.All(problems, p => Assert.InRange(p.StatusCode, 403, 410));
        Assert.Equal(refusals.Count, problems.Select(p => p.ProblemDetails.Title).Distinct().Count());
    }
}
