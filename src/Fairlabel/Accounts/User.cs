using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fairlabel.Accounts;

public static class Roles
{
    public const string Operator = "operator";
    public const string Requester = "requester";
    public const string Tasker = "tasker";
}

public sealed class User
{
    public int Id { get; set; }
    public required string Email { get; set; }
    public required string DisplayName { get; set; }
    public string PasswordHash { get; set; } = "";
    public required string Role { get; set; }

    /// Requesters belong to one organisation; operators and taskers to none.
    public int? OrganisationId { get; set; }
    public Organisation? Organisation { get; set; }
    /// Role inside the organisation: see <see cref="OrganisationRoles"/>.
    public string? OrganisationRole { get; set; }

    // Tasker profile.
    public string? Country { get; set; }
    public List<string> Languages { get; set; } = [];
    public List<string> Expertise { get; set; } = [];

    public DateTimeOffset CreatedAt { get; set; }
}

sealed class UserConfiguration : IEntityTypeConfiguration<User>
{
    public void Configure(EntityTypeBuilder<User> user)
    {
        user.HasIndex(u => u.Email).IsUnique();
        user.Property(u => u.Email).HasMaxLength(320);
        user.Property(u => u.Role).HasMaxLength(16);
        user.Property(u => u.Country).HasMaxLength(2);
        // Small lists stored as JSON text on both engines.
        user.PrimitiveCollection(u => u.Languages);
        user.PrimitiveCollection(u => u.Expertise);
    }
}
