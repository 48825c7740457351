using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Fairlabel.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class Ledger : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ledger_transfers",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    key = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    from_account = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    to_account = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    amount_micros = table.Column<long>(type: "bigint", nullable: false),
                    currency = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: false),
                    kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    organisation_id = table.Column<int>(type: "integer", nullable: true),
                    project_id = table.Column<int>(type: "integer", nullable: true),
                    tasker_id = table.Column<int>(type: "integer", nullable: true),
                    assignment_id = table.Column<long>(type: "bigint", nullable: true),
                    at = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_ledger_transfers", x => x.id);
                    table.CheckConstraint("ck_ledger_transfers_positive", "amount_micros > 0");
                    table.CheckConstraint("ck_ledger_transfers_two_accounts", "from_account <> to_account");
                });

            migrationBuilder.CreateIndex(
                name: "ix_ledger_transfers_from_account",
                table: "ledger_transfers",
                column: "from_account");

            migrationBuilder.CreateIndex(
                name: "ix_ledger_transfers_key",
                table: "ledger_transfers",
                column: "key",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_ledger_transfers_to_account",
                table: "ledger_transfers",
                column: "to_account");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ledger_transfers");
        }
    }
}
