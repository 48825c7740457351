namespace Fairlabel.Audit.Merkle;

/// A tree kept as tiles, as Trillian Tessera and C2SP tlog-tiles keep theirs: tile (level L,
/// index I) holds up to 256 consecutive hashes at height 8·L, those of nodes 256·I … 256·I+255.
/// A full tile's root is one hash of the tile above. Any perfect subtree is then read from one
/// tile and at most 255 node hashes, so proofs read O(log n) tiles and never rehash the log;
/// the store holds about n/256 rows.
public sealed class TiledTree(Func<int, long, byte[]?> loadTile) : IPerfectSubtrees
{
    public const int Width = 256;
    public const int HeightPerLevel = 8;
    readonly Dictionary<(int, long), byte[]> _tiles = [];

    public byte[] Hash(int height, long index)
    {
        var level = height / HeightPerLevel;
        var within = height % HeightPerLevel;
        var first = index << within;
        var tileIndex = first / Width;
        var offset = (int)(first % Width);
        if (!_tiles.TryGetValue((level, tileIndex), out var tile))
            _tiles[(level, tileIndex)] = tile = loadTile(level, tileIndex) ?? [];
        if (tile.Length < (offset + (1 << within)) * MerkleHash.Size)
            throw new InvalidDataException($"Tile {level}/{tileIndex} holds {tile.Length / MerkleHash.Size} hashes; node {height}/{index} needs more.");
        return HashWithin(tile, offset, within);
    }

    /// The root of the 2^height hashes of <paramref name="tile"/> from <paramref name="offset"/>.
    public static byte[] HashWithin(ReadOnlySpan<byte> tile, int offset, int height)
    {
        if (height == 0) return tile.Slice(offset * MerkleHash.Size, MerkleHash.Size).ToArray();
        var half = 1 << (height - 1);
        return MerkleHash.Node(HashWithin(tile, offset, height - 1), HashWithin(tile, offset + half, height - 1));
    }

    /// Appends leaf hashes to a tree of <paramref name="size"/> leaves and returns every tile that
    /// changed, whole. <paramref name="loadTile"/> gives the stored tiles on the right edge (the
    /// only ones that can grow); a stored tile of the wrong length means the store is inconsistent.
    public static Dictionary<(int Level, long Index), byte[]> Append(long size, IReadOnlyList<byte[]> leafHashes, Func<int, long, byte[]?> loadTile)
    {
        var open = new Dictionary<(int, long), (byte[] Data, int Count)>();
        for (var i = 0; i < leafHashes.Count; i++) Add(0, size + i, leafHashes[i]);
        return open.ToDictionary(t => t.Key, t => t.Value.Data[..(t.Value.Count * MerkleHash.Size)]);

        void Add(int level, long nodeIndex, byte[] hash)
        {
            var key = (level, nodeIndex / Width);
            var position = (int)(nodeIndex % Width);
            if (!open.TryGetValue(key, out var tile))
            {
                var stored = loadTile(level, key.Item2) ?? [];
                if (stored.Length != position * MerkleHash.Size)
                    throw new InvalidDataException($"Tile {level}/{key.Item2} holds {stored.Length / MerkleHash.Size} hashes; the tree's size says {position}.");
                tile = (new byte[Width * MerkleHash.Size], position);
                stored.CopyTo(tile.Data, 0);
            }
            hash.CopyTo(tile.Data, position * MerkleHash.Size);
            open[key] = tile = (tile.Data, position + 1);
            if (tile.Count == Width) Add(level + 1, nodeIndex / Width, HashWithin(tile.Data, 0, HeightPerLevel));
        }
    }
}
