using System.Diagnostics.Metrics;
using Fairlabel.Infrastructure;

namespace Fairlabel.Items;

/// Imports' counters, on the app's meter (<see cref="Observability.MeterName"/>).
public sealed class ImportMetrics
{
    readonly Counter<long> _succeeded, _failed, _rows;

    public ImportMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(Observability.MeterName);
        _succeeded = meter.CreateCounter<long>("fairlabel.imports.succeeded", "{import}", "Imports whose items are now in their project");
        _failed = meter.CreateCounter<long>("fairlabel.imports.failed", "{import}", "Imports that failed: bad lines, a stop, or their node gone");
        _rows = meter.CreateCounter<long>("fairlabel.imports.rows", "{item}", "Items added by succeeded imports");
    }

    public void Ended(string status, long inserted)
    {
        if (status != ImportStatus.Succeeded)
        {
            _failed.Add(1);
            return;
        }
        _succeeded.Add(1);
        _rows.Add(inserted);
    }
}
