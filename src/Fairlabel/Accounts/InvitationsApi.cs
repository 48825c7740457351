using System.Security.Claims;
using Fairlabel.Data;
using Fairlabel.Events;
using Fairlabel.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Fairlabel.Accounts;

public sealed record MyOrganisation(int Id, string Name, string Role);
public sealed record MemberView(int Id, string Email, string DisplayName, string Role);
public sealed record InvitationRequest(string? Email, string? Role) : IValidatedBody
{
    string IValidatedBody.InvalidTitle => "The invitation is not valid";

    void IValidatedBody.Validate(FieldErrors errors, IServiceProvider services)
    {
        if (!AccountsApi.EmailPattern().IsMatch(AccountsApi.NormalEmail(Email))) errors.Add("email", "must be an email address");
        if (Role is not null && !OrganisationRoles.IsKnown(Role)) errors.Add("role", "must be 'member' or 'owner'");
    }
}

public sealed record InvitationView(int Id, string Email, string Role, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, string Status);
public sealed record NewInvitation(int Id, string Email, string Role, DateTimeOffset ExpiresAt, string Token);
public sealed record InvitationTokenRequest(string? Token) : IValidatedBody
{
    string IValidatedBody.InvalidTitle => "The request is not valid";

    void IValidatedBody.Validate(FieldErrors errors, IServiceProvider services)
    {
        if (string.IsNullOrWhiteSpace(Token)) errors.Add("token", "is required");
    }
}

public sealed record InvitationPreview(string Organisation, string Email, string Role, DateTimeOffset ExpiresAt);

/// An organisation is joined only by an invitation its owner makes for one email address: at
/// sign-up with the invitation's token, or by accepting it while signed in with that address.
public static class InvitationsApi
{
    public static void MapInvitations(this IEndpointRouteBuilder app)
    {
        var organisation = app.MapGroup("/api/organisation").WithTags("Organisation")
            .RequireAuthorization().RequireAntiforgeryForCookies().ValidateBodies();
        organisation.MapGet("/", Mine).WithSummary("My organisation and my role in it");
        organisation.MapGet("/members", Members).WithSummary("Members of my organisation (owners only)");
        organisation.MapGet("/invitations", ListInvitations).WithSummary("Invitations of my organisation, newest first (owners only)");
        organisation.MapPost("/invitations", Invite).RequireSession("Inviting someone")
            .WithSummary("Invite an email address into my organisation; the token is shown once (owners only)");
        organisation.MapDelete("/invitations/{id:int}", Revoke).RequireSession("Revoking an invitation")
            .WithSummary("Withdraw an invitation not yet used (owners only)");

        var invitations = app.MapGroup("/api/invitations").WithTags("Organisation").RequireAntiforgeryForCookies()
            .ValidateBodies();
        invitations.MapPost("/preview", Preview).WithSummary("The organisation and address an invitation token is for");
        invitations.MapPost("/accept", Accept).RequireAuthorization().RequireSession("Accepting an invitation")
            .WithSummary("Join the inviting organisation with the signed-in account");
    }

    public static void AddInvitations(this WebApplicationBuilder builder) =>
        builder.Services.AddOptions<InvitationOptions>().BindConfiguration("Invitations");

    static async Task<Results<Ok<MyOrganisation>, ProblemHttpResult>> Mine(HttpContext http, FairlabelDb db) =>
        await db.Users.AsNoTracking().Where(u => u.Id == http.User.Id() && u.Organisation != null)
            .Select(u => new MyOrganisation(u.Organisation!.Id, u.Organisation.Name, u.OrganisationRole ?? OrganisationRoles.Member))
            .FirstOrDefaultAsync() is { } mine
            ? TypedResults.Ok(mine)
            : Problems.NotFound("Organisation");

    /// The organisation the signed-in user owns, or null.
    static Task<int?> OwnedOrganisationAsync(FairlabelDb db, ClaimsPrincipal user) =>
        db.Users.AsNoTracking()
            .Where(u => u.Id == user.Id() && u.OrganisationRole == OrganisationRoles.Owner)
            .Select(u => u.OrganisationId).FirstOrDefaultAsync();

    static ProblemHttpResult NotAnOwner() =>
        Problems.Forbidden("Only an owner of the organisation can see its members and manage its invitations.");

    static async Task<Results<Ok<List<MemberView>>, ProblemHttpResult>> Members(HttpContext http, FairlabelDb db)
    {
        if (await OwnedOrganisationAsync(db, http.User) is not { } org) return NotAnOwner();
        return TypedResults.Ok(await db.Users.AsNoTracking().Where(u => u.OrganisationId == org).OrderBy(u => u.Id)
            .Select(u => new MemberView(u.Id, u.Email, u.DisplayName, u.OrganisationRole ?? OrganisationRoles.Member))
            .ToListAsync());
    }

