using Fairlabel.Cli.Quality;
using Fairlabel.Quality.Tests;

namespace Fairlabel.Quality.Bench;

/// <summary>The inputs every benchmark times, loaded once per process.</summary>
public static class Workloads
{
    /// <summary>The large crowd: 1,000,000 answers, 200,000 items, 2,000 workers, 5 classes, overlap 5.</summary>
    public static readonly Lazy<SyntheticCrowd> LargeCrowd = new(() => SyntheticCrowd.Generate(200_000, 2_000, 5, 5, 0.4, 0.9, seed: 2024));

    /// <summary>crowd-kit 1.4.1's Dawid–Skene on such a crowd, seconds (issue 4).</summary>
    public const double CrowdKitLargeCrowdDawidSkeneSeconds = 10.9;

    public static readonly Lazy<PairwiseComparisons> Llmfao = new(() => InputFiles.ReadComparisons(BenchData.PathOf("llmfao_pairwise/crowd-comparisons.csv.gz")));

    public static readonly Lazy<NumericAnswers> Emotion = new(() => InputFiles.ReadNumeric(BenchData.PathOf("zheng2017_n_emotion/answer.csv.gz"), new ColumnNames()));

    /// <summary>A data set's answers as in-memory string triples: the form crowd-kit receives (a DataFrame).</summary>
    public static List<(string, string, string)> Triples(CrowdAnswers answers)
    {
        var triples = new List<(string, string, string)>(answers.AnswerCount);
        for (var a = 0; a < answers.AnswerCount; a++)
        {
            triples.Add((answers.ItemIds[answers.Items[a]], answers.WorkerIds[answers.Workers[a]], answers.Labels[answers.Answers[a]]));
        }

        return triples;
    }
}
