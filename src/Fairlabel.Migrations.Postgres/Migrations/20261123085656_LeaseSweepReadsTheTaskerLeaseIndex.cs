using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fairlabel.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class LeaseSweepReadsTheTaskerLeaseIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_assignments_live_expires_at",
                table: "assignments");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_assignments_live_expires_at",
                table: "assignments",
                column: "expires_at",
                filter: "status = 'leased'");
        }
    }
}
