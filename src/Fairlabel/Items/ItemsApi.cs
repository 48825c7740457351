using System.Text.Json;
using Fairlabel.Accounts;
using Fairlabel.Data;
using Fairlabel.Infrastructure;
using Fairlabel.Projects;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Fairlabel.Items;

public sealed record ImportView(
    long Id, string FileName, string Status, long LinesRead, long Inserted, long Duplicates, long BytesRead,
    long TotalBytes, List<LineError> Errors, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt);
public sealed record Provenance(
    string Source, string Licence, string ConsentBasis, bool PersonalData, bool Minors, string[] Sensitivity,
    DateTimeOffset? CollectedAt);
public sealed record ItemView(long Id, string ExternalId, JsonElement Data, JsonElement? Gold, Provenance Provenance, int Answers);
public sealed record ItemPage(int Total, List<ItemView> Items);

public static class ItemsApi
{
    public static void MapItems(this IEndpointRouteBuilder app)
    {
        var items = app.MapGroup("/api/projects/{projectId:int}").WithTags("Items")
            .RequireAuthorization(p => p.RequireRole(Roles.Requester)).RequireAntiforgeryForCookies();
        items.MapPost("/imports", Upload).RequireRateLimiting(RateLimits.Imports).WithSummary("Import items from a JSONL, CSV or TSV file (multipart field 'file')");
        items.MapGet("/imports", ListImports).WithSummary("Imports of a project, newest first");
        items.MapGet("/imports/{importId:long}", GetImport).WithSummary("One import, with its progress and errors");
        items.MapGet("/items", ListItems).WithSummary("Items with provenance, a page at a time");
    }

