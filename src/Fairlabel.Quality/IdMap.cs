using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Fairlabel.Quality;

/// <summary>
/// Maps arbitrary string ids to dense integers 0..Count-1 in order of first appearance.
/// The map is touched at most once per input row; algorithms only ever see the integers.
/// </summary>
/// <remarks>
/// Mapping is the per-answer cost of every method that starts from strings, so it is built for
/// it: a row whose id equals the previous row's gets the same index without hashing (exports are
/// usually grouped by item or by worker); a map of a few ids (labels) is searched linearly; other
/// ids go through an open-addressing table keyed by a per-process seeded hash of the id's UTF-16
/// bytes, read 8 bytes at a time. Should probing ever get long (ids crafted to collide), the map
/// moves to <see cref="Dictionary{TKey,TValue}"/>, whose string hashing is randomised.
/// The indices, and therefore every result, never depend on the hash.
/// </remarks>
internal sealed class IdMap
{
    private const int ScanLimit = 8;
    private const int MaxProbe = 64;
    private const int FrontSize = 64;
    private static readonly ulong Seed = (ulong)Random.Shared.NextInt64() | 1;

    private string[] _ids;
    private int[] _hashes;
    private ulong[] _slots; // per slot (hash << 32) | (index + 1), 0 = empty; length a power of two
    private int _count;
    private Dictionary<string, int>? _fallback;
    private readonly string?[] _front = new string?[FrontSize];
    private readonly int[] _frontIndex = new int[FrontSize];
    private string? _last;
    private int _lastIndex;

    public IdMap(int capacity = 0)
    {
        capacity = Math.Max(capacity, 4);
        _ids = new string[capacity];
        _hashes = new int[capacity];
        _slots = new ulong[(int)BitOperations.RoundUpToPowerOf2((uint)capacity * 2)];
    }

    public int Count => _count;

    public IReadOnlyList<string> Ids => new ArraySegment<string>(_ids, 0, _count);

    /// <summary>The ids by index, as a new array.</summary>
    public string[] ToArray() => _ids.AsSpan(0, _count).ToArray();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int GetOrAdd(string id)
    {
        // Same id as the previous row (string.Equals checks reference equality first).
        if (_last is not null && string.Equals(id, _last))
        {
            return _lastIndex;
        }

        ArgumentNullException.ThrowIfNull(id);
        var index = GetOrAddSlow(id, id);
        _last = id;
        _lastIndex = index;
        return index;
    }

    /// <summary><see cref="GetOrAdd(string)"/> for an id still in the input's buffer: a string is made only for a new id.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int GetOrAdd(ReadOnlySpan<char> id)
    {
        if (_last is not null && id.SequenceEqual(_last))
        {
            return _lastIndex;
        }

        var index = GetOrAddUncached(id);
        _last = _ids[index];
        _lastIndex = index;
        return index;
    }

    /// <summary><see cref="GetOrAdd(string)"/> without the previous-row shortcut, for callers that keep their own.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int GetOrAddUncached(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return TryFirstProbe(id, out var index) ? index : GetOrAddSlow(id, id);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int GetOrAddUncached(ReadOnlySpan<char> id) =>
        TryFirstProbe(id, out var index) ? index : GetOrAddSlow(id, null);

    // Inlined fast path: a hashed map whose first probe holds the id.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool TryFirstProbe(ReadOnlySpan<char> id, out int index)
    {
        if (_count > ScanLimit && _fallback is null)
        {
            var hash = Hash(id);
            var slots = _slots;
            var entry = slots[hash & (slots.Length - 1)];
            if (entry != 0 && (int)(entry >> 32) == hash)
            {
                index = (int)(uint)entry - 1;
                if (id.SequenceEqual(_ids[index]))
                {
                    return true;
                }
            }
        }

        index = -1;
        return false;
    }

    public bool TryGet(string id, out int index)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (_fallback is not null)
        {
            return _fallback.TryGetValue(id, out index);
        }

