using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fairlabel.Accounts.Sessions;

/// A signed-in browser. The session cookie names it by <see cref="Key"/>; every node checks the
/// row, so ending it here ends it everywhere (docs/decisions/0012-server-side-sessions.md).
public sealed class UserSession
{
    public long Id { get; set; }
    /// Random, carried inside the protected cookie; never shown.
    public required string Key { get; set; }
    public int UserId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    /// Written at most once a minute per session, so a busy browser costs no write per request.
    public DateTimeOffset LastSeenAt { get; set; }
    /// The absolute end: CreatedAt plus the absolute lifetime, however active the session is.
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? EndedAt { get; set; }
    public string? UserAgent { get; set; }
    public string? Address { get; set; }
}

sealed class UserSessionConfiguration : IEntityTypeConfiguration<UserSession>
{
    public void Configure(EntityTypeBuilder<UserSession> session)
    {
        session.ToTable("user_sessions");
        session.HasIndex(s => s.Key).IsUnique();
        session.HasIndex(s => s.UserId);
        session.Property(s => s.Key).HasMaxLength(64);
        session.Property(s => s.UserAgent).HasMaxLength(256);
        session.Property(s => s.Address).HasMaxLength(64);
        session.HasOne<User>().WithMany().HasForeignKey(s => s.UserId);
    }
}
