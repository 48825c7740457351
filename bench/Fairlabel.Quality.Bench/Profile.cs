using System.Diagnostics;
using System.Globalization;
using Fairlabel.Quality.Tests;

namespace Fairlabel.Quality.Bench;

/// <summary>
/// `-- profile`: splits the comparison table's timed work into its phases (string ids to dense
/// ids, then each method on the dense form), fastest of 7 runs after a warm-up, so it is
/// visible where the time goes.
/// </summary>
public static class Profile
{
    public static void Print(TextWriter output, bool checksums)
    {
        output.WriteLine("| dataset | answers | items | workers | labels | FromTriples ms | ns/answer | mv ms | wawa ms | ds ms | ds iterations |");
        output.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var dataset in BenchData.Categorical)
        {
            var loaded = dataset.LoadAnswers();
            var triples = Workloads.Triples(loaded);
            var mapping = Best(() => CrowdAnswers.FromTriples(triples));
            var dense = CrowdAnswers.FromTriples(triples);
            var mv = Best(() => Categorical.Aggregate("mv", dense));
            var wawa = Best(() => Categorical.Aggregate("wawa", dense));
            var ds = Best(() => Categorical.Aggregate("ds", dense));
            var iterations = Categorical.Aggregate("ds", dense).Iterations;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {dataset.Name} | {dense.AnswerCount} | {dense.ItemCount} | {dense.WorkerCount} | {dense.LabelCount} | {mapping * 1e3:F3} | {mapping * 1e9 / dense.AnswerCount:F0} | {mv * 1e3:F3} | {wawa * 1e3:F3} | {ds * 1e3:F3} | {iterations} |"));
        }

        if (checksums)
        {
            foreach (var dataset in BenchData.Categorical)
            {
                var dense = CrowdAnswers.FromTriples(Workloads.Triples(dataset.LoadAnswers()));
                foreach (var method in new[] { "mv", "wawa", "ds" })
                {
                    output.WriteLine($"checksum {dataset.Name} {method} {Checksum(Categorical.Aggregate(method, dense))}");
                }
            }

            var big = Workloads.LargeCrowd.Value.Answers;
            foreach (var method in new[] { "mv", "wawa", "ds" })
            {
                output.WriteLine($"checksum 1M {method} {Checksum(Categorical.Aggregate(method, big))}");
            }
        }

        var crowd = Workloads.LargeCrowd.Value.Answers;
        var large = Workloads.Triples(crowd);
        var map = Best(() => CrowdAnswers.FromTriples(large), 3);
        var dsLarge = Best(() => Categorical.Aggregate("ds", crowd), 3);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| generated 1M | {crowd.AnswerCount} | {crowd.ItemCount} | {crowd.WorkerCount} | {crowd.LabelCount} | {map * 1e3:F3} | {map * 1e9 / crowd.AnswerCount:F0} | {Best(() => Categorical.Aggregate("mv", crowd), 3) * 1e3:F3} | {Best(() => Categorical.Aggregate("wawa", crowd), 3) * 1e3:F3} | {dsLarge * 1e3:F3} | {Categorical.Aggregate("ds", crowd).Iterations} |"));
    }

    // Bit-exact fingerprint of a result: labels, posteriors, worker skills, iterations.
    private static string Checksum(CategoricalResult result)
    {
        var hash = new Fnv();
        foreach (var l in result.Label)
        {
            hash.Add(l);
        }

        foreach (var p in result.Posterior)
        {
            hash.Add(BitConverter.DoubleToInt64Bits(p));
        }

        foreach (var s in result.WorkerSkill)
        {
            hash.Add(BitConverter.DoubleToInt64Bits(s));
        }

        hash.Add(result.Iterations);
        return hash.Value.ToString("X16", CultureInfo.InvariantCulture);
    }

    // HashCode is seeded per process; FNV-1a is the same in every run.
    private sealed class Fnv
    {
        public ulong Value { get; private set; } = 14695981039346656037UL;

        public void Add(long x)
        {
            for (var b = 0; b < 8; b++)
            {
                Value = (Value ^ (ulong)((x >> (8 * b)) & 0xFF)) * 1099511628211UL;
            }
        }
    }

    private static double Best<T>(Func<T> work, int runs = 7)
    {
        work();
        var best = double.MaxValue;
        for (var r = 0; r < runs; r++)
        {
            var watch = Stopwatch.StartNew();
            work();
            best = Math.Min(best, watch.Elapsed.TotalSeconds);
        }

        return best;
    }
}
/// <summary>`-- loop DATASET map|METHOD|both-METHOD`: fastest of 200 runs of one phase, for profiling under perf.</summary>
public static class MapLoop
{
    public static void Run(string name, string what)
    {
        var triples = Workloads.Triples(name == "1M" ? Workloads.LargeCrowd.Value.Answers : BenchData.Get(name).LoadAnswers());
        var dense = CrowdAnswers.FromTriples(triples);
        var best = double.MaxValue;
        for (var r = 0; r < 200; r++)
        {
            var t = Stopwatch.GetTimestamp();
            if (what.StartsWith("both-", StringComparison.Ordinal))
            {
                Categorical.Aggregate(what[5..], CrowdAnswers.FromTriples(triples));
            }
            else if (what == "map")
            {
                CrowdAnswers.FromTriples(triples);
            }
            else
            {
                Categorical.Aggregate(what, dense);
            }

            best = Math.Min(best, Stopwatch.GetElapsedTime(t).TotalMilliseconds);
        }

        Console.WriteLine($"{name} {what}: best {best:F3} ms");
    }
}
