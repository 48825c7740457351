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

    /// What a multipart body may hold beside the file: boundaries, headers, the default fields.
    public const long FormOverheadBytes = 64 << 10;
    public const int MaxFieldLength = 1000;

    /// Copies an uploaded file to <paramref name="path"/>; false, stopping there, once it passes
    /// <paramref name="maxBytes"/> (the caller deletes what was written).
    public static async Task<bool> SaveAtMostAsync(Stream upload, string path, long maxBytes)
    {
        await using var target = File.Create(path);
        var buffer = new byte[1 << 16];
        long total = 0;
        while (await upload.ReadAsync(buffer) is var read and > 0)
        {
            total += read;
            if (total > maxBytes) return false;
            await target.WriteAsync(buffer.AsMemory(0, read));
        }
        return true;
    }

    /// A form field's text, or null when it is longer than <see cref="MaxFieldLength"/>.
    public static async Task<string?> ReadFieldAsync(Stream field)
    {
        using var reader = new StreamReader(field);
        var buffer = new char[MaxFieldLength + 1];
        var read = await reader.ReadBlockAsync(buffer);
        return read > MaxFieldLength ? null : new string(buffer, 0, read);
    }

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
