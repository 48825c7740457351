using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fairlabel.Audit;

/// One entry of the audit log: the canonical bytes of one state change, written by the
/// database's own triggers in the transaction of the change (decision 0023). Never updated.
public sealed class AuditEntry
{
    /// Assigned by the database at the insert: SQLite's rowid, PostgreSQL's identity.
    public long Seq { get; set; }
    /// PostgreSQL: the id of the transaction that wrote the entry; the log is ordered by (tx, seq),
    /// which is fixed once that transaction ends. SQLite: always 0 (one writer, seq is commit order).
    public long Tx { get; set; }
    public long? ItemId { get; set; }
    /// Canonical JSON, compact, keys in a fixed order; its UTF-8 bytes are the Merkle leaf's input.
    public required string Entry { get; set; }
}

/// The integrated tree as tiles of 256 hashes (Merkle/TiledTree).
public sealed class AuditTile
{
    public int Level { get; set; }
    public long Idx { get; set; }
    public required byte[] Hashes { get; set; }
}

/// How far the tree has integrated the log: one row.
public sealed class AuditTree
{
    public int Id { get; set; }
    public long Size { get; set; }
    /// The (tx, seq) of the last integrated entry.
    public long LastTx { get; set; }
    public long LastSeq { get; set; }
    public required byte[] Root { get; set; }
}

/// A signed checkpoint: a C2SP signed note over origin, size and root.
public sealed class AuditCheckpoint
{
    public long Id { get; set; }
    public long Size { get; set; }
    public required byte[] Root { get; set; }
    public DateTimeOffset SignedAt { get; set; }
    public required string Note { get; set; }
}

sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> e)
    {
        e.ToTable("audit_log");
        e.HasKey(x => x.Seq);
        e.Property(x => x.Seq).ValueGeneratedOnAdd();
        e.Property(x => x.Tx).HasDefaultValue(0L);
    }
}

sealed class AuditTileConfiguration : IEntityTypeConfiguration<AuditTile>
{
    public void Configure(EntityTypeBuilder<AuditTile> e)
    {
        e.ToTable("audit_tiles");
        e.HasKey(x => new { x.Level, x.Idx });
    }
}

sealed class AuditTreeConfiguration : IEntityTypeConfiguration<AuditTree>
{
    public void Configure(EntityTypeBuilder<AuditTree> e)
    {
        e.ToTable("audit_tree");
        e.Property(x => x.Id).ValueGeneratedNever();
    }
}

sealed class AuditCheckpointConfiguration : IEntityTypeConfiguration<AuditCheckpoint>
{
    public void Configure(EntityTypeBuilder<AuditCheckpoint> e)
    {
        e.ToTable("audit_checkpoints");
        e.HasIndex(x => x.Size);
    }
}
