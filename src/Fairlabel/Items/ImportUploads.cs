using Fairlabel.Data;
using Fairlabel.Events;
using Fairlabel.Projects;

namespace Fairlabel.Items;

/// Starts imports in the background (the request returns at once; the client polls) and keeps
/// uploaded files under the data directory until their import ends.
public sealed class ImportUploads(IServiceScopeFactory scopes, ItemImporter importer, IConfiguration configuration,
    TimeProvider clock, IHostApplicationLifetime lifetime)
{
    readonly string _directory = Path.Combine(Path.GetFullPath(configuration["DataDirectory"] ?? "data"), "uploads");

    public string NewPath()
    {
        Directory.CreateDirectory(_directory);
        return Path.Combine(_directory, Guid.NewGuid().ToString("n"));
    }

    public async Task<ItemImport> StartAsync(Project project, int? userId, string path, string fileName, string format,
        ImportDefaults defaults, bool deleteWhenDone)
    {
        var import = await CreateAsync(project, userId, fileName, format);
        var template = TemplateParser.ParseStored(project.Template);
        _ = Task.Run(async () =>
        {
            try { await importer.RunAsync(import.Id, project.Id, path, format, defaults, template, lifetime.ApplicationStopping); }
            finally { if (deleteWhenDone) File.Delete(path); }
        });
        return import;
    }

    public async Task<ItemImport> CreateAsync(Project project, int? userId, string fileName, string format)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<FairlabelDb>();
        var now = clock.GetUtcNow();
        var import = new ItemImport
        {
            ProjectId = project.Id, ImportedBy = userId, FileName = fileName, Format = format, StartedAt = now, AliveAt = now,
        };
        db.Imports.Add(import);
        db.Record("import.started", userId, project.OrganisationId, project.Id, new { fileName, format });
        await db.SaveChangesAsync();
        return import;
    }
}
