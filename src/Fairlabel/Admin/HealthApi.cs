using Fairlabel.Data;

namespace Fairlabel.Admin;

public static class HealthApi
{
    public static void MapHealth(this IEndpointRouteBuilder app)
    {
        // Liveness: the process answers. Also the trivial endpoint the load generator uses as the ceiling.
        app.MapGet("/health", () => TypedResults.Ok(new { status = "ok" })).WithTags("Health").WithSummary("Liveness");
        app.MapGet("/health/ready", async (DatabaseSettings database) =>
        {
            try
            {
                await using var connection = await database.OpenAsync();
                await connection.ScalarAsync<long>(null, "SELECT 1");
                return Results.Ok(new { status = "ready", database = database.Provider.ToString().ToLowerInvariant() });
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                return Results.Problem(title: "The database is unavailable", statusCode: 503);
            }
        }).WithTags("Health").WithSummary("Readiness: the database answers");
    }
}
