using System.Text.Json;
using Fairlabel.Audit.Merkle;

namespace Fairlabel.Tests.Audit;

/// The Merkle hashing and proofs against the RFC 9162 vectors of transparency-dev/merkle
/// (Audit/rfc9162), their tampered probes included.
public sealed class MerkleTests
{
    static readonly string Vectors = Path.Combine(AppContext.BaseDirectory, "Audit", "rfc9162");
    static readonly JsonElement Reference = JsonDocument.Parse(File.ReadAllText(Path.Combine(Vectors, "reference-tree.json"))).RootElement;

    static byte[][] Hex(string property) => Reference.GetProperty(property).EnumerateArray().Select(e => Convert.FromHexString(e.GetString()!)).ToArray();
    static byte[] B64(JsonElement probe, string name) => Convert.FromBase64String(probe.GetProperty(name).GetString() ?? "");
    static byte[][] Proof(JsonElement probe) =>
        probe.GetProperty("proof").ValueKind == JsonValueKind.Array
            ? probe.GetProperty("proof").EnumerateArray().Select(e => Convert.FromBase64String(e.GetString()!)).ToArray()
            : [];
    static IEnumerable<(string File, JsonElement Probe)> Probes(string set) =>
        Directory.EnumerateFiles(Path.Combine(Vectors, set), "*.json", SearchOption.AllDirectories).Order()
            .Select(f => (Path.GetRelativePath(Vectors, f), JsonDocument.Parse(File.ReadAllText(f)).RootElement));

    [Fact]
    public void Every_inclusion_probe_is_accepted_or_refused_as_upstream_says()
    {
        var probes = Probes("inclusion").ToList();
        Assert.Equal(98, probes.Count);
        var wrong = probes.Where(p => MerkleProofs.VerifyInclusion(p.Probe.GetProperty("leafIdx").GetUInt64(), p.Probe.GetProperty("treeSize").GetUInt64(),
                B64(p.Probe, "leafHash"), Proof(p.Probe), B64(p.Probe, "root")) == p.Probe.GetProperty("wantErr").GetBoolean())
            .Select(p => p.File).ToList();
        Assert.Empty(wrong);
        Assert.Equal(6, probes.Count(p => !p.Probe.GetProperty("wantErr").GetBoolean()));
    }

    [Fact]
    public void Every_consistency_probe_is_accepted_or_refused_as_upstream_says()
    {
        var probes = Probes("consistency").ToList();
        Assert.Equal(98, probes.Count);
        var wrong = probes.Where(p => MerkleProofs.VerifyConsistency(p.Probe.GetProperty("size1").GetUInt64(), p.Probe.GetProperty("size2").GetUInt64(),
                Proof(p.Probe), B64(p.Probe, "root1"), B64(p.Probe, "root2")) == p.Probe.GetProperty("wantErr").GetBoolean())
            .Select(p => p.File).ToList();
        Assert.Empty(wrong);
    }

    [Fact]
    public void Leaf_hashes_and_roots_of_the_reference_tree()
    {
        var inputs = Hex("leafInputs");
        var leaves = inputs.Select(i => MerkleHash.Leaf(i)).ToArray();
        Assert.Equal(Hex("leafHashes"), leaves);
        var roots = Hex("rootHashesBySize");
        for (var size = 0; size <= 8; size++)
        {
            Assert.Equal(roots[size], CompactRange.RootOf(leaves.Take(size)));
            Assert.Equal(roots[size], MerkleProofs.Root(new LeafList(leaves), size));
        }
        Assert.Equal(Convert.FromHexString(Reference.GetProperty("emptyRootHash").GetString()!), MerkleHash.EmptyRoot());
    }

