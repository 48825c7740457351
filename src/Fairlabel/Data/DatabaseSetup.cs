using System.Reflection;
using System.Runtime.Loader;
using Microsoft.EntityFrameworkCore;

namespace Fairlabel.Data;

public static class DatabaseSetup
{
    public static void AddFairlabelDatabase(this WebApplicationBuilder builder)
    {
        LoadMigrationsFromAppDirectory();
        // Resolved lazily so that configuration added by a test host is seen.
        builder.Services.AddSingleton(sp => DatabaseSettings.FromConfiguration(sp.GetRequiredService<IConfiguration>()));
        builder.Services.AddDbContextPool<FairlabelDb>((sp, options) => sp.GetRequiredService<DatabaseSettings>().Configure(options));
    }

    /// Suits the thread pool to the engine. It must run before the pool starts its first worker,
    /// which reads the spin limit once.
    /// - SQLite: every database call blocks its thread for as long as it runs (Microsoft.Data.Sqlite
    ///   has no asynchronous I/O), and the pool adds threads only slowly when all are blocked, so
    ///   requests queued behind them waited: 32 threads ready from the start took the work loop's
    ///   next-task p99 from 72 ms to 15–22 ms. Idle workers spin a little before sleeping, as by
    ///   default; without that spinning the p99 went back to 59 ms.
    /// - PostgreSQL: the driver does not block, and 32 ready threads cost a fifth of the
    ///   throughput. Idle workers sleep at once: their spinning (sched_yield) was a quarter of a
    ///   node's CPU at a thousand requests a second, time the database needed on the same cores,
    ///   and without it the next-task p99 fell from 52 ms to 23–31 ms (docs/benchmarks.md).
    public static void SuitThreadPoolToDatabase(this WebApplicationBuilder builder)
    {
        switch (DatabaseSettings.TryProviderFrom(builder.Configuration))
        {
            case DatabaseProvider.Sqlite:
                ThreadPool.GetMinThreads(out var workers, out var io);
                ThreadPool.SetMinThreads(Math.Max(workers, 32), io);
                break;
            case DatabaseProvider.Postgres:
                AppContext.SetData("System.Threading.ThreadPool.UnfairSemaphoreSpinLimit", 0);
                break;
        }
    }

    /// Applies the migrations of the configured engine (`fairlabel migrate`, and `demo`).
    public static async Task MigrateAsync(this IServiceProvider services)
    {
        using var scope = services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<FairlabelDb>();
        await db.Database.MigrateAsync();
    }

    /// Fails fast with the target's name when the database cannot be reached or is not migrated.
    public static async Task<string?> CheckAsync(this IServiceProvider services)
    {
        var settings = services.GetRequiredService<DatabaseSettings>();
        using var scope = services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<FairlabelDb>();
        try
        {
            var pending = (await db.Database.GetPendingMigrationsAsync()).ToList();
            return pending.Count == 0
                ? null
                : $"The database ({settings.Target}) needs {pending.Count} migration(s); run `fairlabel migrate` first.";
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return $"Cannot reach the database ({settings.Target}): {e.GetBaseException().Message}";
        }
    }

    /// The migrations assemblies reference this one, so this one cannot reference them: they are
    /// built beside it (see the migrations projects) and loaded from the application's folder.
    static void LoadMigrationsFromAppDirectory() =>
        AssemblyLoadContext.Default.Resolving += (context, name) =>
        {
            if (name.Name?.StartsWith("Fairlabel.Migrations.", StringComparison.Ordinal) != true) return null;
            var path = Path.Combine(AppContext.BaseDirectory, name.Name + ".dll");
            return File.Exists(path) ? context.LoadFromAssemblyPath(path) : null;
        };
}
