using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fairlabel.Migrations.Postgres.Migrations
{
    /// A submission's update of its assignment becomes a HOT update (a new version on the same page,
    /// no new index entries): no index of assignments names the status any more (Assignment.cs), and
    /// the lease sweep reads expiries from a mark instead (duty_marks; WorkLoop.ExpireLeasesAsync).
    public partial class SubmissionsUpdateInPlace : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "duty_marks",
                columns: table => new
                {
                    duty = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    through = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_duty_marks", x => x.duty);
                });

            // The sweep's first mark: just before the earliest expiry of a live lease (read while the
            // live-lease index still exists), or now when there is none.
            migrationBuilder.Sql(
                "INSERT INTO duty_marks (duty, through) " +
                "SELECT 'lease-expiry', coalesce(min(expires_at) - 1, (extract(epoch FROM now()) * 1000)::bigint) " +
                "FROM assignments WHERE status = 'leased'");

            migrationBuilder.DropIndex(
                name: "ix_assignments_live_tasker_id_project_id_expires_at",
                table: "assignments");

            migrationBuilder.DropIndex(
                name: "ix_assignments_tasker_id",
                table: "assignments");

            migrationBuilder.CreateIndex(
                name: "ix_assignments_expires_at",
                table: "assignments",
                column: "expires_at");

            migrationBuilder.CreateIndex(
                name: "ix_assignments_tasker_id_project_id_expires_at",
                table: "assignments",
                columns: new[] { "tasker_id", "project_id", "expires_at" });

            // Room on each page for the submitted version of its rows, so that the submission's update
            // stays on the page (pages written from now on).
            migrationBuilder.Sql("ALTER TABLE assignments SET (fillfactor = 75)");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("ALTER TABLE assignments RESET (fillfactor)");

            migrationBuilder.DropTable(
                name: "duty_marks");

            migrationBuilder.DropIndex(
                name: "ix_assignments_expires_at",
                table: "assignments");

            migrationBuilder.DropIndex(
                name: "ix_assignments_tasker_id_project_id_expires_at",
                table: "assignments");

            migrationBuilder.CreateIndex(
                name: "ix_assignments_live_tasker_id_project_id_expires_at",
                table: "assignments",
                columns: new[] { "tasker_id", "project_id", "expires_at" },
                filter: "status = 'leased'");

            migrationBuilder.CreateIndex(
                name: "ix_assignments_tasker_id",
                table: "assignments",
                column: "tasker_id");
        }
    }
}
