using Fairlabel.Infrastructure;

namespace Fairlabel.Tests.Operations;

public sealed class GcPhaseLogTests
{
    static readonly DateTime T0 = new(2026, 11, 24, 2, 0, 0, DateTimeKind.Utc);
    static DateTime At(double ms) => T0.AddTicks((long)(ms * TimeSpan.TicksPerMillisecond));

    [Fact]
    public void A_collections_pause_is_told_by_phase_with_each_roots_marking_summed_over_heaps()
    {
        var lines = new List<string>();
        var pauses = new GcPhaseLog.Pauses(lines.Add);

        pauses.Stopping(At(0), reason: 1);
        pauses.Stopped(At(0.5));
        pauses.Collecting(At(1), generation: 0);
        pauses.Marked(At(2), heap: 0, rootKind: 0, bytes: 10 * 1024);    // heap 0: stacks 1 ms
        pauses.Marked(At(1.5), heap: 1, rootKind: 0, bytes: 2 * 1024);   // heap 1: stacks 0.5 ms
        pauses.Marked(At(16), heap: 0, rootKind: 3, bytes: 3000 * 1024); // heap 0: older generations 14 ms
        pauses.Marked(At(5.5), heap: 1, rootKind: 3, bytes: 400 * 1024); // heap 1: older generations 4 ms
        pauses.Collected(At(20));
        pauses.Restarted(At(21));

        var line = Assert.Single(lines);
        Assert.Equal("collection of generation 0: threads stopped 21.0 ms; stopping 0.5, marking stacks 1.5 ms (12 KB), " +
                     "older generations 18.0 ms (3,400 KB), on 2 heaps; the rest of the collection 9.3, restarting 1.0", line);
    }

    [Fact]
    public void Stops_not_to_collect_are_told_when_over_a_millisecond_and_the_next_collection_starts_afresh()
    {
        var lines = new List<string>();
        var pauses = new GcPhaseLog.Pauses(lines.Add);

        pauses.Stopping(At(0), reason: 0);
        pauses.Stopped(At(0.2));
        pauses.Restarted(At(0.6));                  // under a millisecond: not worth a line
        pauses.Stopping(At(10), reason: 0);
        pauses.Stopped(At(19));
        pauses.Restarted(At(20.5));
        pauses.Stopping(At(30), reason: 1);
        pauses.Stopped(At(30));
        pauses.Collecting(At(30), generation: 1);
        pauses.Marked(At(32), heap: 0, rootKind: 2, bytes: 0);
        pauses.Collected(At(33));
        pauses.Restarted(At(33));

        Assert.Equal(["threads stopped 10.5 ms, not to collect (the runtime's reason 0)",
                      "collection of generation 1: threads stopped 3.0 ms; stopping 0.0, marking handles 2.0 ms (0 KB), " +
                      "on 1 heap; the rest of the collection 1.0, restarting 0.0"], lines);
    }
}
