using System.Diagnostics;
using Fairlabel.LoadGen;

namespace Fairlabel.LoadGen.Tests;

public sealed class StallMeterTests
{
    static long At(long startedAt, double milliseconds) => startedAt + (long)(milliseconds * Stopwatch.Frequency / 1000);

    [Fact]
    public void A_sleep_that_wakes_late_is_noted_in_the_second_it_woke_and_counted_when_long()
    {
        var start = Stopwatch.GetTimestamp();
        var meter = StallMeter.Idle(start);

        meter.Woke(At(start, 100), At(start, 101.2));        // 0.2 ms late: as a sleep usually is
        meter.Woke(At(start, 2_500), At(start, 2_531));      // 30 ms late, in second 2
        meter.Woke(At(start, 2_600), At(start, 2_612));      // 11 ms late, same second
        meter.Woke(At(start, 3_100), At(start, 3_100.5));    // early wakes are not late

        Assert.Equal(200, meter.LatestPerSecond[0], tolerance: 2);
        Assert.Equal(0, meter.LatestPerSecond[1]);
        Assert.Equal(30_000, meter.LatestPerSecond[2], tolerance: 2);
        Assert.Equal(0, meter.LatestPerSecond[3]);
        Assert.Equal(2, meter.LongStalls);
        Assert.Equal(30_000, meter.Latest, tolerance: 2);
    }

    [Fact]
    public void The_meters_thread_notes_every_second_it_runs()
    {
        var meter = StallMeter.Start(Stopwatch.GetTimestamp());
        Thread.Sleep(1_500);
        meter.Stop();
        // Some lateness is always there (a sleep wakes after its time), so the first second has some.
        Assert.True(meter.LatestPerSecond[0] > 0);
    }
}
