namespace Fairlabel.Quality;

/// <summary>
/// Maps arbitrary string ids to dense integers 0..Count-1 in order of first appearance.
/// The dictionary is touched once per input row; algorithms only ever see the integers.
/// </summary>
internal sealed class IdMap
{
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
    private readonly List<string> _ids = [];

    public int Count => _ids.Count;

    public IReadOnlyList<string> Ids => _ids;

    public int GetOrAdd(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (_index.TryGetValue(id, out var existing))
        {
            return existing;
        }

        _index.Add(id, _ids.Count);
        _ids.Add(id);
        return _ids.Count - 1;
    }

    public bool TryGet(string id, out int index) => _index.TryGetValue(id, out index);

    public static string[] Numbered(int count)
    {
        var ids = new string[count];
        for (var i = 0; i < count; i++)
        {
            ids[i] = i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return ids;
    }
}
