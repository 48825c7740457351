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