        var hash = Hash(id);
        var mask = _slots.Length - 1;
        for (var slot = hash & mask; ; slot = (slot + 1) & mask)
        {
            var entry = _slots[slot];
            if (entry == 0)
            {
                index = -1;
                return false;
            }

            if ((int)(entry >> 32) == hash && string.Equals(_ids[(int)(uint)entry - 1], id))
            {
                index = (int)(uint)entry - 1;
                return true;
            }
        }
    }

    // `original` is the id as a string when the caller has one, so a new id is not copied.
    private int GetOrAddSlow(ReadOnlySpan<char> id, string? original)
    {
        if (_count <= ScanLimit)
        {
            // A few ids (labels), looked up in random order: a direct-mapped cache on the length
            // and the first and last characters answers most rows with one predictable compare.
            var key = id.Length == 0 ? 0 : (id[0] ^ (id[^1] * 7) ^ (id.Length * 13)) & (FrontSize - 1);
            var cached = _front[key];
            if (cached is not null && id.SequenceEqual(cached))
            {
                return _frontIndex[key];
            }

            var ids = _ids;
            for (var x = 0; x < _count; x++)
            {
                if (id.SequenceEqual(ids[x]))
                {
                    _front[key] = ids[x];
                    _frontIndex[key] = x;
                    return x;
                }
            }

            if (_count < ScanLimit)
            {
                original ??= new string(id);
                _front[key] = original;
                _frontIndex[key] = _count;
            }
        }

        if (_fallback is not null)
        {
            var lookup = _fallback.GetAlternateLookup<ReadOnlySpan<char>>();
            if (lookup.TryGetValue(id, out var known))
            {
                return known;
            }

            var added = Append(original ?? new string(id), 0);
            _fallback.Add(_ids[added], added);
            return added;
        }

        var hash = Hash(id);
        var mask = _slots.Length - 1;
        var slot = hash & mask;
        for (var probe = 0; ; probe++, slot = (slot + 1) & mask)
        {
            var entry = _slots[slot];
            if (entry == 0)
            {
                break;
            }

            if ((int)(entry >> 32) == hash && id.SequenceEqual(_ids[(int)(uint)entry - 1]))
            {
                return (int)(uint)entry - 1;
            }

            if (probe == MaxProbe)
            {
                SwitchToDictionary();
                return GetOrAddSlow(id, original);
            }
        }

        var index = Append(original ?? new string(id), hash);
        _slots[slot] = Entry(hash, index);
        if (_count * 2 > _slots.Length)
        {
            Rehash();
        }

        return index;
    }

    private int Append(string id, int hash)
    {
        if (_count == _ids.Length)
        {
            Array.Resize(ref _ids, _ids.Length * 2);
            Array.Resize(ref _hashes, _hashes.Length * 2);
        }

        _ids[_count] = id;
        _hashes[_count] = hash;
        return _count++;
    }

    private void Rehash()
    {
        var slots = new ulong[_slots.Length * 2];
        var mask = slots.Length - 1;
        for (var index = 0; index < _count; index++)
        {
            var slot = _hashes[index] & mask;
            while (slots[slot] != 0)
            {
                slot = (slot + 1) & mask;
            }

            slots[slot] = Entry(_hashes[index], index);
        }

        _slots = slots;
    }

    private static ulong Entry(int hash, int index) => ((ulong)(uint)hash << 32) | (uint)(index + 1);

    private void SwitchToDictionary()
    {
        _fallback = new Dictionary<string, int>(_count * 2, StringComparer.Ordinal);
        for (var index = 0; index < _count; index++)
        {
            _fallback.Add(_ids[index], index);
        }

        _slots = [];
    }

    /// <summary>A seeded multiply–xorshift hash of the id's UTF-16 code units, non-negative.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Hash(ReadOnlySpan<char> id)
    {
        var bytes = MemoryMarshal.AsBytes(id);
        var h = Seed ^ ((ulong)bytes.Length * 0x9E3779B97F4A7C15UL);
        while (bytes.Length >= 8)
        {
            h = (h ^ BinaryPrimitives.ReadUInt64LittleEndian(bytes)) * 0xFF51AFD7ED558CCDUL;
            h ^= h >> 32;
            bytes = bytes[8..];
        }

        if (bytes.Length > 0)
        {
            // 2, 4 or 6 bytes left: zero-extend (the length is already in h).
            ulong tail = bytes.Length >= 4 ? BinaryPrimitives.ReadUInt32LittleEndian(bytes) : 0UL;
            if ((bytes.Length & 2) != 0)
            {
                tail |= (ulong)BinaryPrimitives.ReadUInt16LittleEndian(bytes[(bytes.Length - 2)..]) << 32;
            }

            h = (h ^ tail) * 0xFF51AFD7ED558CCDUL;
        }

        h ^= h >> 33;
        h *= 0xC4CEB9FE1A85EC53UL;
        h ^= h >> 29;
        return (int)(h & 0x7FFFFFFF);
    }

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
