namespace Fairlabel.Quality.Tests;

/// <summary>
/// The web-relevance shape (5 ordered grades, skewed balance, the top three workers giving about
/// half the answers, one of them a spammer): the shape on which a held-out crowd put MACE 10
/// points and GLAD 1.5 points below crowd-kit's. A MACE that explains a prolific worker's
/// answers as the truth, or one grade's prior as spam, falls far behind Dawid–Skene here.
/// </summary>
public sealed class GradedCrowdTests
{
    public static TheoryData<int> Seeds() => [1, 2, 3, 4, 5];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Every_EM_method_beats_majority_vote_and_MACE_keeps_up_with_Dawid_Skene(int seed)
    {
        var (answers, truth, topThree) = GradedCrowd.Generate(items: 3000, workers: 40, overlap: 3, seed);
        Assert.InRange(topThree, 0.40, 0.60);
        double Score(string method) => GradedCrowd.Accuracy(Categorical.Aggregate(method, answers), truth);

        var mv = Score("mv");
        var ds = Score("ds");
        var mace = Score("mace");
        var glad = Score("glad");
        Assert.True(ds >= mv + 0.02, $"ds {ds:F4} vs mv {mv:F4}");
        Assert.True(glad >= mv + 0.02, $"glad {glad:F4} vs mv {mv:F4}");
        Assert.True(mace >= mv + 0.02, $"mace {mace:F4} vs mv {mv:F4}");
        Assert.True(mace >= ds - 0.03, $"mace {mace:F4} vs ds {ds:F4}");
    }

    [Fact]
    public void The_figures_on_seed_1_stay_as_published()
    {
        // Pinned so that a change to a method's priors, start or stopping shows here; each
        // within 0.5 points of the figure measured when the generator was written.
        var (answers, truth, _) = GradedCrowd.Generate(items: 3000, workers: 40, overlap: 3, seed: 1);
        var expected = new Dictionary<string, double>
        {
            ["mv"] = 0.6383, ["wawa"] = 0.6810, ["ds"] = 0.7283, ["onecoin-ds"] = 0.6927, ["glad"] = 0.6823, ["mace"] = 0.7377,
        };
        foreach (var (method, accuracy) in expected)
        {
            Assert.InRange(GradedCrowd.Accuracy(Categorical.Aggregate(method, answers), truth), accuracy - 0.005, accuracy + 0.005);
        }
    }
}
