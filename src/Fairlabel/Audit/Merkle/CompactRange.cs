namespace Fairlabel.Audit.Merkle;

/// The right edge of a growing tree: one hash per perfect subtree of the prefix [0, size), largest
/// first (one per set bit of size). Appending a leaf costs on average one node hash, and the root
/// of the prefix is at most log2(size) more: a whole log is hashed in one pass with constant memory.
public sealed class CompactRange
{
    // Index i holds the perfect subtree of height Heights[i]; heights strictly decrease.
    readonly List<byte[]> _hashes = new(64);
    readonly List<int> _heights = new(64);

    public long Size { get; private set; }

    public void Append(ReadOnlySpan<byte> leafHash)
    {
        var hash = leafHash.ToArray();
        var height = 0;
        // Two subtrees of one height merge into one of the next, as a binary counter carries.
        while (_heights.Count > 0 && _heights[^1] == height)
        {
            MerkleHash.Node(_hashes[^1], hash, hash);
            _hashes.RemoveAt(_hashes.Count - 1);
            _heights.RemoveAt(_heights.Count - 1);
            height++;
        }
        _hashes.Add(hash);
        _heights.Add(height);
        Size++;
    }

    /// MTH(D[0:size]) of RFC 9162: the subtrees folded from the right.
    public byte[] Root()
    {
        if (_hashes.Count == 0) return MerkleHash.EmptyRoot();
        var root = (byte[])_hashes[^1].Clone();
        for (var i = _hashes.Count - 2; i >= 0; i--) MerkleHash.Node(_hashes[i], root, root);
        return root;
    }

    public static byte[] RootOf(IEnumerable<byte[]> leafHashes)
    {
        var range = new CompactRange();
        foreach (var leaf in leafHashes) range.Append(leaf);
        return range.Root();
    }
}
