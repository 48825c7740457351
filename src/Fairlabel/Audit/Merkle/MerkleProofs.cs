namespace Fairlabel.Audit.Merkle;

/// The hash of a perfect subtree: the node at <c>height</c> above the leaves covering leaves
/// [index·2^height, (index+1)·2^height). A tree store answers it from the hashes it keeps.
public interface IPerfectSubtrees
{
    byte[] Hash(int height, long index);
}

/// Inclusion and consistency proofs of RFC 9162 §2.1.3 and §2.1.4, built from perfect subtrees,
/// so a proof reads O(log n) stored hashes and never rehashes the log.
public static class MerkleProofs
{
    /// MTH(D[start:end]) for a range the RFC's recursion produces: start is a multiple of the
    /// largest power of two below (end − start), so the range splits into perfect subtrees.
    public static byte[] RangeHash(IPerfectSubtrees tree, long start, long end)
    {
        var n = end - start;
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(end), "A subtree holds at least one leaf.");
        if ((n & (n - 1)) == 0 && start % n == 0) return tree.Hash(Log2(n), start / n);
        var k = LargestPowerOfTwoBelow(n);
        return MerkleHash.Node(RangeHash(tree, start, start + k), RangeHash(tree, start + k, end));
    }

    public static byte[] Root(IPerfectSubtrees tree, long size) => size == 0 ? MerkleHash.EmptyRoot() : RangeHash(tree, 0, size);

    /// PATH(index, D[0:size]): the sibling hashes from the leaf up.
    public static List<byte[]> Inclusion(IPerfectSubtrees tree, long index, long size)
    {
        if (index < 0 || index >= size) throw new ArgumentOutOfRangeException(nameof(index), $"Leaf {index} is not in a tree of {size}.");
        var proof = new List<byte[]>();
        Path(tree, index, 0, size, proof);
        return proof;
    }

    static void Path(IPerfectSubtrees tree, long index, long start, long end, List<byte[]> proof)
    {
        var n = end - start;
        if (n == 1) return;
        var k = LargestPowerOfTwoBelow(n);
        if (index < start + k)
        {
            Path(tree, index, start, start + k, proof);
            proof.Add(RangeHash(tree, start + k, end));
        }
        else
        {
            Path(tree, index, start + k, end, proof);
            proof.Add(RangeHash(tree, start, start + k));
        }
    }

    /// PROOF(size1, D[0:size2]): shows that the tree of size1 is a prefix of the tree of size2.
    public static List<byte[]> Consistency(IPerfectSubtrees tree, long size1, long size2)
    {
        if (size1 <= 0 || size1 > size2) throw new ArgumentOutOfRangeException(nameof(size1), $"No consistency proof from {size1} to {size2}.");
        var proof = new List<byte[]>();
        if (size1 < size2) SubProof(tree, size1, 0, size2, true, proof);
        return proof;
    }

    static void SubProof(IPerfectSubtrees tree, long m, long start, long end, bool whole, List<byte[]> proof)
    {
        var n = end - start;
        if (m == n)
        {
            if (!whole) proof.Add(RangeHash(tree, start, end));
            return;
        }
        var k = LargestPowerOfTwoBelow(n);
        if (m <= k)
        {
            SubProof(tree, m, start, start + k, whole, proof);
            proof.Add(RangeHash(tree, start + k, end));
        }
        else
        {
            SubProof(tree, m - k, start + k, end, false, proof);
            proof.Add(RangeHash(tree, start, start + k));
        }
    }

    /// RFC 9162 §2.1.3.2. Refuses hashes that are not 32 bytes and proofs of the wrong length.
    public static bool VerifyInclusion(ulong index, ulong size, ReadOnlySpan<byte> leafHash, IReadOnlyList<byte[]> proof, ReadOnlySpan<byte> root)
    {
        if (index >= size || leafHash.Length != MerkleHash.Size || root.Length != MerkleHash.Size) return false;
        var fn = index;
        var sn = size - 1;
        Span<byte> r = stackalloc byte[MerkleHash.Size];
        leafHash.CopyTo(r);
        foreach (var p in proof)
        {
            if (sn == 0 || p.Length != MerkleHash.Size) return false;
            if ((fn & 1) == 1 || fn == sn)
            {
                MerkleHash.Node(p, r, r);
                if ((fn & 1) == 0)
                    while ((fn & 1) == 0 && fn != 0)
                    {
                        fn >>= 1;
                        sn >>= 1;
                    }
            }
            else MerkleHash.Node(r, p, r);
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && r.SequenceEqual(root);
    }

    /// RFC 9162 §2.1.4.2, with the edge cases as transparency-dev/merkle decides them: a tree of
    /// size 0 proves nothing, equal sizes need an empty proof and equal roots.
    public static bool VerifyConsistency(ulong size1, ulong size2, IReadOnlyList<byte[]> proof, ReadOnlySpan<byte> root1, ReadOnlySpan<byte> root2)
    {
        if (size2 < size1 || size1 == 0) return false;
        if (size1 == size2) return proof.Count == 0 && root1.SequenceEqual(root2);
        if (proof.Count == 0 || root1.Length != MerkleHash.Size || root2.Length != MerkleHash.Size) return false;
        foreach (var p in proof)
            if (p.Length != MerkleHash.Size) return false;

        var path = proof;
        if ((size1 & (size1 - 1)) == 0)
        {
            var withFirst = new List<byte[]>(proof.Count + 1) { root1.ToArray() };
            withFirst.AddRange(proof);
            path = withFirst;
        }
        var fn = size1 - 1;
        var sn = size2 - 1;
        while ((fn & 1) == 1)
        {
            fn >>= 1;
            sn >>= 1;
        }
        Span<byte> fr = stackalloc byte[MerkleHash.Size];
        Span<byte> sr = stackalloc byte[MerkleHash.Size];
        path[0].CopyTo(fr);
        path[0].CopyTo(sr);
        for (var i = 1; i < path.Count; i++)
        {
            var c = path[i];
            if (sn == 0) return false;
            if ((fn & 1) == 1 || fn == sn)
            {
                MerkleHash.Node(c, fr, fr);
                MerkleHash.Node(c, sr, sr);
                if ((fn & 1) == 0)
                    while ((fn & 1) == 0 && fn != 0)
                    {
                        fn >>= 1;
                        sn >>= 1;
                    }
            }
            else MerkleHash.Node(sr, c, sr);
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && fr.SequenceEqual(root1) && sr.SequenceEqual(root2);
    }

    static long LargestPowerOfTwoBelow(long n) => 1L << (63 - (int)long.LeadingZeroCount(n - 1));

    static int Log2(long powerOfTwo) => 63 - (int)long.LeadingZeroCount(powerOfTwo);
}
