using BenchmarkDotNet.Attributes;
using Fairlabel.Quality.Tests;

namespace Fairlabel.Quality.Bench;

/// <summary>Numeric aggregation on N_Emotion.</summary>
public class NumericBenchmarks
{
    [Params("mean", "median", "weighted")]
    public string Method { get; set; } = "";

    [GlobalSetup]
    public void Setup() => _ = Workloads.Emotion.Value;

    [Benchmark]
    public NumericResult Aggregate() => Numeric.Aggregate(Method, Workloads.Emotion.Value);
}

/// <summary>Bradley–Terry and Elo on LLMFAO (8,931 comparisons, 59 models).</summary>
public class RankingBenchmarks
{
    [GlobalSetup]
    public void Setup() => _ = Workloads.Llmfao.Value;

    [Benchmark]
    public RankingResult BradleyTerryFit() => BradleyTerry.Fit(Workloads.Llmfao.Value);

    [Benchmark]
    public RankingResult EloFit() => Elo.Fit(Workloads.Llmfao.Value);

    [Benchmark]
    public RankingResult BradleyTerryBootstrap1000() => BradleyTerry.Fit(Workloads.Llmfao.Value, bootstrap: new BootstrapOptions());
}

/// <summary>Agreement measures on every categorical benchdata set.</summary>
public class AgreementBenchmarks
{
    private CrowdAnswers _answers = null!;

    [ParamsSource(nameof(Datasets))]
    public string Dataset { get; set; } = "";

    public static IEnumerable<string> Datasets => BenchData.Categorical.Select(d => d.Name);

    [GlobalSetup]
    public void Setup() => _answers = BenchData.Get(Dataset).LoadAnswers();

    [Benchmark]
    public double AlphaNominal() => Agreement.KrippendorffAlpha(_answers, MeasurementLevel.Nominal);

    [Benchmark]
    public double FleissKappa() => Agreement.FleissKappa(_answers);

    [Benchmark]
    public PairwiseKappa MeanCohenKappa() => Agreement.MeanCohenKappa(_answers);

    [Benchmark]
    public double PercentAgreement() => Agreement.PercentAgreement(_answers);
}
