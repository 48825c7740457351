using System.Text.Json;
using System.Text.RegularExpressions;

namespace Fairlabel.Items;

/// SPDX licence ids (list version 3.0.24, CC0-1.0), matched without regard to case as SPDX
/// specifies, and stored in their canonical casing.
public static partial class Licences
{
    static readonly Dictionary<string, string> Current = Load("spdx-ids.json");
    static readonly Dictionary<string, string> Deprecated = Load("spdx-deprecated.json");

    [GeneratedRegex("^LicenseRef-[A-Za-z0-9.-]+$")]
    private static partial Regex LicenseRef();

    /// The canonical id, or null when <paramref name="id"/> is not an SPDX licence id.
    public static string? Canonical(string id) =>
        Current.GetValueOrDefault(id) ?? Deprecated.GetValueOrDefault(id) ?? (LicenseRef().IsMatch(id) ? id : null);

    static Dictionary<string, string> Load(string resource)
    {
        using var stream = typeof(Licences).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Missing embedded resource {resource}");
        var ids = JsonSerializer.Deserialize<string[]>(stream)!;
        return ids.ToDictionary(i => i, i => i, StringComparer.OrdinalIgnoreCase);
    }
}
