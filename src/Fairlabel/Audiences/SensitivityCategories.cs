namespace Fairlabel.Audiences;

/// Sensitivity categories name the kinds of content an item holds that a tasker must choose to
/// see (violence, self_harm...). An item's categories are stored as one text, separated by ';'.
public static class SensitivityCategories
{
    public static bool IsName(string s) =>
        s.Length is > 0 and <= 40 && s.All(c => char.IsAsciiLetterLower(c) || c == '_' || char.IsAsciiDigit(c));

    /// The categories of an item's stored text, each once, in order: the same set is the same text.
    public static string[] Of(string stored) =>
        stored.Length == 0 ? [] : stored.Split(';', StringSplitOptions.RemoveEmptyEntries).Distinct().Order(StringComparer.Ordinal).ToArray();
}