    static async Task<Results<Ok<List<InvitationView>>, ProblemHttpResult>> ListInvitations(
        HttpContext http, FairlabelDb db, TimeProvider clock)
    {
        if (await OwnedOrganisationAsync(db, http.User) is not { } org) return NotAnOwner();
        var now = clock.GetUtcNow();
        var invitations = await db.Invitations.AsNoTracking().Where(i => i.OrganisationId == org)
            .OrderByDescending(i => i.Id).Take(500).ToListAsync();
        return TypedResults.Ok(invitations
            .Select(i => new InvitationView(i.Id, i.Email, i.Role, i.CreatedAt, i.ExpiresAt, i.StatusAt(now))).ToList());
    }

    static async Task<Results<Created<NewInvitation>, ValidationProblem, ProblemHttpResult>> Invite(
        InvitationRequest body, HttpContext http, FairlabelDb db, TimeProvider clock, IOptions<InvitationOptions> options)
    {
        if (await OwnedOrganisationAsync(db, http.User) is not { } org) return NotAnOwner();
        var email = AccountsApi.NormalEmail(body.Email);
        var role = body.Role ?? OrganisationRoles.Member;
        var now = clock.GetUtcNow();
        if (await db.Users.AnyAsync(u => u.OrganisationId == org && u.Email == email))
            return Problems.Conflict("Already a member", "This address belongs to a member of the organisation.");
        if (await db.Invitations.AnyAsync(i => i.OrganisationId == org && i.Email == email &&
                                               i.AcceptedAt == null && i.RevokedAt == null && i.ExpiresAt > now))
            return Problems.Conflict("An invitation for this address is pending", "Revoke it to make a new one.");

        var secret = ApiTokenAuthentication.NewToken(Invitation.TokenPrefix);
        var invitation = new Invitation
        {
            OrganisationId = org, Email = email, Role = role, Hash = ApiTokenAuthentication.Hash(secret),
            InvitedById = http.User.Id(), CreatedAt = now, ExpiresAt = now + options.Value.Lifetime,
        };
        db.Invitations.Add(invitation);
        await db.SaveChangesAsync();
        db.Record("invitation.created", invitation.InvitedById, org,
            data: new { invitationId = invitation.Id, invitation.Email, invitation.Role, invitation.ExpiresAt });
        await db.SaveChangesAsync();
        return TypedResults.Created($"/api/organisation/invitations/{invitation.Id}",
            new NewInvitation(invitation.Id, email, role, invitation.ExpiresAt, secret));
    }

    static async Task<Results<NoContent, ProblemHttpResult>> Revoke(int id, HttpContext http, FairlabelDb db, TimeProvider clock)
    {
        if (await OwnedOrganisationAsync(db, http.User) is not { } org) return NotAnOwner();
        var invitation = await db.Invitations.FirstOrDefaultAsync(i => i.Id == id && i.OrganisationId == org);
        if (invitation is null) return InvitationRules.NotFound();
        if (invitation.AcceptedAt is not null)
            return Problems.Conflict("Invitation already used", "Its account is a member now; an accepted invitation cannot be withdrawn.");
        if (invitation.RevokedAt is not null) return TypedResults.NoContent();   // a repeated revocation changes nothing
        invitation.RevokedAt = clock.GetUtcNow();
        db.Record("invitation.revoked", http.User.Id(), org, data: new { invitationId = id });
        try
        {
            await db.SaveChangesAsync();
        }
        catch (DbUpdateConcurrencyException)
        {
            return Problems.Conflict("Invitation already used", "It was accepted a moment ago.");
        }
        return TypedResults.NoContent();
    }

    static async Task<Results<Ok<InvitationPreview>, ValidationProblem, ProblemHttpResult>> Preview(
        InvitationTokenRequest body, FairlabelDb db, TimeProvider clock)
    {
        var invitation = await FindAsync(db, body.Token!, tracked: false);
        if (invitation is null) return InvitationRules.NotFound();
        // Whoever holds the token may learn what it is for; the address check comes when it is used.
        if (InvitationRules.ForSignup(invitation, invitation.Email, clock.GetUtcNow()) is not InvitationRefusal.None and var refusal)
            return InvitationRules.Problem(refusal);
        return TypedResults.Ok(new InvitationPreview(invitation.Organisation!.Name, invitation.Email, invitation.Role, invitation.ExpiresAt));
    }

