using Fairlabel.Accounts;
using Fairlabel.Data;
using Fairlabel.Events;
using Fairlabel.Infrastructure;
using Fairlabel.Projects;

namespace Fairlabel.Export;

public static class ExportApi
{
    public static void MapExport(this IEndpointRouteBuilder app) =>
        app.MapGroup("/api/projects/{projectId:int}").WithTags("Export")
            .RequireAuthorization(p => p.RequireRole(Roles.Requester))
            .MapGet("/export", Export)
            .WithSummary("Download the dataset: items, provenance, raw answers and aggregated labels (jsonl or csv)");

    static async Task<IResult> Export(int projectId, HttpContext http, FairlabelDb db, ProjectExport export, string format = "jsonl")
    {
        if (await db.FindManagedAsync(http.User, projectId) is not { } project) return Problems.NotFound("Project");
        if (!ProjectExport.Formats.Contains(format))
            return Problems.Invalid("The export request is not valid", "format", "must be 'jsonl' or 'csv'");
        db.Record("export.downloaded", http.User.Id(), project.OrganisationId, projectId, new { format });
        await db.SaveChangesAsync();
        var fileName = $"project-{projectId}-{DateTime.UtcNow:yyyyMMdd-HHmmss}.{format}";
        return Results.Stream(async stream => await export.WriteAsync(stream, projectId, format, http.RequestAborted),
            format == "csv" ? "text/csv; charset=utf-8" : "application/jsonl; charset=utf-8", fileName);
    }
}
