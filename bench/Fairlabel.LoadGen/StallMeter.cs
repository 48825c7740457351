using System.Diagnostics;

namespace Fairlabel.LoadGen;

/// A thread of the generator that sleeps 1 ms, over and over, and notes how late it wakes. The
/// generator shares the machine with the nodes and the database: when its own thread wakes tens of
/// milliseconds late, every process on the machine was held up alike (all cores busy, the
/// generator's collection, or the virtual machine not being run), and the requests measured in
/// that moment were late on the generator's side too, not only the server's.
sealed class StallMeter
{
    const long Slept = 1_000;                                  // microseconds asked for
    public const long Long = 10_000;                           // a stall worth counting
    public readonly long[] LatestPerSecond = new long[3600];   // microseconds, the most late each second
    public long LongStalls, Latest;
    readonly long _startedAt;
    volatile bool _stopped;

    StallMeter(long startedAt) => _startedAt = startedAt;

    public static StallMeter Start(long startedAt)
    {
        var meter = new StallMeter(startedAt);
        new Thread(meter.Run) { IsBackground = true, Name = "stall meter" }.Start();
        return meter;
    }

    public void Stop() => _stopped = true;

    void Run()
    {
        while (!_stopped)
        {
            var asleep = Stopwatch.GetTimestamp();
            Thread.Sleep(1);
            Woke(asleep, Stopwatch.GetTimestamp());
        }
    }

    /// Notes a 1 ms sleep from <paramref name="asleep"/> to <paramref name="awake"/> (timestamps).
    internal void Woke(long asleep, long awake)
    {
        var late = Math.Max(0, Histogram.Micros(asleep, awake) - Slept);
        var second = (int)Math.Clamp(Histogram.Micros(_startedAt, awake) / 1_000_000, 0, LatestPerSecond.Length - 1);
        if (late > LatestPerSecond[second]) LatestPerSecond[second] = late;
        if (late > Latest) Latest = late;
        if (late > Long) LongStalls++;
    }

    /// A meter that does not run: for <see cref="Woke"/> alone.
    internal static StallMeter Idle(long startedAt) => new(startedAt);
}
