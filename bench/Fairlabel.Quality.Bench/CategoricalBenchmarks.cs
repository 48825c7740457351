using BenchmarkDotNet.Attributes;
using Fairlabel.Quality.Tests;

namespace Fairlabel.Quality.Bench;

/// <summary>Every categorical method on every benchdata set, from string triples (the id mapping is part of the work).</summary>
[MemoryDiagnoser]
public class CategoricalBenchmarks
{
    private List<(string, string, string)> _triples = [];

    [ParamsSource(nameof(Datasets))]
    public string Dataset { get; set; } = "";

    [ParamsSource(nameof(MethodNames))]
    public string Method { get; set; } = "";

    public static IEnumerable<string> Datasets => BenchData.Categorical.Select(d => d.Name);

    public static IEnumerable<string> MethodNames => Categorical.Methods;

    [GlobalSetup]
    public void Setup() => _triples = Workloads.Triples(BenchData.Get(Dataset).LoadAnswers());

    [Benchmark]
    public CategoricalResult Aggregate() => Categorical.Aggregate(Method, CrowdAnswers.FromTriples(_triples));
}

/// <summary>Every categorical method on the generated 1,000,000-answer crowd (dense input).</summary>
[MemoryDiagnoser]
public class LargeCrowdBenchmarks
{
    [ParamsSource(nameof(MethodNames))]
    public string Method { get; set; } = "";

    public static IEnumerable<string> MethodNames => Categorical.Methods;

    [GlobalSetup]
    public void Setup() => _ = Workloads.LargeCrowd.Value;

    [Benchmark]
    public CategoricalResult Aggregate() => Categorical.Aggregate(Method, Workloads.LargeCrowd.Value.Answers);
}
