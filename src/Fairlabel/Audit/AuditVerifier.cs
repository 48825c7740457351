using System.Data.Common;
using Fairlabel.Audit.Merkle;
using Fairlabel.Data;

namespace Fairlabel.Audit;

/// Recomputes the whole log from the database: every entry's leaf hash against the tree the
/// integrator stored, the roots at every checkpoint's size against the signed notes, and each
/// note's signature. One pass over the entries in log order, constant memory.
public static class AuditVerifier
{
    public sealed record Result(long Entries, long Integrated, int Checkpoints, List<string> Problems);

    public static async Task<Result> VerifyAsync(DatabaseSettings database, NoteKey key)
    {
        var problems = new List<string>();
        var isSqlite = database.IsSqlite;
        await using var connection = await database.OpenAsync();
        await using var tiles = await database.OpenAsync();
        var tree = await AuditStore.TreeAsync(connection, null, isSqlite);
        var checkpoints = await AuditStore.CheckpointsAsync(connection);
        var signed = new List<(AuditStore.CheckpointRow Row, Checkpoint Note)>();
        foreach (var row in checkpoints)
        {
            if (key.Open(row.Note) is not { } text || Checkpoint.Parse(text) is not { } note)
                problems.Add($"checkpoint {row.Id} (size {row.Size}): its signature does not verify with {key.Name}+{key.Id:x8}: forged or altered");
            else if (note.Size != row.Size || !note.Root.AsSpan().SequenceEqual(row.Root) || note.Origin != key.Name)
                problems.Add($"checkpoint {row.Id}: its columns (size {row.Size}) differ from its signed note (size {note.Size})");
            else signed.Add((row, note));
        }
        signed.Sort((a, b) => a.Note.Size.CompareTo(b.Note.Size));
        var highest = signed.Count > 0 ? signed[^1].Note.Size : 0;
        if (highest > tree.Size)
            problems.Add($"checkpoint {signed[^1].Row.Id} signed size {highest}, but the tree holds only {tree.Size} entries: the tree was cut back");

        var stored = new StoredLeaves(tiles);
        var range = new CompactRange();
        var nextCheckpoint = 0;
        var buffer = new byte[1024];
        long count = 0, leaf = 0;
        // One entry of look-ahead: a deleted, inserted, edited or swapped entry is told apart by
        // whether the next entry's hash is the stored leaf at this position or the next.
        (long Seq, byte[] Hash)? held = null;
        long lastSeq = 0;
        await using (var command = connection.Command($"SELECT seq, entry FROM audit_log {AuditStore.InLogOrder(isSqlite)}"))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                var hash = new byte[MerkleHash.Size];
                AuditStore.LeafHash(reader.GetString(1), ref buffer, hash);
                count++;
                var current = (reader.GetInt64(0), hash);
                if (held is null) { held = current; continue; }
                Step(held.Value, current);
            }
        }
        if (held is not null) Step(held.Value, null);
        while (nextCheckpoint < signed.Count && signed[nextCheckpoint].Note.Size > range.Size)
        {
            var (row, note) = signed[nextCheckpoint++];
            problems.Add($"checkpoint {row.Id} (size {note.Size}): the log holds only {range.Size} entries up to seq {lastSeq}: truncated");
        }
        if (leaf < tree.Size)
            problems.Add($"leaves {leaf}..{tree.Size - 1}: integrated, but the log ends at seq {lastSeq}: the log was truncated");
        return new Result(count, tree.Size, checkpoints.Count, problems);

        void Step((long Seq, byte[] Hash) entry, (long Seq, byte[] Hash)? next)
        {
            lastSeq = entry.Seq;
            held = next;
            if (leaf >= tree.Size) { Add(entry.Hash); leaf++; return; }
            var here = stored[leaf];
            if (here.AsSpan().SequenceEqual(entry.Hash)) { Add(entry.Hash); leaf++; return; }
            var below = leaf + 1 < tree.Size ? stored[leaf + 1] : null;
            if (next is { } n && below is not null && below.AsSpan().SequenceEqual(entry.Hash) && here.AsSpan().SequenceEqual(n.Hash))
            {
                problems.Add($"entries seq {entry.Seq} and seq {n.Seq} (leaves {leaf} and {leaf + 1}) are out of order: reordered");
                Add(n.Hash); Add(entry.Hash);
                leaf += 2;
                held = null;
                return;
            }
            if (below is not null && below.AsSpan().SequenceEqual(entry.Hash))
            {
                problems.Add($"leaf {leaf}: its entry, before seq {entry.Seq}, is missing from the log: deleted");
                Add(here);
                leaf++;
                Add(entry.Hash);
                leaf++;
                return;
            }
            if (next is { } m && here.AsSpan().SequenceEqual(m.Hash))
            {
                problems.Add($"entry seq {entry.Seq}: not in the tree at leaf {leaf}, where the next entry is: inserted");
                return;
            }
            problems.Add($"entry seq {entry.Seq} (leaf {leaf}): its bytes are not those integrated: edited");
            Add(entry.Hash);
            leaf++;
        }

        // The recomputed tree grows by the log's own entries; at each checkpoint's size its root
        // must be the signed one.
        void Add(byte[] hash)
        {
            range.Append(hash);
            while (nextCheckpoint < signed.Count && signed[nextCheckpoint].Note.Size == range.Size)
            {
                var (row, note) = signed[nextCheckpoint++];
                if (!range.Root().AsSpan().SequenceEqual(note.Root))
                    problems.Add($"checkpoint {row.Id} (size {note.Size}): its signed root is not the root of the log's first {note.Size} entries (up to seq {lastSeq})");
            }
        }
    }

    /// The integrated leaf hashes, read a tile of 256 at a time.
    sealed class StoredLeaves(DbConnection connection)
    {
        long _tile = -1;
        byte[] _hashes = [];

        public byte[] this[long leaf]
        {
            get
            {
                var tile = leaf / TiledTree.Width;
                if (tile != _tile)
                {
                    _hashes = AuditStore.Tile(connection, null, 0, tile) ?? [];
                    _tile = tile;
                }
                var offset = (int)(leaf % TiledTree.Width) * MerkleHash.Size;
                return offset + MerkleHash.Size <= _hashes.Length ? _hashes[offset..(offset + MerkleHash.Size)] : new byte[MerkleHash.Size];
            }
        }
    }
}
