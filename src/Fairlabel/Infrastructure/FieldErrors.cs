namespace Fairlabel.Infrastructure;

/// Validation messages keyed by the path of the offending field (`questions[2].options`), the
/// shape of the `errors` member of a validation problem.
public sealed class FieldErrors
{
    readonly Dictionary<string, List<string>> _byPath = new(StringComparer.Ordinal);

    public bool Any => _byPath.Count > 0;
    public int Count => _byPath.Count;

    public void Add(string path, string message)
    {
        if (!_byPath.TryGetValue(path, out var messages)) _byPath[path] = messages = [];
        messages.Add(message);
    }

    public IEnumerable<(string Path, string Message)> All =>
        _byPath.SelectMany(kv => kv.Value.Select(m => (kv.Key, m)));

    public Dictionary<string, string[]> ToDictionary() => _byPath.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray());
}
