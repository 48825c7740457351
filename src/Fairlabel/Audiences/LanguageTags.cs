using System.Text.RegularExpressions;

namespace Fairlabel.Audiences;

/// BCP 47 language tags (RFC 5646): a tag is checked against the standard's grammar and written
/// in its conventional case (`pt-BR`, `zh-Hant-TW`, `sr-Latn`), so that a profile's "PT-br" and
/// an audience's "pt-BR" are the same tag. Whether a subtag is registered is not checked: the
/// registry grows, and an unknown but well-formed tag only matches nobody.
public static partial class LanguageTags
{
    // langtag = language ["-" script] ["-" region] *("-" variant) *("-" extension) ["-" privateuse]
    [GeneratedRegex(
        @"^(?<language>[a-z]{2,3}(-[a-z]{3}){0,3}|[a-z]{4,8})" +
        @"(-(?<script>[a-z]{4}))?" +
        @"(-(?<region>[a-z]{2}|[0-9]{3}))?" +
        @"(-(?<variant>[a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*" +
        @"(-[0-9a-wy-z](-[a-z0-9]{2,8})+)*" +
        @"(-x(-[a-z0-9]{1,8})+)?$",
        RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex Grammar();

    public const int MaxLength = 35;

    /// The tag in its conventional case when it is well formed, else null.
    public static string? Normalise(string? tag)
    {
        if (tag is null || tag.Length is 0 or > MaxLength) return null;
        var lower = tag.Trim().ToLowerInvariant();
        if (!Grammar().IsMatch(lower)) return null;
        var parts = lower.Split('-');
        // Singletons start extensions and private use, after which case rules no longer apply.
        for (var i = 1; i < parts.Length && parts[i].Length > 1; i++)
            parts[i] = parts[i].Length switch
            {
                4 when char.IsAsciiLetter(parts[i][0]) => char.ToUpperInvariant(parts[i][0]) + parts[i][1..],
                2 => parts[i].ToUpperInvariant(),
                _ => parts[i],
            };
        return string.Join('-', parts);
    }

    /// Whether a tasker who speaks <paramref name="spoken"/> speaks <paramref name="wanted"/>: the
    /// same tag, or a more specific one (`pt-BR` speaks `pt`; `pt` does not speak `pt-BR`).
    public static bool Covers(string spoken, string wanted) =>
        spoken.Equals(wanted, StringComparison.OrdinalIgnoreCase) ||
        spoken.Length > wanted.Length && spoken[wanted.Length] == '-' &&
        spoken.StartsWith(wanted, StringComparison.OrdinalIgnoreCase);
}
