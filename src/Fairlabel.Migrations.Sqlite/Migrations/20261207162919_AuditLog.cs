using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fairlabel.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class AuditLog : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "audit_checkpoints",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    size = table.Column<long>(type: "INTEGER", nullable: false),
                    root = table.Column<byte[]>(type: "BLOB", nullable: false),
                    signed_at = table.Column<long>(type: "INTEGER", nullable: false),
                    note = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_audit_checkpoints", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "audit_log",
                columns: table => new
                {
                    seq = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    tx = table.Column<long>(type: "INTEGER", nullable: false, defaultValue: 0L),
                    item_id = table.Column<long>(type: "INTEGER", nullable: true),
                    entry = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_audit_log", x => x.seq);
                });

            migrationBuilder.CreateTable(
                name: "audit_tiles",
                columns: table => new
                {
                    level = table.Column<int>(type: "INTEGER", nullable: false),
                    idx = table.Column<long>(type: "INTEGER", nullable: false),
                    hashes = table.Column<byte[]>(type: "BLOB", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_audit_tiles", x => new { x.level, x.idx });
                });

            migrationBuilder.CreateTable(
                name: "audit_tree",
                columns: table => new
                {
                    id = table.Column<int>(type: "INTEGER", nullable: false),
                    size = table.Column<long>(type: "INTEGER", nullable: false),
                    last_tx = table.Column<long>(type: "INTEGER", nullable: false),
                    last_seq = table.Column<long>(type: "INTEGER", nullable: false),
                    root = table.Column<byte[]>(type: "BLOB", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_audit_tree", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_audit_checkpoints_size",
                table: "audit_checkpoints",
                column: "size");

            // The log's entries are written by triggers, in the transaction of the change they record
            // (decision 0023): every event, lease, end of a lease and answer, whoever writes it.
            migrationBuilder.Sql("""
                CREATE TRIGGER audit_events AFTER INSERT ON events BEGIN
                  INSERT INTO audit_log (tx, item_id, entry) VALUES (0, NULL,
                    '{"type":' || json_quote(NEW.kind) || ',"at":' || NEW.at || ',"actor":' || coalesce(NEW.actor_id, 'null') ||
                    ',"organisation":' || coalesce(NEW.organisation_id, 'null') || ',"project":' || coalesce(NEW.project_id, 'null') ||
                    ',"event":' || NEW.id || ',"data":' || NEW.data || '}');
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER audit_leases AFTER INSERT ON assignments BEGIN
                  INSERT INTO audit_log (tx, item_id, entry) VALUES (0, NEW.item_id,
                    '{"type":"task.leased","at":' || NEW.leased_at || ',"actor":' || NEW.tasker_id || ',"project":' || NEW.project_id ||
                    ',"item":' || NEW.item_id || ',"assignment":' || NEW.id || ',"expires":' || NEW.expires_at ||
                    ',"pay":' || json_quote(CAST(NEW.pay_rate AS TEXT)) || ',"currency":' || json_quote(NEW.currency) || '}');
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER audit_lease_ends AFTER UPDATE OF status ON assignments
                WHEN NEW.status IN ('skipped', 'expired') AND OLD.status <> NEW.status BEGIN
                  INSERT INTO audit_log (tx, item_id, entry) VALUES (0, NEW.item_id,
                    '{"type":"task.' || NEW.status || '","at":' || coalesce(NEW.ended_at, 'null') || ',"actor":' || NEW.tasker_id ||
                    ',"project":' || NEW.project_id || ',"item":' || NEW.item_id || ',"assignment":' || NEW.id || '}');
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER audit_answers AFTER INSERT ON answers BEGIN
                  INSERT INTO audit_log (tx, item_id, entry) VALUES (0, NEW.item_id,
                    '{"type":"answer.submitted","at":' || NEW.submitted_at || ',"actor":' || NEW.tasker_id || ',"project":' || NEW.project_id ||
                    ',"item":' || NEW.item_id || ',"assignment":' || NEW.assignment_id || ',"answer":' || NEW.id || '}');
                END;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {

            foreach (var trigger in new[] { "audit_events", "audit_leases", "audit_lease_ends", "audit_answers" })
                migrationBuilder.Sql($"DROP TRIGGER IF EXISTS {trigger};");
            migrationBuilder.DropTable(
                name: "audit_checkpoints");

            migrationBuilder.DropTable(
                name: "audit_log");

            migrationBuilder.DropTable(
                name: "audit_tiles");

            migrationBuilder.DropTable(
                name: "audit_tree");
        }
    }
}
