using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fairlabel.Migrations.Sqlite.Migrations
{
    /// The lease sweep reads expiries from a mark (duty_marks; WorkLoop.ExpireLeasesAsync), as on PostgreSQL.
    public partial class LeaseSweepMark : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "duty_marks",
                columns: table => new
                {
                    duty = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    through = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_duty_marks", x => x.duty);
                });

            // The sweep's first mark: just before the earliest expiry of a live lease, or now.
            migrationBuilder.Sql(
                "INSERT INTO duty_marks (duty, through) " +
                "SELECT 'lease-expiry', coalesce(min(expires_at) - 1, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)) " +
                "FROM assignments WHERE status = 'leased'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "duty_marks");
        }
    }
}
