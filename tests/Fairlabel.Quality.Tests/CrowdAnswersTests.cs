namespace Fairlabel.Quality.Tests;

public class CrowdAnswersTests
{
    [Fact]
    public void Triples_map_to_dense_ids_once_with_labels_in_canonical_order()
    {
        var answers = CrowdAnswers.FromTriples([("q2", "ann", "10"), ("q1", "bob", "9"), ("q2", "bob", "10"), ("q1", "ann", "-1")]);

        Assert.Equal(["q2", "q1"], answers.ItemIds);
        Assert.Equal(["ann", "bob"], answers.WorkerIds);
        Assert.Equal(["-1", "9", "10"], answers.Labels); // numeric order, not "10" < "9"
        Assert.Equal(4, answers.AnswerCount);
        Assert.Equal([0, 2, 4], answers.ItemOffsets.ToArray());
        Assert.Equal([2, 2, 1, 0], answers.Answers.ToArray());
    }

    [Fact]
    public void Dense_input_is_validated_and_named_by_number()
    {
        var answers = CrowdAnswers.FromDense([0, 1], [0, 0], [1, 0], 2, 1, 2);

        Assert.Equal(["0", "1"], answers.Labels);
        Assert.Throws<ArgumentOutOfRangeException>(() => CrowdAnswers.FromDense([0, 5], [0, 0], [1, 0], 2, 1, 2));
        Assert.Throws<ArgumentException>(() => CrowdAnswers.FromDense([0], [0, 0], [1, 0], 2, 1, 2));
    }

    [Fact]
    public void Majority_vote_breaks_ties_towards_the_rarer_label()
    {
        // "b" is answered less often overall, so it wins item 2's one-one tie.
        var answers = CrowdAnswers.FromTriples([("1", "w1", "a"), ("1", "w2", "a"), ("2", "w1", "a"), ("2", "w2", "b")]);

        var result = MajorityVote.Aggregate(answers);

        Assert.Equal("b", answers.Labels[result.Label[1]]);
        Assert.Equal(0.5, result.Confidence[1]);
        Assert.Equal([0.5, 1.0], result.WorkerSkill); // w1 said "a" on item 2, which lost the tie
    }

    [Fact]
    public void Unknown_method_names_are_rejected()
    {
        var answers = CrowdAnswers.FromTriples([("1", "w", "a")]);

        Assert.Throws<ArgumentException>(() => Categorical.Aggregate("zc", answers));
    }
}
