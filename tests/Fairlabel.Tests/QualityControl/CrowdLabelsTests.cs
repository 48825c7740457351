using Fairlabel.QualityControl;

namespace Fairlabel.Tests.QualityControl;

/// The rule behind the "auto" aggregation method.
public sealed class CrowdLabelsTests
{
    static double Unused() => throw new InvalidOperationException("the agreement should not have been computed");

    [Theory]
    [InlineData(50, 200, 0.30, "ds")]   // enough answers, and the taskers agree
    [InlineData(50, 200, 0.05, "ds")]
    [InlineData(50, 200, 0.049, "mv")]  // enough answers, but hardly more agreement than chance
    [InlineData(50, 200, -0.2, "mv")]
    [InlineData(50, 200, double.NaN, "mv")] // no agreement measurable
    public void Auto_picks_dawid_skene_only_for_a_crowd_that_agrees(int items, int answers, double alpha, string method) =>
        Assert.Equal(method, CrowdLabels.MethodFor(CrowdLabels.Auto, items, answers, () => alpha));

    [Theory]
    [InlineData(49, 1000)]
    [InlineData(1000, 199)]
    public void Auto_picks_majority_vote_for_too_few_answers_without_measuring_agreement(int items, int answers) =>
        Assert.Equal("mv", CrowdLabels.MethodFor(CrowdLabels.Auto, items, answers, Unused));

    [Fact]
    public void A_chosen_method_is_used_as_it_is() =>
        Assert.Equal("ds", CrowdLabels.MethodFor("ds", 1, 1, Unused));
}
