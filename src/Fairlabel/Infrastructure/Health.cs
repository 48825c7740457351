using System.Text.Json;
using Fairlabel.Data;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Fairlabel.Infrastructure;

/// The framework's health checks: `/health/live` answers while the process serves (and is the
/// trivial request the load generator takes as the machine's ceiling); `/health/ready` while the
/// database answers and has every migration, so a load balancer sends no taskers to a node that
/// would fail them.
public static class Health
{
    public const string Path = "/health";
    const string Ready = "ready";

    public static void AddHealth(this WebApplicationBuilder builder) =>
        builder.Services.AddHealthChecks().AddDbContextCheck<FairlabelDb>("database", tags: [Ready],
            customTestQuery: async (db, cancel) => !(await db.Database.GetPendingMigrationsAsync(cancel)).Any());

    public static void MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks(Path + "/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync })
            .WithTags("Health").WithSummary("Liveness: the process serves");
        app.MapHealthChecks(Path + "/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(Ready), ResponseWriter = WriteAsync })
            .WithTags("Health").WithSummary("Readiness: the database answers and is migrated");
    }

    /// `{"status":"healthy","checks":{"database":"healthy"}}`; 503 when a check fails. No
    /// exception text: the endpoints are anonymous.
    static Task WriteAsync(HttpContext http, HealthReport report)
    {
        http.Response.ContentType = "application/json";
        return JsonSerializer.SerializeAsync(http.Response.Body, new
        {
            status = Name(report.Status),
            checks = report.Entries.ToDictionary(e => e.Key, e => Name(e.Value.Status)),
        });
    }

    static string Name(HealthStatus status) => status.ToString().ToLowerInvariant();
}
