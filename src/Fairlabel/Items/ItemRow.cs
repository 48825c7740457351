namespace Fairlabel.Items;

/// One item read from an import file, validated and ready to store.
public sealed record ItemRow(
    string ExternalId, string Data, string? Gold, string Source, string Licence, string ConsentBasis,
    bool PersonalData, bool Minors, string Sensitivity, DateTimeOffset? CollectedAt);

/// Provenance an import applies to lines that do not state their own.
public sealed record ImportDefaults(string? Source, string? Licence, string? ConsentBasis);

public static class ConsentBases
{
    public static readonly string[] All = ["consent", "contract", "legitimate_interest", "public_domain", "licensed", "synthetic"];
}
