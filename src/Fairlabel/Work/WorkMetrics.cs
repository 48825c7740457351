using System.Diagnostics.Metrics;
using Fairlabel.Infrastructure;

namespace Fairlabel.Work;

/// The work loop's counters, on the app's meter (<see cref="Observability.MeterName"/>). Each is
/// added to without tags: on the hot path a count costs a few nanoseconds and allocates nothing,
/// and nothing at all while no exporter listens.
public sealed class WorkMetrics
{
    readonly Counter<long> _handedOut, _skipped, _expired, _submitted, _resubmitted, _refused;

    public WorkMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(Observability.MeterName);
        _handedOut = meter.CreateCounter<long>("fairlabel.leases.handed_out", "{lease}", "Tasks handed out to taskers, each under a lease");
        _skipped = meter.CreateCounter<long>("fairlabel.leases.skipped", "{lease}", "Tasks taskers gave back");
        _expired = meter.CreateCounter<long>("fairlabel.leases.expired", "{lease}", "Leases that ran out and went back to the pool");
        _submitted = meter.CreateCounter<long>("fairlabel.answers.submitted", "{answer}", "Answers stored: the end of a task cycle");
        _resubmitted = meter.CreateCounter<long>("fairlabel.answers.resubmitted", "{answer}", "Retried submissions, answered with the answer already stored");
        _refused = meter.CreateCounter<long>("fairlabel.answers.refused", "{answer}", "Answers refused: skipped, lost or taken by another tasker after their lease");
    }

    public void HandedOut() => _handedOut.Add(1);

    public void Counted(SubmitResult submitted)
    {
        switch (submitted)
        {
            case SubmitResult.Accepted { Duplicate: true }: _resubmitted.Add(1); break;
            case SubmitResult.Accepted: _submitted.Add(1); break;
            case SubmitResult.Refused: _refused.Add(1); break;
        }
    }

    public void Skipped() => _skipped.Add(1);

    public void Expired(int leases) => _expired.Add(leases);
}
