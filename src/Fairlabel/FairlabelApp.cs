using Fairlabel.Accounts;
using Fairlabel.Admin;
using Fairlabel.Audit;
using Fairlabel.Audiences;
using Fairlabel.Data;
using Fairlabel.Demo;
using Fairlabel.Export;
using Fairlabel.Infrastructure;
using Fairlabel.Items;
using Fairlabel.Pay;
using Fairlabel.Projects;
using Fairlabel.QualityControl;
using Fairlabel.Wellbeing;
using Fairlabel.Work;

namespace Fairlabel;

/// The table of contents: every feature adds its services and maps its endpoints here.
public static class FairlabelApp
{
    public static WebApplication Create(string[] args)
    {
        // The content root is the program's folder, wherever it is started from: its settings
        // (appsettings.json) and the built web UI (wwwroot) live there.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = args.Any(a => a.StartsWith("--contentRoot", StringComparison.OrdinalIgnoreCase))
                ? null
                : AppContext.BaseDirectory,
        });
        builder.SuitThreadPoolToDatabase();
        builder.AddFairlabelDatabase();
        builder.AddFairlabelAuthentication();
        builder.AddApiTokens();
        builder.AddInvitations();
        builder.AddApiConventions();
        builder.AddProjects();
        builder.AddAudiences();
        builder.AddWorkLoop();
        builder.AddPay();
        builder.AddItemsAndExports();
        builder.AddQualityReports();
        builder.AddAuditLog();
        builder.AddWellbeing();
        builder.AddObservability();

        var app = builder.Build();
        app.UseApiConventions();
        app.UseApiTokenGrants();
        app.MapObservability();
        app.MapAccounts();
        app.MapInvitations();
        app.MapProjects();
        app.MapAudiences();
        app.MapItems();
        app.MapWork();
        app.MapExport();
        app.MapQuality();
        app.MapWellbeing();
        app.MapAdmin();
        app.MapAudit();
        app.MapPay();
        app.MapWebUi();
        return app;
    }

    /// Checks the database before serving; `demo` (and tests, with Database:MigrateOnStart)
    /// migrate it first, and `demo` seeds the demo organisation. Returns a problem to print, or null.
    public static async Task<string?> PrepareAsync(this WebApplication app, bool demo)
    {
        if (app.Services.GetService<ConfigurationProblem>() is { } wrong) return wrong.Message;
        var settings = app.Services.GetRequiredService<DatabaseSettings>();
        if (!settings.IsSqlite && !SessionKeyCertificate.IsConfigured(app.Configuration))
            app.Logger.SessionKeysUnencrypted(SessionKeyCertificate.FileSetting);
        try
        {
            if (demo || app.Configuration.GetValue<bool>("Database:MigrateOnStart")) await app.Services.MigrateAsync();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return $"Cannot reach or migrate the database ({settings.Target}): {e.GetBaseException().Message}";
        }
        if (await app.Services.CheckAsync() is { } problem) return problem;
        // One process on SQLite: an import still running at start was this process's, and died with it.
        if (settings.IsSqlite) await app.Services.GetRequiredService<ItemImporter>().FailSilentImportsAsync(TimeSpan.Zero);
        if (demo) await DemoSeeder.SeedAsync(app.Services, Console.Out);
        return null;
    }
}
