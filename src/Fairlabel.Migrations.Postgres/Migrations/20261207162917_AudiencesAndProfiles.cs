using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fairlabel.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class AudiencesAndProfiles : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "project_audiences",
                columns: table => new
                {
                    project_id = table.Column<int>(type: "integer", nullable: false),
                    country_mode = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    countries = table.Column<List<string>>(type: "text[]", nullable: false),
                    languages = table.Column<List<string>>(type: "text[]", nullable: false),
                    expertise = table.Column<List<string>>(type: "text[]", nullable: false),
                    daily_exposure_cap = table.Column<int>(type: "integer", nullable: true),
                    updated_at = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_project_audiences", x => x.project_id);
                    table.ForeignKey(
                        name: "fk_project_audiences_projects_project_id",
                        column: x => x.project_id,
                        principalTable: "projects",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "tasker_profiles",
                columns: table => new
                {
                    user_id = table.Column<int>(type: "integer", nullable: false),
                    sensitivity_opt_ins = table.Column<List<string>>(type: "text[]", nullable: false),
                    expertise_evidence = table.Column<string>(type: "text", nullable: false),
                    updated_at = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_tasker_profiles", x => x.user_id);
                    table.ForeignKey(
                        name: "fk_tasker_profiles_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "project_audiences");

            migrationBuilder.DropTable(
                name: "tasker_profiles");
        }
    }
}
