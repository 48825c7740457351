namespace Fairlabel.Items;

/// One item read from an import file, validated and ready to store.
public sealed record ItemRow(
    string ExternalId, string Data, string? Gold, string Source, string Licence, string ConsentBasis,
    bool PersonalData, bool Minors, string Sensitivity, DateTimeOffset? CollectedAt);

/// Provenance an import applies to lines that do not state their own.
public sealed record ImportDefaults(string? Source, string? Licence, string? ConsentBasis);

/// A problem of an import file: the line (1-based), the column where it applies (1-based, in
/// characters for JSONL, the cell's number for CSV), the field, and what is wrong.
public sealed record LineError(long Line, string Field, string Message)
{
    public int? Column { get; init; }
}

public static class ConsentBases
{
    public static readonly string[] All = ["consent", "contract", "legitimate_interest", "public_domain", "licensed", "synthetic"];
}
