using System.Diagnostics;
using System.Globalization;
using Fairlabel.Quality.Tests;

namespace Fairlabel.Quality.Bench;

/// <summary>
/// The quick mode: times each method with a Stopwatch (fastest of several runs after a warm-up:
/// on a shared machine the minimum is the best estimate of the uncontended cost)
/// and prints a Markdown table of Fairlabel against crowd-kit 1.4.1's published accuracy and
/// seconds. Timed work starts from in-memory string triples, as crowd-kit starts from a DataFrame.
/// </summary>
public static class ComparisonTable
{
    public static void Print(TextWriter output)
    {
        // "seconds" includes mapping the string triples to dense ids, as crowd-kit's figures include
        // its own factorisation; "of which mapping" is that step alone, timed separately.
        output.WriteLine("| dataset | method | accuracy | crowd-kit accuracy | seconds | of which mapping | crowd-kit seconds | speed-up |");
        output.WriteLine("|---|---|---|---|---|---|---|---|");
        foreach (var dataset in BenchData.Categorical)
        {
            var answers = dataset.LoadAnswers();
            var truth = dataset.LoadTruth();
            var triples = Workloads.Triples(answers);
            var (_, mappingSeconds) = Time(() => CrowdAnswers.FromTriples(triples));
            foreach (var method in Categorical.Methods)
            {
                var (result, seconds) = Time(() => Categorical.Aggregate(method, CrowdAnswers.FromTriples(triples)));
                var accuracy = Gold.Accuracy(result, CrowdAnswers.FromTriples(triples), truth).Accuracy;
                var ckAccuracy = dataset.CrowdKitAccuracy.TryGetValue(method, out var a) ? F(a, 4) : "–";
                var ckSeconds = dataset.CrowdKitSeconds.TryGetValue(method, out var s) ? F(s, 2) : "–";
                var speedUp = dataset.CrowdKitSeconds.TryGetValue(method, out var t) ? $"{t / seconds:N0}×" : "–";
                output.WriteLine($"| {dataset.Name} | {method} | {F(accuracy, 4)} | {ckAccuracy} | {Seconds(seconds)} | {Seconds(mappingSeconds)} | {ckSeconds} | {speedUp} |");
            }
        }

        var crowd = Workloads.LargeCrowd.Value;
        foreach (var method in Categorical.Methods)
        {
            var (result, seconds) = Time(() => Categorical.Aggregate(method, crowd.Answers), runs: 3);
            var ds = method == "ds";
            output.WriteLine($"| generated 1M answers | {method} | {F(crowd.Accuracy(result), 4)} | – | {Seconds(seconds)} | – | {(ds ? "10.90" : "–")} | {(ds ? $"{Workloads.CrowdKitLargeCrowdDawidSkeneSeconds / seconds:N0}×" : "–")} |");
        }

        var triplesLarge = Workloads.Triples(crowd.Answers);
        var (_, mapping) = Time(() => CrowdAnswers.FromTriples(triplesLarge), runs: 3);
        output.WriteLine();
        output.WriteLine($"Mapping the 1M string triples to dense ids (CrowdAnswers.FromTriples) takes {Seconds(mapping)} s; the 1M rows above time the methods on the dense form.");
        output.WriteLine();
        PrintOthers(output);
    }

    private static void PrintOthers(TextWriter output)
    {
        output.WriteLine("| workload | seconds |");
        output.WriteLine("|---|---|");
        foreach (var method in Numeric.Methods)
        {
            output.WriteLine($"| N_Emotion {method} | {Seconds(Time(() => Numeric.Aggregate(method, Workloads.Emotion.Value)).Seconds)} |");
        }

        output.WriteLine($"| LLMFAO Bradley–Terry | {Seconds(Time(() => BradleyTerry.Fit(Workloads.Llmfao.Value)).Seconds)} |");
        output.WriteLine($"| LLMFAO Bradley–Terry + 1000 bootstrap resamples | {Seconds(Time(() => BradleyTerry.Fit(Workloads.Llmfao.Value, bootstrap: new BootstrapOptions()), runs: 3).Seconds)} |");
        output.WriteLine($"| LLMFAO Elo | {Seconds(Time(() => Elo.Fit(Workloads.Llmfao.Value)).Seconds)} |");
        var rel = BenchData.Get("zheng2017_s_rel").LoadAnswers();
        output.WriteLine($"| S_Rel Krippendorff's alpha (nominal) | {Seconds(Time(() => Agreement.KrippendorffAlpha(rel, MeasurementLevel.Nominal)).Seconds)} |");
        output.WriteLine($"| S_Rel Fleiss' kappa | {Seconds(Time(() => Agreement.FleissKappa(rel)).Seconds)} |");
        output.WriteLine($"| S_Rel mean Cohen's kappa over worker pairs | {Seconds(Time(() => Agreement.MeanCohenKappa(rel)).Seconds)} |");
        var large = Workloads.LargeCrowd.Value.Answers;
        output.WriteLine($"| 1M answers Krippendorff's alpha (nominal) | {Seconds(Time(() => Agreement.KrippendorffAlpha(large, MeasurementLevel.Nominal), runs: 3).Seconds)} |");
        output.WriteLine($"| 1M answers mean Cohen's kappa over worker pairs | {Seconds(Time(() => Agreement.MeanCohenKappa(large), runs: 3).Seconds)} |");
    }

    private static (T Result, double Seconds) Time<T>(Func<T> work, int runs = 7)
    {
        // Start from a collected heap, so garbage from loading the data set (or from the previous
        // workload) is not collected on this workload's clock.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var result = work(); // warm-up: JIT and tiered compilation
        var times = new double[runs];
        for (var r = 0; r < runs; r++)
        {
            var watch = Stopwatch.StartNew();
            result = work();
            times[r] = watch.Elapsed.TotalSeconds;
        }

        return (result, times.Min());
    }

    private static string F(double value, int digits) => value.ToString("F" + digits, CultureInfo.InvariantCulture);

    private static string Seconds(double seconds) => seconds.ToString(seconds < 0.01 ? "F4" : "F3", CultureInfo.InvariantCulture);
}
