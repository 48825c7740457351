using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fairlabel.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class ProjectAggregationMethod : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "aggregation_method",
                table: "projects",
                type: "TEXT",
                maxLength: 16,
                nullable: false,
                defaultValue: "auto");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "aggregation_method",
                table: "projects");
        }
    }
}
