using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fairlabel.Migrations.Postgres.Migrations
{
    /// Every lease and every submission updates its item's slot counters. With full pages each such
    /// update moved the row to another page and added an entry to every index of items; leaving a
    /// fifth of each page free lets PostgreSQL update in place (a HOT update), no index touched.
    /// Applies to pages written from now on: a database imported before this runs
    /// `VACUUM FULL items` once, when convenient, to get it for old items too.
    public partial class ItemsRoomForCounterUpdates : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("ALTER TABLE items SET (fillfactor = 80)");
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("ALTER TABLE items RESET (fillfactor)");
        }
    }
}
