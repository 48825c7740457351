using Fairlabel.Accounts;
using Fairlabel.Data;
using Fairlabel.Infrastructure;
using Fairlabel.Projects;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fairlabel.QualityControl;

public static class QualityApi
{
    public static void AddQualityReports(this WebApplicationBuilder builder) =>
        builder.Services.AddSingleton<QualityReport>();

    public static void MapQuality(this IEndpointRouteBuilder app) =>
        app.MapGroup("/api/projects/{projectId:int}").WithTags("Quality")
            .RequireAuthorization(p => p.RequireRole(Roles.Requester))
            .MapGet("/quality", Report)
            .WithSummary("Agreement per question and estimated accuracy per tasker");

    static async Task<Results<Ok<ProjectQuality>, ProblemHttpResult>> Report(
        int projectId, HttpContext http, FairlabelDb db, QualityReport report) =>
        await db.FindManagedAsync(http.User, projectId) is null
            ? Problems.NotFound("Project")
            : TypedResults.Ok(await report.BuildAsync(projectId, http.RequestAborted));
}