    static async Task<Results<Ok<Me>, ValidationProblem, ProblemHttpResult>> Accept(
        InvitationTokenRequest body, HttpContext http, FairlabelDb db, TimeProvider clock)
    {
        var invitation = await FindAsync(db, body.Token!, tracked: true);
        if (invitation is null) return InvitationRules.NotFound();
        var user = await db.Users.AsNoTracking().FirstAsync(u => u.Id == http.User.Id());
        var now = clock.GetUtcNow();
        switch (InvitationRules.ForAccount(invitation, user, now))
        {
            case InvitationRefusal.AcceptedByYou:
                user.Organisation = invitation.Organisation;
                return TypedResults.Ok(AccountsApi.ToMe(user));
            case not InvitationRefusal.None and var refusal:
                return InvitationRules.Problem(refusal);
        }

        var formerRole = user.Role;
        await using var transaction = await db.Database.BeginTransactionAsync();
        // Written with the check in the statement: two invitations accepted at once join one organisation.
        var joined = await db.Users.Where(u => u.Id == user.Id && u.OrganisationId == null).ExecuteUpdateAsync(s => s
            .SetProperty(u => u.OrganisationId, invitation.OrganisationId)
            .SetProperty(u => u.OrganisationRole, invitation.Role)
            .SetProperty(u => u.Role, Roles.Requester));
        if (joined == 0) return InvitationRules.Problem(InvitationRefusal.AlreadyInAnOrganisation);
        invitation.AcceptedAt = now;
        invitation.AcceptedById = user.Id;
        RecordAccepted(db, invitation, user.Id, new { invitationId = invitation.Id, invitation.Role, formerRole, via = "accept" });
        try
        {
            await db.SaveChangesAsync();
        }
        catch (DbUpdateConcurrencyException)
        {
            return InvitationRules.Problem(InvitationRefusal.Used);
        }
        await transaction.CommitAsync();

        user.OrganisationId = invitation.OrganisationId;
        user.Organisation = invitation.Organisation;
        user.OrganisationRole = invitation.Role;
        user.Role = Roles.Requester;
        // The session's claims name the organisation and role: issue them anew.
        await Sessions.SessionCookie.SignInAsync(http, db, user);
        return TypedResults.Ok(AccountsApi.ToMe(user));
    }

    static Task<Invitation?> FindAsync(FairlabelDb db, string token, bool tracked)
    {
        var hash = ApiTokenAuthentication.Hash(token.Trim());
        var invitations = tracked ? db.Invitations : db.Invitations.AsNoTracking();
        return invitations.Include(i => i.Organisation).FirstOrDefaultAsync(i => i.Hash == hash);
    }

    static void RecordAccepted(FairlabelDb db, Invitation invitation, int userId, object data) =>
        db.Record("invitation.accepted", userId, invitation.OrganisationId, data: data);

    /// The invitation a sign-up names, tracked to be accepted with the new account, or its refusal.
    internal static async Task<(Invitation? Invitation, ProblemHttpResult? Refusal)> ForSignupAsync(
        FairlabelDb db, string token, string email, DateTimeOffset now)
    {
        if (await FindAsync(db, token, tracked: true) is not { } invitation) return (null, InvitationRules.NotFound());
        return InvitationRules.ForSignup(invitation, email, now) is not InvitationRefusal.None and var refusal
            ? (null, InvitationRules.Problem(refusal))
            : (invitation, null);
    }

    /// Puts the account being created into the inviting organisation; saved with the account, and
    /// refused whole if the invitation was used or revoked meanwhile (its concurrency tokens).
    internal static void JoinAtSignup(User user, Invitation invitation, DateTimeOffset now)
    {
        user.Organisation = invitation.Organisation;
        user.OrganisationRole = invitation.Role;
        invitation.AcceptedAt = now;
        invitation.AcceptedBy = user;
    }

    internal static void RecordAcceptedAtSignup(FairlabelDb db, Invitation invitation, User user) =>
        RecordAccepted(db, invitation, user.Id, new { invitationId = invitation.Id, invitation.Role, via = "signup" });

    /// Why a sign-up's invitation could not be accepted after all: someone used or revoked it meanwhile.
    internal static async Task<ProblemHttpResult> RefusalAfterRaceAsync(FairlabelDb db, int invitationId)
    {
        var now = await db.Invitations.AsNoTracking().FirstAsync(i => i.Id == invitationId);
        return InvitationRules.Problem(now.RevokedAt is not null ? InvitationRefusal.Revoked : InvitationRefusal.Used);
    }
}
