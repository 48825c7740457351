using Fairlabel.Audit.Merkle;
using Fairlabel.Data;

namespace Fairlabel.Audit;

/// Inclusion proofs of an item's entries in the latest checkpoint: what travels with a dataset
/// so that anyone holding the verifier key can check it offline.
public static class AuditProofs
{
    public sealed record EntryProof(long LeafIndex, long Seq, string Entry, string LeafHash, List<string> Proof);
    public sealed record ItemProofs(long ItemId, string? Checkpoint, long TreeSize, List<EntryProof> Entries);

    public static async Task<ItemProofs> ForItemAsync(DatabaseSettings database, long itemId)
    {
        await using var connection = await database.OpenAsync();
        var latest = await AuditStore.LatestCheckpointAsync(connection);
        if (latest is null) return new ItemProofs(itemId, null, 0, []);
        // The leaf index is the entry's rank in log order: counted in one pass over the seq column.
        var found = new List<(long Index, long Seq, string Entry)>();
        await using (var command = connection.Command(
                         $"SELECT seq, item_id, CASE WHEN item_id = @i THEN entry END FROM audit_log {AuditStore.InLogOrder(database.IsSqlite)}").With("i", itemId))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            for (long index = 0; index < latest.Size && await reader.ReadAsync(); index++)
                if (!reader.IsDBNull(1) && reader.GetInt64(1) == itemId) found.Add((index, reader.GetInt64(0), reader.GetString(2)));
        }
        var tiles = new TiledTree((level, index) => AuditStore.Tile(connection, null, level, index));
        var entries = found.Select(e => new EntryProof(e.Index, e.Seq, e.Entry,
                Convert.ToBase64String(MerkleHash.Leaf(System.Text.Encoding.UTF8.GetBytes(e.Entry))),
                MerkleProofs.Inclusion(tiles, e.Index, latest.Size).Select(Convert.ToBase64String).ToList()))
            .ToList();
        return new ItemProofs(itemId, latest.Note, latest.Size, entries);
    }
}
