using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fairlabel.Migrations.Postgres.Migrations
{
    /// Assignments and answers grow and change with every cycle of the work loop, so autovacuum
    /// visits both once a minute. At its default pace it did the round's work (0.6–0.8 s) in one
    /// burst that took PostgreSQL from 0.62 to 0.96 cores for a second, and 43 % of next-task
    /// requests in that second over 25 ms. Sleeping longer between its steps spreads the same work
    /// over a few seconds, still a small part of the minute between rounds.
    public partial class WorkTablesVacuumedGently : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("ALTER TABLE assignments SET (autovacuum_vacuum_cost_delay = 10)");
            migrationBuilder.Sql("ALTER TABLE answers SET (autovacuum_vacuum_cost_delay = 10)");
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("ALTER TABLE assignments RESET (autovacuum_vacuum_cost_delay)");
            migrationBuilder.Sql("ALTER TABLE answers RESET (autovacuum_vacuum_cost_delay)");
        }
    }
}
