using Fairlabel.Data;
using Fairlabel.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Fairlabel.Tests.Operations;

/// A database migrated from an earlier version keeps its promises: here, leases live at the upgrade.
public abstract class UpgradeTests(Engine engine)
{
    // The lease sweep reads only expiries after its mark (decision 0003, "Submissions update in
    // place"). The migration that brings the mark must set it before every lease still live at the
    // upgrade, including one already past its expiry that no sweep has returned yet (the node that
    // sweeps was down, say); else that lease's slot would never come back.
    [Fact]
    public async Task Leases_live_at_the_upgrade_that_brings_the_sweeps_mark_are_still_swept()
    {
        using var database = new ProcessDatabase(engine);
        var now = Sql.Millis(DateTimeOffset.UtcNow);
        var options = new DbContextOptionsBuilder<FairlabelDb>();
        database.Settings.Configure(options);
        await using (var db = new FairlabelDb(options.Options))
        {
            var migrations = db.Database.GetMigrations().ToList();
            var withMark = migrations.FindIndex(m => m.EndsWith(engine == Engine.Postgres ? "_SubmissionsUpdateInPlace" : "_LeaseSweepMark"));
            await db.GetService<IMigrator>().MigrateAsync(migrations[withMark - 1]);

            // Assignments alone, with the foreign keys off: the sweep reads nothing else.
            await using var connection = await database.Settings.OpenAsync();
            await connection.ExecuteAsync(null, engine == Engine.Postgres ? "SET session_replication_role = replica" : "PRAGMA foreign_keys = OFF");
            foreach (var (id, status, expires) in new[] { (1, "leased", now - 60_000), (2, "leased", now + 600_000), (3, "submitted", now - 120_000) })
                await connection.ExecuteAsync(null,
                    "INSERT INTO assignments (id, project_id, item_id, tasker_id, status, leased_at, expires_at, pay_rate, currency) " +
                    $"VALUES ({id}, 1, {id}, 1, '{status}', {expires - 600_000}, {expires}, 0.25, 'USD')");

            await db.Database.MigrateAsync();
        }
        Assert.Equal(now - 60_001, await database.Settings.ScalarAsync("SELECT through FROM duty_marks WHERE duty = 'lease-expiry'"));

        await using var server = await ServerProcess.StartAsync(database.ServerArguments);
        await database.Settings.UntilAsync("SELECT count(*) FROM assignments WHERE id = 1 AND status = 'expired'", 1);
        Assert.Equal("leased", await database.Settings.TextAsync("SELECT status FROM assignments WHERE id = 2"));
        Assert.Equal("submitted", await database.Settings.TextAsync("SELECT status FROM assignments WHERE id = 3"));
    }
}

public sealed class UpgradeOnSqlite() : UpgradeTests(Engine.Sqlite);
public sealed class UpgradeOnPostgres() : UpgradeTests(Engine.Postgres);
