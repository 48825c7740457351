using System.Buffers;
using System.Security.Cryptography;

namespace Fairlabel.Audit.Merkle;

/// The hashing of RFC 9162 §2.1.1: a leaf is SHA-256(0x00 ‖ entry), a node SHA-256(0x01 ‖ left ‖ right).
/// The prefixes keep a leaf from ever being read as a node (second-preimage resistance).
public static class MerkleHash
{
    public const int Size = 32;

    /// The root of the empty tree, SHA-256 of nothing.
    public static byte[] EmptyRoot() => SHA256.HashData(ReadOnlySpan<byte>.Empty);

    public static byte[] Leaf(ReadOnlySpan<byte> entry)
    {
        var hash = new byte[Size];
        Leaf(entry, hash);
        return hash;
    }

    public static void Leaf(ReadOnlySpan<byte> entry, Span<byte> hash)
    {
        // Entries are a few hundred bytes: one buffer on the stack or from the pool, one SHA-256 call.
        var length = entry.Length + 1;
        byte[]? rented = length > 1024 ? ArrayPool<byte>.Shared.Rent(length) : null;
        var input = rented is null ? stackalloc byte[length] : rented.AsSpan(0, length);
        input[0] = 0x00;
        entry.CopyTo(input[1..]);
        SHA256.HashData(input, hash);
        if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
    }

    public static byte[] Node(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        var hash = new byte[Size];
        Node(left, right, hash);
        return hash;
    }

    /// <paramref name="hash"/> may overlap <paramref name="left"/> or <paramref name="right"/>.
    public static void Node(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right, Span<byte> hash)
    {
        Span<byte> input = stackalloc byte[1 + 2 * Size];
        input[0] = 0x01;
        left.CopyTo(input[1..]);
        right.CopyTo(input[(1 + Size)..]);
        SHA256.HashData(input, hash);
    }
}
