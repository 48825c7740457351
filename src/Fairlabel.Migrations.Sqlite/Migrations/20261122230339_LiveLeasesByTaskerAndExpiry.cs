using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fairlabel.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class LiveLeasesByTaskerAndExpiry : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_assignments_live_tasker_id_project_id",
                table: "assignments");

            migrationBuilder.CreateIndex(
                name: "ix_assignments_live_tasker_id_project_id_expires_at",
                table: "assignments",
                columns: new[] { "tasker_id", "project_id", "expires_at" },
                filter: "status = 'leased'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_assignments_live_tasker_id_project_id_expires_at",
                table: "assignments");

            migrationBuilder.CreateIndex(
                name: "ix_assignments_live_tasker_id_project_id",
                table: "assignments",
                columns: new[] { "tasker_id", "project_id" },
                filter: "status = 'leased'");
        }
    }
}
