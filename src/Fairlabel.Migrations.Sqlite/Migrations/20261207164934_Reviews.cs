using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fairlabel.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class Reviews : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "review_days",
                table: "projects",
                type: "INTEGER",
                nullable: false,
                defaultValue: 7);

            migrationBuilder.CreateTable(
                name: "answer_reviews",
                columns: table => new
                {
                    answer_id = table.Column<long>(type: "INTEGER", nullable: false),
                    project_id = table.Column<int>(type: "INTEGER", nullable: false),
                    tasker_id = table.Column<int>(type: "INTEGER", nullable: false),
                    decision = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    reason = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    note = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    reviewer_id = table.Column<int>(type: "INTEGER", nullable: true),
                    decided_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_answer_reviews", x => x.answer_id);
                    table.ForeignKey(
                        name: "fk_answer_reviews_answers_answer_id",
                        column: x => x.answer_id,
                        principalTable: "answers",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_answer_reviews_tasker_id_decided_at",
                table: "answer_reviews",
                columns: new[] { "tasker_id", "decided_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "answer_reviews");

            migrationBuilder.DropColumn(
                name: "review_days",
                table: "projects");
        }
    }
}
