using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fairlabel.Accounts;

/// A person's role inside their organisation. Owners manage who belongs to it; every member
/// (owner or not) works on the organisation's projects.
public static class OrganisationRoles
{
    public const string Owner = "owner";
    public const string Member = "member";

    public static bool IsKnown(string? role) => role is Owner or Member;
}

/// An owner's invitation of one email address into their organisation: the only way into an
/// organisation that exists. Its secret is shown once to the owner; only its SHA-256 is stored.
public sealed class Invitation
{
    public int Id { get; set; }
    public int OrganisationId { get; set; }
    public Organisation? Organisation { get; set; }
    public required string Email { get; set; }
    public required string Role { get; set; }
    public required string Hash { get; set; }
    public int InvitedById { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? AcceptedAt { get; set; }
    public int? AcceptedById { get; set; }
    public User? AcceptedBy { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }

    public const string TokenPrefix = "fli_";

    /// The state the invitation is in at <paramref name="now"/>, for the owner's list.
    public string StatusAt(DateTimeOffset now) =>
        RevokedAt is not null ? "revoked" : AcceptedAt is not null ? "accepted" : ExpiresAt <= now ? "expired" : "pending";
}

sealed class InvitationConfiguration : IEntityTypeConfiguration<Invitation>
{
    public void Configure(EntityTypeBuilder<Invitation> invitation)
    {
        invitation.HasIndex(i => i.Hash).IsUnique();
        invitation.HasIndex(i => new { i.OrganisationId, i.Id });
        invitation.Property(i => i.Email).HasMaxLength(320);
        invitation.Property(i => i.Role).HasMaxLength(16);
        invitation.HasOne<User>().WithMany().HasForeignKey(i => i.InvitedById).OnDelete(DeleteBehavior.Restrict);
        invitation.HasOne(i => i.AcceptedBy).WithMany().HasForeignKey(i => i.AcceptedById).OnDelete(DeleteBehavior.Restrict);
        // A second acceptance or a revocation racing an acceptance finds the row changed and fails whole.
        invitation.Property(i => i.AcceptedAt).IsConcurrencyToken();
        invitation.Property(i => i.RevokedAt).IsConcurrencyToken();
    }
}

public sealed class InvitationOptions
{
    /// How long an invitation can be used after the owner made it.
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromDays(7);
}
