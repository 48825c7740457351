namespace Fairlabel.Quality.Tests;

/// <summary>Krippendorff's alpha against the published values of the textbook examples (benchdata README).</summary>
public class KrippendorffAlphaTests
{
    [Theory]
    [InlineData(MeasurementLevel.Nominal, 0.743421)]
    [InlineData(MeasurementLevel.Ordinal, 0.815388)]
    [InlineData(MeasurementLevel.Interval, 0.849107)]
    [InlineData(MeasurementLevel.Ratio, 0.797403)]
    public void Krippendorff_2011_example(MeasurementLevel level, double published)
    {
        var answers = ReliabilityMatrix("krippendorff_examples/krippendorff2011_codings.csv");

        Assert.Equal(published, Agreement.KrippendorffAlpha(answers, level), 1e-6);
    }

    [Theory]
    [InlineData(MeasurementLevel.Nominal, 0.691358)]
    [InlineData(MeasurementLevel.Interval, 0.810845)]
    public void Wikipedia_example(MeasurementLevel level, double published)
    {
        var answers = ReliabilityMatrix("krippendorff_examples/wikipedia_example.csv");

        Assert.Equal(published, Agreement.KrippendorffAlpha(answers, level), 1e-6);
    }

    [Fact]
    public void Nominal_alpha_on_D_Product()
    {
        var answers = BenchData.Get("zheng2017_d_product").LoadAnswers();

        Assert.Equal(0.157473, Agreement.KrippendorffAlpha(answers, MeasurementLevel.Nominal), 1e-6);
    }

    [Fact]
    public void Perfect_agreement_is_one_and_non_numeric_labels_reject_interval()
    {
        var answers = CrowdAnswers.FromTriples([("a", "w1", "x"), ("a", "w2", "x"), ("b", "w1", "y"), ("b", "w2", "y")]);

        Assert.Equal(1.0, Agreement.KrippendorffAlpha(answers, MeasurementLevel.Nominal), 12);
        Assert.Throws<ArgumentException>(() => Agreement.KrippendorffAlpha(answers, MeasurementLevel.Interval));
    }

    // Rows are coders, columns are units, blank cells are missing values; there is no header.
    private static CrowdAnswers ReliabilityMatrix(string relative)
    {
        var triples = new List<(string, string, string)>();
        var lines = File.ReadAllLines(BenchData.PathOf(relative));
        for (var coder = 0; coder < lines.Length; coder++)
        {
            var cells = lines[coder].Split(',');
            for (var unit = 0; unit < cells.Length; unit++)
            {
                if (cells[unit].Trim().Length > 0)
                {
                    triples.Add(($"unit{unit}", $"coder{coder}", cells[unit].Trim()));
                }
            }
        }

        return CrowdAnswers.FromTriples(triples);
    }
}
