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

    /// On SQLite every database call blocks its thread for as long as it runs (Microsoft.Data.Sqlite
    /// has no asynchronous I/O), and the thread pool adds threads only slowly when all are blocked,
    /// so requests queued behind them waited: 32 threads ready from the start took the work loop's
    /// next-task p99 from 72 ms to 15–22 ms (docs/benchmarks.md). On PostgreSQL, whose driver does
    /// not block, the same setting cost a fifth of the throughput, so it is left to the runtime.
    public static void ReadyThreadsForBlockingCalls(this DatabaseSettings settings)
    {
        if (!settings.IsSqlite) return;
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, 32), io);
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
