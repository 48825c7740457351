using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fairlabel.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class PayFloors : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "pay_floors",
                columns: table => new
                {
                    id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    country = table.Column<string>(type: "TEXT", maxLength: 2, nullable: false),
                    hourly_amount = table.Column<decimal>(type: "TEXT", precision: 18, scale: 6, nullable: false),
                    currency = table.Column<string>(type: "TEXT", maxLength: 3, nullable: false),
                    source = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    updated_at = table.Column<long>(type: "INTEGER", nullable: false),
                    updated_by = table.Column<int>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_pay_floors", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_pay_floors_country_currency",
                table: "pay_floors",
                columns: new[] { "country", "currency" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "pay_floors");
        }
    }
}
