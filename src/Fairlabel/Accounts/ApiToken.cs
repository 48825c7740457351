using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fairlabel.Accounts;

/// A bearer token for scripts. Only its SHA-256 is stored; the token is shown once at creation.
/// What it may do is fixed when it is made (<see cref="ApiTokenGrant"/>).
public sealed class ApiToken
{
    public int Id { get; set; }
    public int UserId { get; set; }
    public User? User { get; set; }
    public required string Name { get; set; }
    public required string Prefix { get; set; }
    public required string Hash { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
    /// Null only for tokens made before tokens expired.
    public DateTimeOffset? ExpiresAt { get; set; }
    /// Only GET and HEAD requests.
    public bool ReadOnly { get; set; }
    /// Only requests about these projects; null for every project the user may reach.
    public List<int>? ProjectIds { get; set; }
}

sealed class ApiTokenConfiguration : IEntityTypeConfiguration<ApiToken>
{
    public void Configure(EntityTypeBuilder<ApiToken> token)
    {
        token.HasIndex(t => t.Hash).IsUnique();
        token.PrimitiveCollection(t => t.ProjectIds);
    }
}

public sealed class ApiTokenOptions
{
    /// The longest a token may live; a token made without an expiry expires after this.
    public TimeSpan MaxLifetime { get; set; } = TimeSpan.FromDays(365);
}
