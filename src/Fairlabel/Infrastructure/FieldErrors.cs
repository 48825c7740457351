namespace Fairlabel.Infrastructure;

/// Validation messages keyed by the path of the offending field (`questions[2].options`), the
/// shape of the `errors` member of a validation problem.
public sealed class FieldErrors
{
    // Made on the first error: most bodies are valid, and the submit path checks every answer.
    Dictionary<string, List<string>>? _byPath;

    public bool Any => _byPath is { Count: > 0 };
    public int Count => _byPath?.Count ?? 0;

    public void Add(string path, string message)
    {
        _byPath ??= new(StringComparer.Ordinal);
        if (!_byPath.TryGetValue(path, out var messages)) _byPath[path] = messages = [];
        messages.Add(message);
    }

    public IEnumerable<(string Path, string Message)> All =>
        (_byPath ?? []).SelectMany(kv => kv.Value.Select(m => (kv.Key, m)));

    public Dictionary<string, string[]> ToDictionary() =>
        (_byPath ?? []).ToDictionary(kv => kv.Key, kv => kv.Value.ToArray());
}
