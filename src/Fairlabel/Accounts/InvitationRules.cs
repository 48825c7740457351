using Fairlabel.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fairlabel.Accounts;

public enum InvitationRefusal
{
    None,
    /// The account already accepted this invitation: nothing to do, and nothing done twice.
    AcceptedByYou,
    Revoked,
    Used,
    Expired,
    OtherEmail,
    AlreadyInAnOrganisation,
    OperatorAccount,
}

/// Who may use an invitation, and what a refusal tells them.
public static class InvitationRules
{
    /// Someone signing up with the invitation, as <paramref name="email"/>.
    public static InvitationRefusal ForSignup(Invitation invitation, string email, DateTimeOffset now) =>
        invitation.RevokedAt is not null ? InvitationRefusal.Revoked
        : invitation.AcceptedAt is not null ? InvitationRefusal.Used
        : invitation.ExpiresAt <= now ? InvitationRefusal.Expired
        : !string.Equals(invitation.Email, email, StringComparison.Ordinal) ? InvitationRefusal.OtherEmail
        : InvitationRefusal.None;

    /// A signed-in account accepting the invitation.
    public static InvitationRefusal ForAccount(Invitation invitation, User account, DateTimeOffset now) =>
        invitation.AcceptedById == account.Id && invitation.AcceptedAt is not null ? InvitationRefusal.AcceptedByYou
        : ForSignup(invitation, account.Email, now) is not InvitationRefusal.None and var refusal ? refusal
        : account.Role == Roles.Operator ? InvitationRefusal.OperatorAccount
        : account.OrganisationId is not null ? InvitationRefusal.AlreadyInAnOrganisation
        : InvitationRefusal.None;

    public static ProblemHttpResult Problem(InvitationRefusal refusal) => refusal switch
    {
        InvitationRefusal.Revoked => TypedResults.Problem(title: "Invitation revoked",
            detail: "The organisation's owner withdrew this invitation. Ask them for a new one.", statusCode: 410),
        InvitationRefusal.Used => Problems.Conflict("Invitation already used",
            "An invitation lets one account in, once. Ask the organisation's owner for a new one."),
        InvitationRefusal.Expired => TypedResults.Problem(title: "Invitation expired",
            detail: "Ask the organisation's owner for a new invitation.", statusCode: 410),
        InvitationRefusal.OtherEmail => TypedResults.Problem(title: "Invitation for another email address",
            detail: "Use the email address the invitation was made for.", statusCode: 403),
        InvitationRefusal.AlreadyInAnOrganisation => Problems.Conflict("Already in an organisation",
            "An account belongs to one organisation; this one already does."),
        InvitationRefusal.OperatorAccount => TypedResults.Problem(title: "Operators belong to no organisation",
            detail: "Accept the invitation with a requester or tasker account.", statusCode: 403),
        _ => throw new ArgumentOutOfRangeException(nameof(refusal), refusal, "not a refusal"),
    };

    public static ProblemHttpResult NotFound() => Problems.NotFound("Invitation");
}
