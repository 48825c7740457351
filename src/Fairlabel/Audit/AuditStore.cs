using System.Data.Common;
using System.Text;
using Fairlabel.Audit.Merkle;
using Fairlabel.Data;

namespace Fairlabel.Audit;

/// The SQL of the audit tables, for the integrator, the verifier and the prover.
public static class AuditStore
{
    /// Entries in log order: by seq on SQLite (one writer), by (tx, seq) on PostgreSQL.
    public static string InLogOrder(bool isSqlite) => isSqlite ? "ORDER BY seq" : "ORDER BY tx, seq";

    public sealed record TreeState(long Size, long LastTx, long LastSeq, byte[] Root);

    public static async Task<TreeState> TreeAsync(DbConnection connection, DbTransaction? transaction, bool isSqlite)
    {
        await using var command = connection.Command(
            "SELECT size, last_tx, last_seq, root FROM audit_tree WHERE id = 1" + (isSqlite || transaction is null ? "" : " FOR UPDATE"), transaction);
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync()
            ? new TreeState(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), (byte[])reader.GetValue(3))
            : new TreeState(0, 0, 0, MerkleHash.EmptyRoot());
    }

    public static byte[]? Tile(DbConnection connection, DbTransaction? transaction, int level, long index)
    {
        using var command = connection.Command("SELECT hashes FROM audit_tiles WHERE level = @l AND idx = @i", transaction)
            .With("l", level).With("i", index);
        return command.ExecuteScalar() as byte[];
    }

    public sealed record CheckpointRow(long Id, long Size, byte[] Root, DateTimeOffset SignedAt, string Note);

    public static async Task<List<CheckpointRow>> CheckpointsAsync(DbConnection connection, string where = "")
    {
        await using var command = connection.Command($"SELECT id, size, root, signed_at, note FROM audit_checkpoints {where} ORDER BY id");
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<CheckpointRow>();
        while (await reader.ReadAsync())
            rows.Add(new CheckpointRow(reader.GetInt64(0), reader.GetInt64(1), (byte[])reader.GetValue(2),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)), reader.GetString(4)));
        return rows;
    }

    public static async Task<CheckpointRow?> LatestCheckpointAsync(DbConnection connection) =>
        (await CheckpointsAsync(connection, "WHERE id = (SELECT max(id) FROM audit_checkpoints)")).SingleOrDefault();

    /// Hashes one entry's UTF-8 bytes as a leaf, through a buffer reused from entry to entry.
    public static void LeafHash(string entry, ref byte[] buffer, Span<byte> hash)
    {
        var length = Encoding.UTF8.GetMaxByteCount(entry.Length);
        if (buffer.Length < length) buffer = new byte[Math.Max(length, buffer.Length * 2)];
        var written = Encoding.UTF8.GetBytes(entry, buffer);
        MerkleHash.Leaf(buffer.AsSpan(0, written), hash);
    }
}
