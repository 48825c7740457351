using System.Data.Common;
using Fairlabel.Audit.Merkle;
using Fairlabel.Data;
using Microsoft.Extensions.Options;

namespace Fairlabel.Audit;

/// Adds the log's new entries to the Merkle tree in batches, and signs checkpoints of the tree.
/// Writers only append entries (in their own transactions); hashing happens here, away from them.
public sealed class AuditIntegrator(DatabaseSettings database, IOptions<AuditOptions> options, IConfiguration configuration,
    TimeProvider clock, ILogger<AuditIntegrator> log)
{
    NoteKey? _key;
    readonly SemaphoreSlim _one = new(1, 1);

    public NoteKey Key => _key ??= NoteKey.LoadOrCreate(options.Value.KeyPath(configuration), options.Value.Origin);

    /// Integrates up to one batch of entries; returns how many.
    public async Task<int> IntegrateAsync()
    {
        var isSqlite = database.IsSqlite;
        await using var connection = await database.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var tree = await AuditStore.TreeAsync(connection, transaction, isSqlite);
        // PostgreSQL: only entries of transactions older than every one still running, whose
        // place in (tx, seq) order can no longer be taken by a commit to come.
        var after = isSqlite
            ? "WHERE seq > @s"
            : "WHERE (tx, seq) > (@t, @s) AND tx < pg_snapshot_xmin(pg_current_snapshot())::text::bigint";
        var leaves = new List<byte[]>();
        long lastTx = tree.LastTx, lastSeq = tree.LastSeq;
        await using (var command = connection.Command(
                         $"SELECT tx, seq, entry FROM audit_log {after} {AuditStore.InLogOrder(isSqlite)} LIMIT @n", transaction)
                         .With("t", tree.LastTx).With("s", tree.LastSeq).With("n", options.Value.IntegrationBatch))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            var buffer = new byte[1024];
            while (await reader.ReadAsync())
            {
                var hash = new byte[MerkleHash.Size];
                AuditStore.LeafHash(reader.GetString(2), ref buffer, hash);
                leaves.Add(hash);
                lastTx = reader.GetInt64(0);
                lastSeq = reader.GetInt64(1);
            }
        }
        if (leaves.Count == 0) return 0;
        var changed = TiledTree.Append(tree.Size, leaves, (level, index) => AuditStore.Tile(connection, transaction, level, index));
        foreach (var ((level, index), hashes) in changed)
            await connection.ExecuteAsync(transaction,
                "INSERT INTO audit_tiles (level, idx, hashes) VALUES (@l, @i, @h) ON CONFLICT (level, idx) DO UPDATE SET hashes = excluded.hashes",
                ("l", level), ("i", index), ("h", hashes));
        var size = tree.Size + leaves.Count;
        var root = MerkleProofs.Root(new TiledTree((level, index) =>
            changed.GetValueOrDefault((level, index)) ?? AuditStore.Tile(connection, transaction, level, index)), size);
        // Moves the tree on only from the size it was read at: a second integrator (a node that
        // lost the lead a moment ago) changes nothing.
        (string, object?)[] values = [("n", size), ("t", lastTx), ("s", lastSeq), ("r", root), ("old", tree.Size)];
        var moved = tree.Size == 0
            ? await connection.ExecuteAsync(transaction,
                "INSERT INTO audit_tree (id, size, last_tx, last_seq, root) VALUES (1, @n, @t, @s, @r) ON CONFLICT (id) DO NOTHING", values)
            : await connection.ExecuteAsync(transaction,
                "UPDATE audit_tree SET size = @n, last_tx = @t, last_seq = @s, root = @r WHERE id = 1 AND size = @old", values);
        if (moved != 1)
        {
            await transaction.RollbackAsync();
            return 0;
        }
        await transaction.CommitAsync();
        return leaves.Count;
    }

    /// Signs a checkpoint of the integrated tree when it grew, once the tree is shown consistent
    /// with the last checkpoint; returns the new one, or null. Refuses (throws) when it is not.
    public async Task<AuditStore.CheckpointRow?> CheckpointAsync()
    {
        await using var connection = await database.OpenAsync();
        var tree = await AuditStore.TreeAsync(connection, null, database.IsSqlite);
        if (tree.Size == 0) return null;
        var last = await AuditStore.LatestCheckpointAsync(connection);
        if (last is not null && last.Size == tree.Size) return null;
        var tiles = new TiledTree((level, index) => AuditStore.Tile(connection, null, level, index));
        var root = MerkleProofs.Root(tiles, tree.Size);
        if (!root.AsSpan().SequenceEqual(tree.Root))
            throw new AuditInconsistencyException($"The tree's stored root at size {tree.Size} is not the root of its tiles.");
        if (last is not null)
        {
            // The last checkpoint must be ours and a prefix of today's tree, or nothing is signed.
            if (Key.Open(last.Note) is not { } text || Checkpoint.Parse(text) is not { } previous || previous.Size != last.Size)
                throw new AuditInconsistencyException($"Checkpoint {last.Id} does not verify with the signing key.");
            if (previous.Size > tree.Size ||
                !MerkleProofs.VerifyConsistency((ulong)previous.Size, (ulong)tree.Size, MerkleProofs.Consistency(tiles, previous.Size, tree.Size), previous.Root, root))
                throw new AuditInconsistencyException($"The tree of size {tree.Size} is not consistent with checkpoint {last.Id} (size {previous.Size}).");
        }
        var note = Key.Sign(new Checkpoint(Key.Name, tree.Size, root).Body);
        var now = clock.GetUtcNow();
        var id = await connection.ScalarAsync<long>(null,
            "INSERT INTO audit_checkpoints (size, root, signed_at, note) VALUES (@n, @r, @at, @note) RETURNING id",
            ("n", tree.Size), ("r", root), ("at", Sql.Millis(now)), ("note", note));
        log.CheckpointSigned(tree.Size);
        return new AuditStore.CheckpointRow(id, tree.Size, root, now, note);
    }

    /// Integrates everything there is, then signs a checkpoint: what the background duty does each interval.
    public async Task<AuditStore.CheckpointRow?> CatchUpAsync()
    {
        await _one.WaitAsync();
        try
        {
            while (await IntegrateAsync() == options.Value.IntegrationBatch) { }
            return await CheckpointAsync();
        }
        finally
        {
            _one.Release();
        }
    }
}

public sealed class AuditInconsistencyException(string message) : Exception(message);

/// Runs the integrator on the node that leads the background duties, every checkpoint interval.
public sealed class AuditDuty(AuditIntegrator integrator, Infrastructure.DutyLeader leader, IOptions<AuditOptions> options,
    ILogger<AuditDuty> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(options.Value.CheckpointInterval);
        while (await timer.WaitForNextTickAsync(stopping))
        {
            try
            {
                if (await leader.TryLeadAsync()) await integrator.CatchUpAsync();
            }
            catch (Exception e) when (!stopping.IsCancellationRequested && e is not OutOfMemoryException)
            {
                log.AuditIntegrationFailed(e);
            }
        }
    }
}

static partial class AuditLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Audit checkpoint signed at size {Size}")]
    public static partial void CheckpointSigned(this ILogger log, long size);

    [LoggerMessage(Level = LogLevel.Error, Message = "Audit integration or checkpoint failed; nothing was signed")]
    public static partial void AuditIntegrationFailed(this ILogger log, Exception e);
}
