using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Fairlabel.Migrations.Postgres.Migrations
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
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    size = table.Column<long>(type: "bigint", nullable: false),
                    root = table.Column<byte[]>(type: "bytea", nullable: false),
                    signed_at = table.Column<long>(type: "bigint", nullable: false),
                    note = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_audit_checkpoints", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "audit_log",
                columns: table => new
                {
                    seq = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    tx = table.Column<long>(type: "bigint", nullable: false, defaultValue: 0L),
                    item_id = table.Column<long>(type: "bigint", nullable: true),
                    entry = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_audit_log", x => x.seq);
                });

            migrationBuilder.CreateTable(
                name: "audit_tiles",
                columns: table => new
                {
                    level = table.Column<int>(type: "integer", nullable: false),
                    idx = table.Column<long>(type: "bigint", nullable: false),
                    hashes = table.Column<byte[]>(type: "bytea", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_audit_tiles", x => new { x.level, x.idx });
                });

            migrationBuilder.CreateTable(
                name: "audit_tree",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false),
                    size = table.Column<long>(type: "bigint", nullable: false),
                    last_tx = table.Column<long>(type: "bigint", nullable: false),
                    last_seq = table.Column<long>(type: "bigint", nullable: false),
                    root = table.Column<byte[]>(type: "bytea", nullable: false)
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
            // (decision 0023). Each carries its transaction's id: the log is read in (tx, seq) order,
            // which no later commit can change once every transaction below a snapshot's xmin has ended.
            migrationBuilder.Sql("CREATE INDEX ix_audit_log_tx_seq ON audit_log (tx, seq);");
            migrationBuilder.Sql("""
                CREATE FUNCTION audit_events() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  INSERT INTO audit_log (tx, item_id, entry) VALUES (pg_current_xact_id()::text::bigint, NULL,
                    '{"type":' || to_json(NEW.kind)::text || ',"at":' || NEW.at || ',"actor":' || coalesce(NEW.actor_id::text, 'null') ||
                    ',"organisation":' || coalesce(NEW.organisation_id::text, 'null') || ',"project":' || coalesce(NEW.project_id::text, 'null') ||
                    ',"event":' || NEW.id || ',"data":' || NEW.data || '}');
                  RETURN NULL;
                END $$;
                CREATE TRIGGER audit_events AFTER INSERT ON events FOR EACH ROW EXECUTE FUNCTION audit_events();

                CREATE FUNCTION audit_leases() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  INSERT INTO audit_log (tx, item_id, entry) VALUES (pg_current_xact_id()::text::bigint, NEW.item_id,
                    '{"type":"task.leased","at":' || NEW.leased_at || ',"actor":' || NEW.tasker_id || ',"project":' || NEW.project_id ||
                    ',"item":' || NEW.item_id || ',"assignment":' || NEW.id || ',"expires":' || NEW.expires_at ||
                    ',"pay":' || to_json(NEW.pay_rate::text)::text || ',"currency":' || to_json(NEW.currency)::text || '}');
                  RETURN NULL;
                END $$;
                CREATE TRIGGER audit_leases AFTER INSERT ON assignments FOR EACH ROW EXECUTE FUNCTION audit_leases();

                CREATE FUNCTION audit_lease_ends() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  INSERT INTO audit_log (tx, item_id, entry) VALUES (pg_current_xact_id()::text::bigint, NEW.item_id,
                    '{"type":"task.' || NEW.status || '","at":' || coalesce(NEW.ended_at::text, 'null') || ',"actor":' || NEW.tasker_id ||
                    ',"project":' || NEW.project_id || ',"item":' || NEW.item_id || ',"assignment":' || NEW.id || '}');
                  RETURN NULL;
                END $$;
                CREATE TRIGGER audit_lease_ends AFTER UPDATE OF status ON assignments FOR EACH ROW
                  WHEN (NEW.status IN ('skipped', 'expired') AND OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION audit_lease_ends();

                CREATE FUNCTION audit_answers() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  INSERT INTO audit_log (tx, item_id, entry) VALUES (pg_current_xact_id()::text::bigint, NEW.item_id,
                    '{"type":"answer.submitted","at":' || NEW.submitted_at || ',"actor":' || NEW.tasker_id || ',"project":' || NEW.project_id ||
                    ',"item":' || NEW.item_id || ',"assignment":' || NEW.assignment_id || ',"answer":' || NEW.id || '}');
                  RETURN NULL;
                END $$;
                CREATE TRIGGER audit_answers AFTER INSERT ON answers FOR EACH ROW EXECUTE FUNCTION audit_answers();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {

            migrationBuilder.Sql("""
                DROP TRIGGER IF EXISTS audit_events ON events; DROP FUNCTION IF EXISTS audit_events();
                DROP TRIGGER IF EXISTS audit_leases ON assignments; DROP FUNCTION IF EXISTS audit_leases();
                DROP TRIGGER IF EXISTS audit_lease_ends ON assignments; DROP FUNCTION IF EXISTS audit_lease_ends();
                DROP TRIGGER IF EXISTS audit_answers ON answers; DROP FUNCTION IF EXISTS audit_answers();
                """);
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
