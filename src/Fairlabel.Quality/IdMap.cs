using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Fairlabel.Quality;

/// <summary>
/// Maps arbitrary string ids to dense integers 0..Count-1 in order of first appearance.
/// The dictionary is touched at most once per input row; algorithms only ever see the integers.
/// </summary>
/// <remarks>
/// Two shortcuts in front of the dictionary, because real exports are grouped (by item or by
/// worker) and have few distinct labels: a row whose id equals the previous row's gets the same
/// index without hashing, and while the map holds at most <see cref="ScanLimit"/> ids it is
/// searched linearly (string equality on short ids is cheaper than hashing them).
/// </remarks>
internal sealed class IdMap
{
    private const int ScanLimit = 8;

    private readonly Dictionary<string, int> _index;
    private string[] _ids;
    private int _count;
    private string? _last;
    private int _lastIndex;

    public IdMap(int capacity = 0)
    {
        _index = new Dictionary<string, int>(capacity, StringComparer.Ordinal);
        _ids = new string[Math.Max(capacity, 4)];
    }

    public int Count => _count;

    public IReadOnlyList<string> Ids => new ArraySegment<string>(_ids, 0, _count);

    /// <summary>The ids by index, as a new array.</summary>
    public string[] ToArray() => _ids.AsSpan(0, _count).ToArray();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int GetOrAdd(string id)
    {
        // Same id as the previous row (reference equality is checked first inside string.Equals).
        if (_last is not null && string.Equals(id, _last))
        {
            return _lastIndex;
        }

        return GetOrAddSlow(id);
    }

    private int GetOrAddSlow(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        int index;
        if (_count <= ScanLimit && TryScan(id, out index))
        {
            // Found among the first few ids without hashing.
        }
        else
        {
            ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(_index, id, out var exists);
            if (!exists)
            {
                slot = _count;
                if (_count == _ids.Length)
                {
                    Array.Resize(ref _ids, _ids.Length * 2);
                }

                _ids[_count++] = id;
            }

            index = slot;
        }

        _last = id;
        _lastIndex = index;
        return index;
    }

    private bool TryScan(string id, out int index)
    {
        var ids = _ids;
        for (var x = 0; x < _count; x++)
        {
            if (string.Equals(ids[x], id))
            {
                index = x;
                return true;
            }
        }

        index = -1;
        return false;
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
