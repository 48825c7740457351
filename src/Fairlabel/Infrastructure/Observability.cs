using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Fairlabel.Infrastructure;

/// Metrics, traces and health in one place. OpenTelemetry is wired only when something reads it:
/// the Prometheus scrape endpoint (`Observability:Prometheus=true`, served at /metrics) or an OTLP
/// collector (`OTEL_EXPORTER_OTLP_ENDPOINT`). Without either, the counters cost a check each and
/// can still be read from outside with `dotnet-counters monitor --counters Fairlabel`.
public static class Observability
{
    /// The meter of the app's own counters (WorkMetrics, ImportMetrics, ExportMetrics).
    public const string MeterName = "Fairlabel";
    public const string PrometheusSetting = "Observability:Prometheus";
    public const string OtlpEndpointSetting = "OTEL_EXPORTER_OTLP_ENDPOINT";
    public const string MetricsPath = "/metrics";

    public static void AddObservability(this WebApplicationBuilder builder)
    {
        builder.AddHealth();
        var prometheus = builder.Configuration.GetValue<bool>(PrometheusSetting);
        var otlp = !string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpointSetting]);
        if (!prometheus && !otlp) return;

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("fairlabel"))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(MeterName).AddAspNetCoreInstrumentation().AddRuntimeInstrumentation().AddMeter("Npgsql");
                if (prometheus) metrics.AddPrometheusExporter();
            });
        if (!otlp) return;
        // Traces and logs only go to a collector; the probes and the scrape are left out of the traces.
        telemetry.WithTracing(tracing => tracing
            .AddAspNetCoreInstrumentation(o => o.Filter = http => !IsProbeOrScrape(http.Request.Path))
            .AddNpgsql());
        builder.Logging.AddOpenTelemetry(o => o.IncludeFormattedMessage = true);
        telemetry.UseOtlpExporter();
    }

    public static void MapObservability(this WebApplication app)
    {
        app.MapHealth();
        if (app.Configuration.GetValue<bool>(PrometheusSetting)) app.MapPrometheusScrapingEndpoint(MetricsPath);
    }

    static bool IsProbeOrScrape(PathString path) =>
        path.StartsWithSegments(Health.Path) || path.StartsWithSegments(MetricsPath);
}
