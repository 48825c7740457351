using System.Diagnostics.Metrics;
using Fairlabel.Infrastructure;

namespace Fairlabel.Export;

/// Exports' counters, on the app's meter (<see cref="Observability.MeterName"/>).
public sealed class ExportMetrics
{
    readonly Counter<long> _exports, _rows;

    public ExportMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(Observability.MeterName);
        _exports = meter.CreateCounter<long>("fairlabel.exports", "{export}", "Datasets written to the end");
        _rows = meter.CreateCounter<long>("fairlabel.exports.rows", "{row}", "Rows written in exports");
    }

    public void Written(long rows)
    {
        _exports.Add(1);
        _rows.Add(rows);
    }
}
