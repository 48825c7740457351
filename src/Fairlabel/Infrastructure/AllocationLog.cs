using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace Fairlabel.Infrastructure;

/// With `Diagnostics:AllocationLog=true`, logs every ten seconds which types the node allocated
/// most, from the runtime's allocation samples (one event per ~100 KB allocated, naming the type
/// of the object that crossed the mark, so big and frequent types show in proportion). What a node
/// allocates per request sets how often it collects, and every collection pauses every request
/// (see <see cref="GcLog"/>). Off by default: the samples cost a little on every allocation mark.
public sealed class AllocationLog(ILogger<AllocationLog> log) : BackgroundService
{
    const int Shown = 15;

    public static void AddAllocationLog(WebApplicationBuilder builder)
    {
        if (builder.Configuration.GetValue<bool>("Diagnostics:AllocationLog")) builder.Services.AddHostedService<AllocationLog>();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var samples = new AllocationSamples();
        using var tick = new PeriodicTimer(TimeSpan.FromSeconds(10));
        try
        {
            while (await tick.WaitForNextTickAsync(stoppingToken))
            {
                var taken = samples.TakeAll();
                var total = taken.Sum(t => t.Value);
                if (total == 0) continue;
                var top = string.Join("; ", taken.OrderByDescending(t => t.Value).Take(Shown)
                    .Select(t => $"{t.Key} {100.0 * t.Value / total:F1}%"));
                log.LogInformation("Allocated in the last 10 s, sampled {SampledMb:F0} MB, most by type: {Top}",
                    total / (1024.0 * 1024), top);
            }
        }
        catch (OperationCanceledException) { }
    }

    sealed class AllocationSamples : EventListener
    {
        const EventKeywords GcKeyword = (EventKeywords)0x1;
        ConcurrentDictionary<string, long> _bytesByType = new();

        public Dictionary<string, long> TakeAll() => new(Interlocked.Exchange(ref _bytesByType, new()));

        protected override void OnEventSourceCreated(EventSource source)
        {
            if (source.Name == "Microsoft-Windows-DotNETRuntime") EnableEvents(source, EventLevel.Verbose, GcKeyword);
        }

        protected override void OnEventWritten(EventWrittenEventArgs e)
        {
            if (e.EventName?.StartsWith("GCAllocationTick", StringComparison.Ordinal) != true || e.PayloadNames is null) return;
            var amount = e.PayloadNames.IndexOf("AllocationAmount64");
            var type = e.PayloadNames.IndexOf("TypeName");
            if (amount < 0 || type < 0) return;
            _bytesByType.AddOrUpdate(e.Payload![type] as string ?? "?", Convert.ToInt64(e.Payload[amount]), (_, sum) => sum + Convert.ToInt64(e.Payload[amount]));
        }
    }
}
