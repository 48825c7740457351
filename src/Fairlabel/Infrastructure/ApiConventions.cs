using System.Text.Json.Serialization;
using Scalar.AspNetCore;

namespace Fairlabel.Infrastructure;

public static class ApiConventions
{
    public static void AddApiConventions(this WebApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<ProblemExceptionHandler>();
        builder.Services.AddOpenApi();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.ConfigureHttpJsonOptions(o =>
            o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.Never);
        // Unreadable bodies raise an exception our handler turns into a problem naming the field.
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.AddFairlabelRateLimits();
        builder.AddTrustedProxies();
    }

    public static void UseApiConventions(this WebApplication app)
    {
        app.UseTrustedProxies();
        app.UseSecurityHeaders();
        app.UseServerTiming();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapScalarApiReference("/api/reference", o => o.WithTitle("Fairlabel API").WithOpenApiRoutePattern("/openapi/{documentName}.json"));
    }
}
