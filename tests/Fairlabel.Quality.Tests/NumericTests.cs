using Fairlabel.Cli.Quality;

namespace Fairlabel.Quality.Tests;

/// <summary>Numeric aggregation against the survey's N_Emotion figures, and the robust method on planted noise.</summary>
public class NumericTests
{
    private static readonly Lazy<(NumericAnswers Answers, Dictionary<string, double> Truth)> Emotion = new(() => (
        InputFiles.ReadNumeric(BenchData.PathOf("zheng2017_n_emotion/answer.csv.gz"), new ColumnNames()),
        InputFiles.ReadNumericTruth(BenchData.PathOf("zheng2017_n_emotion/truth.csv.gz"))));

    [Theory]
    [InlineData("mean", 12.022, 17.835)]
    [InlineData("median", 13.529, 21.264)]
    public void Mean_and_median_reproduce_the_published_errors_on_N_Emotion(string method, double mae, double rmse)
    {
        var (answers, truth) = Emotion.Value;

        var error = Gold.Error(Numeric.Aggregate(method, answers), answers, truth);

        Assert.Equal(700, error.Items);
        Assert.Equal(mae, error.MeanAbsoluteError, 1e-3);
        Assert.Equal(rmse, error.RootMeanSquaredError, 1e-3);
    }

    [Fact]
    public void Weighted_mean_is_competitive_on_N_Emotion()
    {
        // The survey's best on N_Emotion is the plain mean (12.02); its worker-weighting
        // methods score LFC_N 12.20, PM 13.91, CATD 16.36 MAE.
        var (answers, truth) = Emotion.Value;

        var error = Gold.Error(Numeric.Aggregate("weighted", answers), answers, truth);

        Assert.True(error.MeanAbsoluteError <= 12.20, $"MAE {error.MeanAbsoluteError:F3}");
    }

    [Fact]
    public void Weighted_mean_down_weights_a_noisy_worker()
    {
        // Items with truth 0..99; four careful workers (noise 1) and one who answers at random.
        var random = new Random(3);
        var triples = new List<(string, string, double)>();
        for (var i = 0; i < 100; i++)
        {
            for (var w = 0; w < 4; w++)
            {
                triples.Add(($"{i}", $"careful{w}", i + (random.NextDouble() * 2) - 1));
            }

            triples.Add(($"{i}", "random", random.Next(-500, 500)));
        }

        var answers = NumericAnswers.FromTriples(triples);
        var truth = Enumerable.Range(0, 100).ToDictionary(i => $"{i}", i => (double)i);

        var mean = Gold.Error(Numeric.Mean(answers), answers, truth).MeanAbsoluteError;
        var weighted = Numeric.Aggregate("weighted", answers);
        var robust = Gold.Error(weighted, answers, truth).MeanAbsoluteError;

        Assert.True(robust < 1.0, $"weighted MAE {robust:F3}");
        Assert.True(mean > 20, $"mean MAE {mean:F3}");
        Assert.True(weighted.WorkerWeight[4] < 0.01 * weighted.WorkerWeight[0]);
    }

    [Fact]
    public void Median_of_an_even_count_is_the_middle_average()
    {
        var answers = NumericAnswers.FromTriples([("a", "1", 1), ("a", "2", 10), ("a", "3", 3), ("a", "4", 4), ("b", "1", 7)]);

        var median = Numeric.Median(answers).Value;

        Assert.Equal([3.5, 7], median);
    }
}
