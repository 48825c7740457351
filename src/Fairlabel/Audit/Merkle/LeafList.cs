namespace Fairlabel.Audit.Merkle;

/// Perfect subtrees computed from leaf hashes held in memory: for small trees and tests.
public sealed class LeafList(IReadOnlyList<byte[]> leafHashes) : IPerfectSubtrees
{
    public byte[] Hash(int height, long index)
    {
        if (height == 0) return leafHashes[checked((int)index)];
        return MerkleHash.Node(Hash(height - 1, index * 2), Hash(height - 1, index * 2 + 1));
    }
}
