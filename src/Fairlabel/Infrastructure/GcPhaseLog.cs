using System.Diagnostics.Tracing;
using System.Globalization;
using System.Text;

namespace Fairlabel.Infrastructure;

/// With `Diagnostics:GcPhases=true`, logs where each garbage collection's pause went, from the
/// runtime's own events: stopping the node's threads, marking from each kind of root, the rest of
/// the collection, and starting the threads again. It also logs other stops of every thread over a
/// millisecond (the runtime stops them for some code changes, not only to collect). Under load, a
/// node's collections spent most of their marking on older generations' references into the young
/// one. Off by default: for measuring.
public sealed class GcPhaseLog(ILogger<GcPhaseLog> log) : BackgroundService
{
    public static void AddGcPhaseLog(WebApplicationBuilder builder)
    {
        if (builder.Configuration.GetValue<bool>("Diagnostics:GcPhases")) builder.Services.AddHostedService<GcPhaseLog>();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var listener = new RuntimeEvents(new Pauses(line => log.LogInformation("{Pause}", line)));
        try { await Task.Delay(Timeout.Infinite, stoppingToken); }
        catch (OperationCanceledException) { }
    }

    sealed class RuntimeEvents(Pauses pauses) : EventListener
    {
        const EventKeywords GcKeyword = (EventKeywords)0x1;

        protected override void OnEventSourceCreated(EventSource source)
        {
            if (source.Name == "Microsoft-Windows-DotNETRuntime") EnableEvents(source, EventLevel.Informational, GcKeyword);
        }

        protected override void OnEventWritten(EventWrittenEventArgs e)
        {
            if (e.EventName is not { } name || e.PayloadNames is not { } names) return;
            long Number(string field) => names.IndexOf(field) is var i and >= 0 ? Convert.ToInt64(e.Payload![i], CultureInfo.InvariantCulture) : 0;
            var at = e.TimeStamp;
            if (name.StartsWith("GCSuspendEEBegin", StringComparison.Ordinal)) pauses.Stopping(at, (int)Number("Reason"));
            else if (name.StartsWith("GCSuspendEEEnd", StringComparison.Ordinal)) pauses.Stopped(at);
            else if (name.StartsWith("GCStart", StringComparison.Ordinal)) pauses.Collecting(at, (int)Number("Depth"));
            else if (name.StartsWith("GCMarkWithType", StringComparison.Ordinal))
                pauses.Marked(at, (int)Number("HeapNum"), (int)Number("Type"), Number("Bytes"));
            else if (name.StartsWith("GCEnd", StringComparison.Ordinal)) pauses.Collected(at);
            else if (name.StartsWith("GCRestartEEEnd", StringComparison.Ordinal)) pauses.Restarted(at);
        }
    }

    /// One stop of the node's threads at a time, from the events' timestamps. The runtime raises
    /// the events of a stop in order; each heap's marking events in order for that heap.
    internal sealed class Pauses(Action<string> write)
    {
        const int SuspendForCollection = 1, SuspendForCollectionPrep = 6;
        static readonly TimeSpan WorthTelling = TimeSpan.FromMilliseconds(1);

        readonly object _gate = new();
        DateTime _stopping, _stopped, _collecting, _collected;
        int _reason, _generation = -1;
        readonly Dictionary<int, DateTime> _lastMarkOfHeap = [];
        readonly SortedDictionary<int, (double Ms, long Bytes)> _marking = [];

        public void Stopping(DateTime at, int reason)
        {
            lock (_gate)
            {
                (_stopping, _stopped, _collecting, _collected, _reason, _generation) = (at, at, default, default, reason, -1);
                _lastMarkOfHeap.Clear();
                _marking.Clear();
            }
        }

        public void Stopped(DateTime at) { lock (_gate) _stopped = at; }

        public void Collecting(DateTime at, int generation) { lock (_gate) (_collecting, _generation) = (at, generation); }

        /// A heap finished marking from one kind of root: its time is since that heap's last mark
        /// (or the collection's start), summed over heaps; they mark side by side.
        public void Marked(DateTime at, int heap, int rootKind, long bytes)
        {
            lock (_gate)
            {
                var since = _lastMarkOfHeap.GetValueOrDefault(heap, _collecting == default ? at : _collecting);
                _lastMarkOfHeap[heap] = at;
                var (ms, total) = _marking.GetValueOrDefault(rootKind);
                _marking[rootKind] = (ms + (at - since).TotalMilliseconds, total + bytes);
            }
        }

        public void Collected(DateTime at) { lock (_gate) _collected = at; }

        public void Restarted(DateTime at)
        {
            string line;
            lock (_gate)
            {
                var whole = at - _stopping;
                if (_generation < 0)
                {
                    if (whole < WorthTelling || _reason is SuspendForCollection or SuspendForCollectionPrep) return;
                    line = $"threads stopped {Ms(whole)} ms, not to collect (the runtime's reason {_reason})";
                }
                else
                {
                    var text = new StringBuilder($"collection of generation {_generation}: threads stopped {Ms(whole)} ms; " +
                                                 $"stopping {Ms(_stopped - _stopping)}, marking");
                    var marked = 0.0;
                    foreach (var (kind, (ms, bytes)) in _marking)
                    {
                        text.Append(CultureInfo.InvariantCulture, $" {RootKind(kind)} {ms:0.0} ms ({bytes / 1024:N0} KB),");
                        marked += ms;
                    }
                    var end = _collected == default ? at : _collected;
                    var heaps = Math.Max(1, _lastMarkOfHeap.Count);
                    text.Append(CultureInfo.InvariantCulture,
                        $" on {heaps} heap{(heaps == 1 ? "" : "s")}; the rest of the collection {Ms(end - _collecting - TimeSpan.FromMilliseconds(marked / heaps))}, restarting {Ms(at - end)}");
                    line = text.ToString();
                }
            }
            write(line);
        }

        static string Ms(TimeSpan t) => Math.Max(0, t.TotalMilliseconds).ToString("0.0", CultureInfo.InvariantCulture);

        static string RootKind(int kind) => kind switch
        {
            0 => "stacks",
            1 => "finalization queue",
            2 => "handles",
            3 => "older generations",
            4 => "sized references",
            5 => "overflow",
            6 => "dependent handles",
            7 => "new finalization queue",
            _ => $"root kind {kind}",
        };
    }
}
