namespace Fairlabel.Infrastructure;

/// With `Diagnostics:GcLog=true`, logs the runtime's garbage collections once a second: how many,
/// how long they stopped the node, and how much it allocated (what sets how often it collects).
/// A collection stops every request of the node at once, so on a busy machine its pauses are part
/// of the latency taskers see but no request's own timing shows (Server-Timing starts when a
/// request is read). Off by default; for measuring.
public sealed class GcLog(ILogger<GcLog> log) : BackgroundService
{
    public static void AddGcLog(WebApplicationBuilder builder)
    {
        if (builder.Configuration.GetValue<bool>("Diagnostics:GcLog")) builder.Services.AddHostedService<GcLog>();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var tick = new PeriodicTimer(TimeSpan.FromSeconds(1));
        var (paused, all, gen1, gen2, allocated) = Now();
        try
        {
            while (await tick.WaitForNextTickAsync(stoppingToken))
            {
                var now = Now();
                // The time, so that a benchmark can sum the seconds it measured (the console log has none).
                log.LogInformation("GC at {Time:HH:mm:ss} UTC: {Collections} collections (generation 1: {Gen1}, 2: {Gen2}), paused {PausedMs:F1} ms in the last second, allocated {AllocatedMb:F1} MB, heap {HeapMb} MB",
                    DateTime.UtcNow, now.All - all, now.Gen1 - gen1, now.Gen2 - gen2, (now.Paused - paused).TotalMilliseconds,
                    (now.Allocated - allocated) / (1024.0 * 1024), GC.GetTotalMemory(false) / (1024 * 1024));
                (paused, all, gen1, gen2, allocated) = now;
            }
        }
        catch (OperationCanceledException) { }

        static (TimeSpan Paused, int All, int Gen1, int Gen2, long Allocated) Now() =>
            (GC.GetTotalPauseDuration(), GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalAllocatedBytes(precise: true));
    }
}
