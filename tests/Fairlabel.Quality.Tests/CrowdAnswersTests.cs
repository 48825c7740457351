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

    [Fact]
    public void Every_input_shape_maps_to_the_same_dense_form()
    {
        // Ungrouped rows, many items and workers (past every shortcut of the id map: previous-row
        // reuse, the small-map scan, table growth), equal ids as distinct string instances.
        var random = new Random(7);
        var rows = new List<(string, string, string)>();
        for (var r = 0; r < 20_000; r++)
        {
            rows.Add(($"item-{random.Next(3_000)}", $"w{random.Next(300)}", random.Next(12).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        var copies = rows.Select(r => (new string(r.Item1.AsSpan()), new string(r.Item2.AsSpan()), new string(r.Item3.AsSpan()))).ToArray();
        var fromList = CrowdAnswers.FromTriples(rows);
        var fromLazy = CrowdAnswers.FromTriples(rows.Select(r => r));
        var fromArray = CrowdAnswers.FromTriples(copies);
        var fromSpan = CrowdAnswers.FromTriples(copies.AsSpan());

        foreach (var other in new[] { fromLazy, fromArray, fromSpan })
        {
            Assert.Equal(fromList.ItemIds, other.ItemIds);
            Assert.Equal(fromList.WorkerIds, other.WorkerIds);
            Assert.Equal(fromList.Labels, other.Labels);
            Assert.Equal(fromList.ItemOffsets.ToArray(), other.ItemOffsets.ToArray());
            Assert.Equal(fromList.Workers.ToArray(), other.Workers.ToArray());
            Assert.Equal(fromList.Answers.ToArray(), other.Answers.ToArray());
        }

        // Ids in order of first appearance, and every answer names its own strings.
        Assert.Equal(rows.Select(r => r.Item1).Distinct(), fromList.ItemIds);
        Assert.Equal(rows.Select(r => r.Item2).Distinct(), fromList.WorkerIds);
        var itemIndex = fromList.ItemIds.Select((id, index) => (id, index)).ToDictionary(x => x.id, x => x.index);
        var expected = rows.Select((r, index) => (r, index)).OrderBy(x => itemIndex[x.r.Item1]).ThenBy(x => x.index).Select(x => x.r).ToList();
        for (var a = 0; a < fromList.AnswerCount; a++)
        {
            Assert.Equal(expected[a], (fromList.ItemIds[fromList.Items[a]], fromList.WorkerIds[fromList.Workers[a]], fromList.Labels[fromList.Answers[a]]));
        }
    }

    [Fact]
    public void Grouped_input_keeps_its_order_and_dense_input_is_copied()
    {
        var item = new[] { 0, 0, 1, 2, 2 };
        var worker = new[] { 1, 0, 1, 0, 1 };
        var label = new[] { 1, 0, 0, 1, 1 };
        var answers = CrowdAnswers.FromDense(item, worker, label, 3, 2, 2);
        item[0] = 2;
        worker[0] = 0;
        label[0] = 0;

        Assert.Equal([0, 2, 3, 5], answers.ItemOffsets.ToArray());
        Assert.Equal([0, 0, 1, 2, 2], answers.Items.ToArray());
        Assert.Equal([1, 0, 1, 0, 1], answers.Workers.ToArray());
        Assert.Equal([1, 0, 0, 1, 1], answers.Answers.ToArray());
    }

    [Fact]
    public void A_missing_id_is_rejected()
    {
        Assert.Throws<ArgumentNullException>(() => CrowdAnswers.FromTriples([("1", "w", "a"), ("1", null!, "a")]));
        Assert.Throws<ArgumentNullException>(() => CrowdAnswers.FromTriples([("1", "w", "a"), ("2", "w", null!)]));
    }
}
