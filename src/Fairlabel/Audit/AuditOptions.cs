namespace Fairlabel.Audit;

public sealed class AuditOptions
{
    /// The checkpoint signing key, a file outside the database (created, mode 600, on first run
    /// when missing). Default: audit-checkpoint.key in the data directory.
    public string? KeyFile { get; set; }

    /// The log's origin line and the key's name, for a key created on first run.
    public string Origin { get; set; } = "fairlabel.local/audit";

    /// How often the tree integrates new entries and a checkpoint is signed.
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// The most entries one integration reads, hashes and stores in one transaction.
    public int IntegrationBatch { get; set; } = 65_536;

    public string KeyPath(IConfiguration configuration) =>
        Path.GetFullPath(KeyFile ?? Path.Combine(configuration["DataDirectory"] ?? "data", "audit-checkpoint.key"));
}
