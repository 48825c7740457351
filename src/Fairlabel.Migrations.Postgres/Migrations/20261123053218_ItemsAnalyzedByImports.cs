using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fairlabel.Migrations.Postgres.Migrations
{
    /// Every lease and every submission updates its item's slot counters, and autovacuum counted
    /// those updates towards re-analysing items: at 2,100 cycles/s, an ANALYZE of the 1,000,000-item
    /// table every minute (1.8–2.4 s, 14,000 pages read), and with it the worst second of next-task
    /// latency in each benchmark run. The counters play no part in any plan; what changes the
    /// statistics is an import, and the importer analyses items when one succeeds
    /// (ItemImporter.AnalyseAsync). The table is still analysed automatically after ten times its
    /// size in changes, a safety net for writes that come some other way.
    public partial class ItemsAnalyzedByImports : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("ALTER TABLE items SET (autovacuum_analyze_scale_factor = 10)");
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("ALTER TABLE items RESET (autovacuum_analyze_scale_factor)");
        }
    }
}
