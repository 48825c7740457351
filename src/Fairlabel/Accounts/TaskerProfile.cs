using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fairlabel.Accounts;

/// What a tasker tells about themselves beyond their account's country, languages and expertise
/// domains: the sensitive content categories they accept to be given (none until they choose), and
/// the evidence they offer for an expertise. A table of its own so that the account's row, read on
/// every sign-in, stays as it was.
public sealed class TaskerProfile
{
    public int UserId { get; set; }
    /// Sensitivity categories the tasker accepts items of (an item's every category must be among them).
    public List<string> SensitivityOptIns { get; set; } = [];
    /// Evidence per expertise domain, as the tasker wrote it (plain text, never executed).
    public Dictionary<string, string> ExpertiseEvidence { get; set; } = [];
    public DateTimeOffset UpdatedAt { get; set; }
}

sealed class TaskerProfileConfiguration : IEntityTypeConfiguration<TaskerProfile>
{
    public void Configure(EntityTypeBuilder<TaskerProfile> profile)
    {
        profile.HasKey(p => p.UserId);
        profile.HasOne<User>().WithOne().HasForeignKey<TaskerProfile>(p => p.UserId).OnDelete(DeleteBehavior.Cascade);
        profile.PrimitiveCollection(p => p.SensitivityOptIns);
        // Stored as JSON text on both engines, like the account's lists.
        profile.Property(p => p.ExpertiseEvidence).HasConversion(
            v => System.Text.Json.JsonSerializer.Serialize(v, (System.Text.Json.JsonSerializerOptions?)null),
            v => System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>(v, (System.Text.Json.JsonSerializerOptions?)null) ?? new(),
            new Microsoft.EntityFrameworkCore.ChangeTracking.ValueComparer<Dictionary<string, string>>(
                (a, b) => a!.Count == b!.Count && !a.Except(b).Any(),
                v => v.Aggregate(0, (h, kv) => HashCode.Combine(h, kv.Key.GetHashCode(), kv.Value.GetHashCode())),
                v => new Dictionary<string, string>(v)));
    }
}
