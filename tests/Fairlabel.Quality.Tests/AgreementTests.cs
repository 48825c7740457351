namespace Fairlabel.Quality.Tests;

/// <summary>Kappas and raw agreement on the worked examples of their standard references.</summary>
public class AgreementTests
{
    [Fact]
    public void Fleiss_kappa_on_the_Wikipedia_worked_example_is_0_210()
    {
        // Fleiss' kappa article: 10 subjects, 14 raters, 5 categories; P-bar 0.378, P_e 0.213.
        int[][] table =
        [
            [0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0], [2, 2, 8, 1, 1],
            [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2], [6, 5, 2, 1, 0], [0, 2, 2, 3, 7],
        ];
        var triples = new List<(string, string, string)>();
        for (var subject = 0; subject < table.Length; subject++)
        {
            var rater = 0;
            for (var category = 0; category < 5; category++)
            {
                for (var n = 0; n < table[subject][category]; n++)
                {
                    triples.Add(($"s{subject}", $"r{rater++}", $"{category + 1}"));
                }
            }
        }

        Assert.Equal(0.20993, Agreement.FleissKappa(CrowdAnswers.FromTriples(triples)), 5);
    }

    [Fact]
    public void Cohen_kappa_on_the_Wikipedia_worked_example_is_0_4()
    {
        // 50 items: both yes 20, A yes B no 5, A no B yes 10, both no 15; p_o 0.7, p_e 0.5.
        var answers = TwoRaters((20, "yes", "yes"), (5, "yes", "no"), (10, "no", "yes"), (15, "no", "no"));
        var a = answers.WorkerIds.ToList().IndexOf("A");
        var b = answers.WorkerIds.ToList().IndexOf("B");

        Assert.Equal(0.4, Agreement.CohenKappa(answers, a, b), 12);
        Assert.Equal(0.4, Agreement.CohenKappa(answers, b, a), 12);
        var mean = Agreement.MeanCohenKappa(answers);
        Assert.Equal(1, mean.Pairs);
        Assert.Equal(0.4, mean.Mean, 12);
    }

    [Fact]
    public void Mean_Cohen_kappa_averages_over_worker_pairs()
    {
        // Three workers on four items: A and B agree everywhere (kappa 1), C always says "x"
        // (chance agreement with anyone is p_x), giving kappa 0 with A and with B.
        var triples = new List<(string, string, string)>();
        string[] truth = ["x", "y", "x", "y"];
        for (var i = 0; i < truth.Length; i++)
        {
            triples.Add(($"i{i}", "A", truth[i]));
            triples.Add(($"i{i}", "B", truth[i]));
            triples.Add(($"i{i}", "C", "x"));
        }

        var mean = Agreement.MeanCohenKappa(CrowdAnswers.FromTriples(triples));

        Assert.Equal(3, mean.Pairs);
        Assert.Equal(1.0 / 3, mean.Mean, 12);
    }

    [Fact]
    public void Percent_agreement_counts_agreeing_answer_pairs()
    {
        // Item 1: x x y -> 1 of 3 pairs agree; item 2: z z -> 1 of 1; item 3 has one answer.
        var answers = CrowdAnswers.FromTriples([("1", "a", "x"), ("1", "b", "x"), ("1", "c", "y"), ("2", "a", "z"), ("2", "b", "z"), ("3", "a", "x")]);

        Assert.Equal(0.5, Agreement.PercentAgreement(answers), 12);
    }

    [Fact]
    public void Agreement_on_real_data_is_consistent_across_measures()
    {
        // On binary D_PosSent with 20 answers per item, Fleiss' kappa and nominal alpha differ
        // only by the small-sample correction of alpha: both ~ the same value.
        var answers = BenchData.Get("zheng2017_d_possent").LoadAnswers();

        var fleiss = Agreement.FleissKappa(answers);
        var alpha = Agreement.KrippendorffAlpha(answers, MeasurementLevel.Nominal);

        Assert.InRange(fleiss, 0.1, 0.9);
        Assert.Equal(fleiss, alpha, 2);
    }

    private static CrowdAnswers TwoRaters(params (int Count, string A, string B)[] cells)
    {
        var triples = new List<(string, string, string)>();
        var item = 0;
        foreach (var (count, a, b) in cells)
        {
            for (var n = 0; n < count; n++, item++)
            {
                triples.Add(($"{item}", "A", a));
                triples.Add(($"{item}", "B", b));
            }
        }

        return CrowdAnswers.FromTriples(triples);
    }
}
