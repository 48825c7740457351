using Fairlabel.Accounts;
using Fairlabel.Data;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fairlabel.Audit;

public static class AuditSetup
{
    public static void AddAuditLog(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<AuditOptions>().BindConfiguration("Audit");
        builder.Services.AddSingleton<AuditIntegrator>();
        builder.Services.AddHostedService<AuditDuty>();
    }

    public sealed record AuditStatus(long Entries, long Integrated, long? CheckpointSize, DateTimeOffset? CheckpointSignedAt,
        string VerifierKey, List<string> Problems);

    public static void MapAudit(this IEndpointRouteBuilder app)
    {
        var audit = app.MapGroup("/api/admin/audit").WithTags("Operator")
            .RequireAuthorization(p => p.RequireRole(Roles.Operator)).RequireAntiforgeryForCookies();
        audit.MapGet("/", Status).WithSummary("The audit log verified now: its size, the latest checkpoint and every problem found");
    }

    static async Task<Ok<AuditStatus>> Status(DatabaseSettings database, AuditIntegrator integrator)
    {
        var result = await AuditVerifier.VerifyAsync(database, integrator.Key);
        await using var connection = await database.OpenAsync();
        var latest = await AuditStore.LatestCheckpointAsync(connection);
        return TypedResults.Ok(new AuditStatus(result.Entries, result.Integrated, latest?.Size, latest?.SignedAt,
            integrator.Key.VerifierKey, result.Problems));
    }
}