    static async Task<Results<Accepted<ImportView>, ValidationProblem, ProblemHttpResult>> Upload(
        int projectId, HttpRequest request, HttpContext http, FairlabelDb db, ImportUploads uploads, IOptions<ImportOptions> options)
    {
        if (await db.FindManagedAsync(http.User, projectId) is not { } project) return Problems.NotFound("Project");
        var maxBytes = options.Value.MaxUploadBytes;
        // Refused before a byte is read when the client states its size; the framework's own limit,
        // a little above, stops a body that lies about it or states none.
        if (request.ContentLength > maxBytes + ImportUploads.FormOverheadBytes) return UploadTooLarge(maxBytes);
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            limit.MaxRequestBodySize = maxBytes + ImportUploads.FormOverheadBytes;
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType) ||
            HeaderUtilities.RemoveQuotes(contentType.Boundary).Value is not { Length: > 0 } boundary)
            return Problems.Invalid("The upload is not valid", "file", "send the file as multipart/form-data in a field named 'file'");

        // Stream the upload to disk: a file of a million lines never sits in memory.
        var reader = new MultipartReader(boundary, request.Body);
        var fields = new Dictionary<string, string>();
        string? fileName = null, savedPath = null;
        try
        {
            while (await reader.ReadNextSectionAsync() is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)) continue;
                var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? "";
                if (disposition.IsFileDisposition() && name == "file" && savedPath is null)
                {
                    fileName = Path.GetFileName(HeaderUtilities.RemoveQuotes(disposition.FileName).Value ?? "upload");
                    savedPath = uploads.NewPath();
                    if (!await ImportUploads.SaveAtMostAsync(section.Body, savedPath, maxBytes))
                        return Discarded(savedPath, UploadTooLarge(maxBytes));
                }
                else if (name is "source" or "licence" or "consentBasis")
                {
                    if (await ImportUploads.ReadFieldAsync(section.Body) is not { } value)
                        return Discarded(savedPath, Problems.Invalid("The upload is not valid", name,
                            $"must be at most {ImportUploads.MaxFieldLength} characters"));
                    fields[name] = value;
                }
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return Discarded(savedPath, UploadTooLarge(maxBytes));
        }
        if (savedPath is null || fileName is null)
            return Problems.Invalid("The upload is not valid", "file", "is required");
        var format = ItemFileReader.FormatOf(fileName);
        if (format.Length == 0)
            return Discarded(savedPath, Problems.Invalid("The upload is not valid", "file", "must be a .jsonl, .csv or .tsv file"));
        var defaults = new ImportDefaults(fields.GetValueOrDefault("source"), fields.GetValueOrDefault("licence"),
            fields.GetValueOrDefault("consentBasis"));
        var import = await uploads.StartAsync(project, http.User.Id(), savedPath, fileName, format, defaults, deleteWhenDone: true);
        return TypedResults.Accepted($"/api/projects/{projectId}/imports/{import.Id}", ToView(import, null));
    }

    static ProblemHttpResult UploadTooLarge(long maxBytes) => TypedResults.Problem(title: "The upload is too large",
        detail: $"An import file may hold at most {maxBytes:N0} bytes; split the file, or import it with `fairlabel import`.",
        statusCode: StatusCodes.Status413PayloadTooLarge);

    static TResult Discarded<TResult>(string? savedPath, TResult result)
    {
        if (savedPath is not null) File.Delete(savedPath);
        return result;
    }

    static async Task<Results<Ok<List<ImportView>>, ProblemHttpResult>> ListImports(
        int projectId, HttpContext http, FairlabelDb db, ItemImporter importer)
    {
        if (await db.FindManagedAsync(http.User, projectId) is null) return Problems.NotFound("Project");
        var imports = await db.Imports.AsNoTracking().Where(i => i.ProjectId == projectId).OrderByDescending(i => i.Id).ToListAsync();
        return TypedResults.Ok(imports.Select(i => ToView(i, importer.Running(i.Id))).ToList());
    }

    static async Task<Results<Ok<ImportView>, ProblemHttpResult>> GetImport(
        int projectId, long importId, HttpContext http, FairlabelDb db, ItemImporter importer)
    {
        if (await db.FindManagedAsync(http.User, projectId) is null) return Problems.NotFound("Project");
        var import = await db.Imports.AsNoTracking().FirstOrDefaultAsync(i => i.Id == importId && i.ProjectId == projectId);
        return import is null ? Problems.NotFound("Import") : TypedResults.Ok(ToView(import, importer.Running(importId)));
    }

    static async Task<Results<Ok<ItemPage>, ProblemHttpResult>> ListItems(
        int projectId, HttpContext http, FairlabelDb db, int offset = 0, int limit = 50)
    {
        if (await db.FindManagedAsync(http.User, projectId) is null) return Problems.NotFound("Project");
        limit = Math.Clamp(limit, 1, 500);
        var visible = db.Items.AsNoTracking().Where(i => i.ProjectId == projectId &&
            db.Imports.Any(m => m.Id == i.ImportId && m.Status == ImportStatus.Succeeded));
        var page = await visible.OrderBy(i => i.Id).Skip(Math.Max(0, offset)).Take(limit)
            .Select(i => new { Item = i, Answers = db.Answers.Count(a => a.ProjectId == projectId && a.ItemId == i.Id) }).ToListAsync();
        return TypedResults.Ok(new ItemPage(await visible.CountAsync(), page.Select(x => new ItemView(
            x.Item.Id, x.Item.ExternalId, JsonDocument.Parse(x.Item.Data).RootElement,
            x.Item.Gold is null ? null : JsonDocument.Parse(x.Item.Gold).RootElement,
            ProvenanceOf(x.Item), x.Answers)).ToList()));
    }

    public static Provenance ProvenanceOf(Item i) => new(i.Source, i.Licence, i.ConsentBasis, i.PersonalData, i.Minors,
        i.Sensitivity.Length == 0 ? [] : i.Sensitivity.Split(';'), i.CollectedAt);

    static ImportView ToView(ItemImport i, ImportProgress? running) => running is null
        ? new(i.Id, i.FileName, i.Status, i.LinesRead, i.Inserted, i.Duplicates, i.BytesRead, i.TotalBytes,
            JsonSerializer.Deserialize<List<LineError>>(i.Errors, JsonSerializerOptions.Web) ?? [], i.StartedAt, i.FinishedAt)
        : new(i.Id, i.FileName, running.Status, running.LinesRead, running.Inserted, running.Duplicates,
            running.BytesRead, running.TotalBytes, Snapshot(running), i.StartedAt, null);

    static List<LineError> Snapshot(ImportProgress p) { lock (p.Errors) return [.. p.Errors]; }
}
