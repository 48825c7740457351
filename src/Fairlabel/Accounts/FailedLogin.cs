using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fairlabel.Accounts;

/// A wrong password given for an email address, kept for the account's owner to see. Recorded
/// alike whether or not an account has the address, so that a failure costs the same either
/// way; the owner sees those made since the account was created.
public sealed class FailedLogin
{
    public const string AtLogin = "login";
    public const string AtPasswordChange = "password-change";
    /// A sign-up with the address of an existing account (the account is left as it was).
    public const string AtSignup = "signup";
    public static readonly TimeSpan KeptFor = TimeSpan.FromDays(90);

    public long Id { get; set; }
    public required string Email { get; set; }
    public required string Kind { get; set; }
    public DateTimeOffset At { get; set; }
    public string? Address { get; set; }
    public string? UserAgent { get; set; }

    public static FailedLogin Of(HttpContext http, string email, string kind, DateTimeOffset at)
    {
        var agent = http.Request.Headers.UserAgent.ToString();
        return new FailedLogin
        {
            Email = email, Kind = kind, At = at, Address = http.Connection.RemoteIpAddress?.ToString(),
            UserAgent = agent.Length == 0 ? null : agent.Length <= 256 ? agent : agent[..256],
        };
    }
}

sealed class FailedLoginConfiguration : IEntityTypeConfiguration<FailedLogin>
{
    public void Configure(EntityTypeBuilder<FailedLogin> failed)
    {
        failed.ToTable("failed_logins");
        failed.HasIndex(f => new { f.Email, f.At });
        failed.HasIndex(f => f.At);
        failed.Property(f => f.Email).HasMaxLength(320);
        failed.Property(f => f.Kind).HasMaxLength(16);
        failed.Property(f => f.Address).HasMaxLength(64);
        failed.Property(f => f.UserAgent).HasMaxLength(256);
    }
}
