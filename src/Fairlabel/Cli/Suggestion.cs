namespace Fairlabel.Cli;

/// The name a mistyped option or command most likely meant, for "did you mean …?".
public static class Suggestion
{
    /// The closest of <paramref name="names"/> within a few edits of <paramref name="typed"/>, or null.
    public static string? Closest(string typed, IEnumerable<string> names)
    {
        var allowed = Math.Max(2, typed.TrimStart('-').Length / 3);
        return names.Select(n => (Name: n, Distance: Distance(typed, n)))
            .Where(c => c.Distance <= allowed)
            .OrderBy(c => c.Distance).ThenBy(c => c.Name, StringComparer.Ordinal)
            .Select(c => c.Name).FirstOrDefault();
    }

    /// Levenshtein distance: insertions, deletions and substitutions.
    public static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        var current = new int[b.Length + 1];
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1], previous[j]) + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
