using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Fairlabel.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class ContentReports : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "content_reports",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    project_id = table.Column<int>(type: "integer", nullable: false),
                    item_id = table.Column<long>(type: "bigint", nullable: false),
                    tasker_id = table.Column<int>(type: "integer", nullable: false),
                    assignment_id = table.Column<long>(type: "bigint", nullable: false),
                    reason = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    note = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    reported_at = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_content_reports", x => x.id);
                    table.ForeignKey(
                        name: "fk_content_reports_assignments_assignment_id",
                        column: x => x.assignment_id,
                        principalTable: "assignments",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_content_reports_items_item_id",
                        column: x => x.item_id,
                        principalTable: "items",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_content_reports_users_tasker_id",
                        column: x => x.tasker_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "item_quarantines",
                columns: table => new
                {
                    item_id = table.Column<long>(type: "bigint", nullable: false),
                    project_id = table.Column<int>(type: "integer", nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    quarantined_at = table.Column<long>(type: "bigint", nullable: false),
                    changed_at = table.Column<long>(type: "bigint", nullable: false),
                    decided_by = table.Column<int>(type: "integer", nullable: true),
                    decided_at = table.Column<long>(type: "bigint", nullable: true),
                    decision_note = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_item_quarantines", x => x.item_id);
                    table.ForeignKey(
                        name: "fk_item_quarantines_items_item_id",
                        column: x => x.item_id,
                        principalTable: "items",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_content_reports_assignment_id",
                table: "content_reports",
                column: "assignment_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_content_reports_item_id",
                table: "content_reports",
                column: "item_id");

            migrationBuilder.CreateIndex(
                name: "ix_content_reports_project_id_item_id",
                table: "content_reports",
                columns: new[] { "project_id", "item_id" });

            migrationBuilder.CreateIndex(
                name: "ix_content_reports_tasker_id",
                table: "content_reports",
                column: "tasker_id");

            migrationBuilder.CreateIndex(
                name: "ix_item_quarantines_changed_at",
                table: "item_quarantines",
                column: "changed_at");

            migrationBuilder.CreateIndex(
                name: "ix_item_quarantines_project_id_status",
                table: "item_quarantines",
                columns: new[] { "project_id", "status" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "content_reports");

            migrationBuilder.DropTable(
                name: "item_quarantines");
        }
    }
}
