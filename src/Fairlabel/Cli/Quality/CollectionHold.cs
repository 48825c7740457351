using System.Reflection;
using System.Runtime;

namespace Fairlabel.Cli.Quality;

/// <summary>
/// Holds off garbage collection while <c>fairlabel aggregate</c> reads a file of categorical answers and infers its
/// labels. Nearly everything that run allocates lives until it ends (ids, answer arrays,
/// posteriors), so a collection only marks and copies survivors, and each large array (the
/// answer arrays, the id map, the posteriors) would start a full one: on the 1,000,000-answer
/// crowd that was 6 full collections of 9, about a tenth of the whole run. The process ends
/// right after, so the memory is never needed back. Only the <c>fairlabel</c> process itself
/// does this: a host that runs the verb in-process (the tests) keeps its own collector as it is.
/// </summary>
internal static class CollectionHold
{
    // About what a run allocates per byte of a plain CSV (97 MB for a 26 MB file), plus the
    // fixed part; a larger budget only reserves address space the run does not touch.
    private const long BytesPerInputByte = 4;
    private const long Fixed = 64L << 20;

    // Beyond this the run goes on with collections as usual: a larger file should not have its
    // whole heap committed before the first answer is read.
    private const long Largest = 256L << 20;

    private static bool OwnProcess => Assembly.GetEntryAssembly() == typeof(CollectionHold).Assembly;

    /// <summary>Starts a region without collections sized for <paramref name="inputPath"/>, when it is small enough.</summary>
    public static void ForInput(string inputPath)
    {
        // A compressed file's size says little about what it holds.
        if (!OwnProcess || inputPath.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) || GCSettings.LatencyMode == GCLatencyMode.NoGCRegion)
        {
            return;
        }

        var budget = (new FileInfo(inputPath).Length * BytesPerInputByte) + Fixed;
        if (budget > Largest)
        {
            return;
        }

        try
        {
            // If the run allocates more than the budget, the runtime collects as usual and ends the region.
            GC.TryStartNoGCRegion(budget);
        }
        catch (ArgumentOutOfRangeException)
        {
            // Larger than this runtime's largest region: run with collections.
        }
    }

    /// <summary>Ends the region if the run stayed within its budget.</summary>
    public static void End()
    {
        if (OwnProcess && GCSettings.LatencyMode == GCLatencyMode.NoGCRegion)
        {
            GC.EndNoGCRegion();
        }
    }
}
