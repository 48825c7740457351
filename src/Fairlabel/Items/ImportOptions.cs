namespace Fairlabel.Items;

/// Limits on what an import may bring in (section "Imports"): a file is refused before it costs
/// the server memory or disk out of proportion to what a project needs.
public sealed class ImportOptions
{
    /// Bytes of one JSONL line or one CSV record (a quoted line break continues the record). A
    /// longer one is an error of its line; the importer never holds more than this of a line.
    public int MaxLineBytes { get; set; } = 1 << 20;

    /// Bytes of a file uploaded through the API; a larger upload is answered 413. Imports from
    /// `fairlabel import` read a local file and have no such limit.
    public long MaxUploadBytes { get; set; } = 256L << 20;
}
