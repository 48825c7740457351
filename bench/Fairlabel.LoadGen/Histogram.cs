using System.Diagnostics;
using System.Numerics;

namespace Fairlabel.LoadGen;

/// A lock-free, HdrHistogram-style latency histogram in microseconds: exact below 128 µs, then 64
/// buckets per power of two (relative error under 1.6 %). Recording is one Interlocked.Increment.
sealed class Histogram
{
    const int SubBuckets = 64;
    readonly long[] _counts = new long[SubBuckets * 2 + SubBuckets * 40];
    long _max;

    public static long Micros(long startTimestamp, long endTimestamp) =>
        (endTimestamp - startTimestamp) * 1_000_000 / Stopwatch.Frequency;

    public void Record(long micros)
    {
        if (micros < 0) micros = 0;
        Interlocked.Increment(ref _counts[Index(micros)]);
        var max = Volatile.Read(ref _max);
        while (micros > max)
        {
            var seen = Interlocked.CompareExchange(ref _max, micros, max);
            if (seen == max) break;
            max = seen;
        }
    }

    static int Index(long v)
    {
        if (v < 2 * SubBuckets) return (int)v;
        var shift = BitOperations.Log2((ulong)v) - 6;          // v >> shift is in [64, 127]
        var index = SubBuckets + shift * SubBuckets + (int)((v >> shift) - SubBuckets);
        return Math.Min(index, 2 * SubBuckets + 40 * SubBuckets - 1);
    }

    static long ValueAt(int index)
    {
        if (index < 2 * SubBuckets) return index;
        var shift = index / SubBuckets - 1;
        var top = index % SubBuckets + SubBuckets;
        return (((long)top << shift) + ((long)(top + 1) << shift)) / 2;   // bucket middle
    }

    public long Count
    {
        get { long n = 0; foreach (var c in _counts) n += c; return n; }
    }

    public long Max => Volatile.Read(ref _max);

    /// The value at percentile <paramref name="p"/> (0–100), in microseconds.
    public long Percentile(double p)
    {
        var total = Count;
        if (total == 0) return 0;
        var rank = (long)Math.Ceiling(p / 100.0 * total);
        if (rank < 1) rank = 1;
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= rank) return Math.Min(ValueAt(i), Max);
        }
        return Max;
    }
}
