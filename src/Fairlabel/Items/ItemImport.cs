namespace Fairlabel.Items;

public static class ImportStatus
{
    public const string Running = "running";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
}

/// One file brought into a project; its row is updated as the import progresses.
public sealed class ItemImport
{
    public long Id { get; set; }
    public int ProjectId { get; set; }
    public int? ImportedBy { get; set; }
    public required string FileName { get; set; }
    public required string Format { get; set; }
    public string Status { get; set; } = ImportStatus.Running;
    public long LinesRead { get; set; }
    public long Inserted { get; set; }
    public long Duplicates { get; set; }
    public long BytesRead { get; set; }
    public long TotalBytes { get; set; }
    /// The first problems found, as JSON `[{line, field, message}]`.
    public string Errors { get; set; } = "[]";
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    /// When the node running the import last said it was still at it (every few seconds, with its
    /// progress). A running import silent for long lost its node: the duty leader fails it.
    public DateTimeOffset? AliveAt { get; set; }
}