    [Fact]
    public void Proofs_built_from_the_reference_tree_are_the_published_ones()
    {
        var tree = new LeafList(Hex("leafHashes"));
        foreach (var (file, probe) in Probes("inclusion").Where(p => p.File.EndsWith("happy-path.json") && !p.File.Contains("single-entry")))
        {
            var proof = MerkleProofs.Inclusion(tree, probe.GetProperty("leafIdx").GetInt64(), probe.GetProperty("treeSize").GetInt64());
            Assert.True(Proof(probe).SequenceEqual(proof, ByteArrays.Equal), file);
        }
        foreach (var (file, probe) in Probes("consistency").Where(p => p.File.EndsWith("happy-path.json")))
        {
            var proof = MerkleProofs.Consistency(tree, probe.GetProperty("size1").GetInt64(), probe.GetProperty("size2").GetInt64());
            Assert.True(Proof(probe).SequenceEqual(proof, ByteArrays.Equal), file);
        }
    }

    [Fact]
    public void Proofs_of_every_leaf_and_size_verify_and_fail_when_a_bit_flips()
    {
        var leaves = Enumerable.Range(0, 40).Select(i => MerkleHash.Leaf(BitConverter.GetBytes(i))).ToArray();
        var tree = new LeafList(leaves);
        for (var size = 1; size <= leaves.Length; size++)
        {
            var root = MerkleProofs.Root(tree, size);
            for (var index = 0; index < size; index++)
            {
                var proof = MerkleProofs.Inclusion(tree, index, size);
                Assert.True(MerkleProofs.VerifyInclusion((ulong)index, (ulong)size, leaves[index], proof, root));
                if (proof.Count > 0)
                {
                    proof[^1] = (byte[])proof[^1].Clone();
                    proof[^1][3] ^= 1;
                    Assert.False(MerkleProofs.VerifyInclusion((ulong)index, (ulong)size, leaves[index], proof, root));
                }
            }
            for (var earlier = 1; earlier <= size; earlier++)
            {
                var proof = MerkleProofs.Consistency(tree, earlier, size);
                Assert.True(MerkleProofs.VerifyConsistency((ulong)earlier, (ulong)size, proof, MerkleProofs.Root(tree, earlier), root));
                if (earlier < size)
                    Assert.False(MerkleProofs.VerifyConsistency((ulong)earlier, (ulong)size, proof, MerkleProofs.Root(tree, earlier), leaves[0]));
            }
        }
    }

    [Fact]
    public void A_tiled_tree_grown_in_uneven_batches_has_the_roots_and_proofs_of_the_whole_list()
    {
        const int count = 256 * 256 + 700;
        var leaves = Enumerable.Range(0, count).Select(i => MerkleHash.Leaf(BitConverter.GetBytes(i))).ToArray();
        var stored = new Dictionary<(int, long), byte[]>();
        byte[]? Load(int level, long index) => stored.GetValueOrDefault((level, index));
        var range = new CompactRange();
        var size = 0;
        foreach (var batch in new[] { 1, 255, 1, 300, 65_000, 511, 168 })
        {
            var appended = TiledTree.Append(size, leaves[size..(size + batch)], Load);
            foreach (var (key, hashes) in appended) stored[key] = hashes;
            foreach (var leaf in leaves[size..(size + batch)]) range.Append(leaf);
            size += batch;
            Assert.Equal(range.Root(), MerkleProofs.Root(new TiledTree(Load), size));
        }
        Assert.Equal(count, size);
        var tiled = new TiledTree(Load);
        var whole = new LeafList(leaves);
        foreach (var index in new long[] { 0, 255, 256, 65_535, 65_536, count - 1 })
            Assert.True(MerkleProofs.Inclusion(whole, index, count).SequenceEqual(MerkleProofs.Inclusion(tiled, index, count), ByteArrays.Equal));
        Assert.True(MerkleProofs.Consistency(whole, 65_537, count).SequenceEqual(MerkleProofs.Consistency(tiled, 65_537, count), ByteArrays.Equal));
        // A stored tile that disagrees with the size is refused, not extended.
        Assert.Throws<InvalidDataException>(() => TiledTree.Append(size - 1, [leaves[0]], Load));
    }

    sealed class ByteArrays : IEqualityComparer<byte[]>
    {
        public static readonly ByteArrays Equal = new();
        bool IEqualityComparer<byte[]>.Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);
        public int GetHashCode(byte[] obj) => obj.Length;
    }
}
