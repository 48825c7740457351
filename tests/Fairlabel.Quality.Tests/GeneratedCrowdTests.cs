namespace Fairlabel.Quality.Tests;

/// <summary>Properties on crowds drawn from the Dawid–Skene model, where the truth is known.</summary>
public class GeneratedCrowdTests
{
    public static TheoryData<string> Methods() => [.. Categorical.Methods];

    [Theory]
    [MemberData(nameof(Methods))]
    public void Accuracy_rises_with_worker_quality(string method)
    {
        var accuracies = new[] { (0.35, 0.55), (0.5, 0.7), (0.7, 0.9) }
            .Select(q => SyntheticCrowd.Generate(3000, 60, 4, 5, q.Item1, q.Item2, seed: 11))
            .Select(crowd => crowd.Accuracy(Categorical.Aggregate(method, crowd.Answers)))
            .ToArray();

        Assert.True(accuracies[0] < accuracies[1] && accuracies[1] < accuracies[2], string.Join(" < ", accuracies));
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void Accuracy_rises_with_overlap(string method)
    {
        var accuracies = new[] { 3, 5, 9 }
            .Select(overlap => SyntheticCrowd.Generate(3000, 60, 4, overlap, 0.45, 0.75, seed: 12))
            .Select(crowd => crowd.Accuracy(Categorical.Aggregate(method, crowd.Answers)))
            .ToArray();

        Assert.True(accuracies[0] < accuracies[1] && accuracies[1] < accuracies[2], string.Join(" < ", accuracies));
    }

    [Fact]
    public void Dawid_Skene_beats_majority_vote_when_workers_differ()
    {
        var crowd = SyntheticCrowd.Generate(5000, 50, 3, 5, 0.4, 0.95, seed: 5);

        var mv = crowd.Accuracy(MajorityVote.Aggregate(crowd.Answers));
        var ds = crowd.Accuracy(DawidSkene.Aggregate(crowd.Answers));

        Assert.True(ds > mv + 0.02, $"DS {ds:F4} vs MV {mv:F4}");
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void Renaming_and_reordering_ids_never_changes_results(string method)
    {
        var crowd = SyntheticCrowd.Generate(800, 40, 3, 4, 0.5, 0.8, seed: 21);
        var answers = crowd.Answers;
        var triples = new List<(string Item, string Worker, string Label)>();
        for (var a = 0; a < answers.AnswerCount; a++)
        {
            triples.Add(($"item-{answers.Items[a]}", $"worker-{answers.Workers[a]}", $"class-{answers.Answers[a]}"));
        }

        // Shuffle the rows and rename every item and worker (the label names stay).
        var random = new Random(99);
        var shuffled = triples.OrderBy(_ => random.Next()).Select(t => ($"x{t.Item.GetHashCode(StringComparison.Ordinal):x}-{t.Item}", $"{t.Worker}-renamed", t.Label)).ToList();

        var original = Categorical.Aggregate(method, CrowdAnswers.FromTriples(triples));
        var permutedAnswers = CrowdAnswers.FromTriples(shuffled);
        var permuted = Categorical.Aggregate(method, permutedAnswers);

        var originalAnswers = CrowdAnswers.FromTriples(triples);
        var position = new Dictionary<string, int>();
        for (var i = 0; i < permutedAnswers.ItemCount; i++)
        {
            position[permutedAnswers.ItemIds[i]] = i;
        }

        for (var i = 0; i < originalAnswers.ItemCount; i++)
        {
            var id = originalAnswers.ItemIds[i];
            var j = position[$"x{id.GetHashCode(StringComparison.Ordinal):x}-{id}"];
            Assert.Equal(originalAnswers.Labels[original.Label[i]], permutedAnswers.Labels[permuted.Label[j]]);
            Assert.Equal(original.Confidence[i], permuted.Confidence[j], 9);
        }
    }

    [Fact]
    public void Unanswered_items_get_no_label()
    {
        var answers = CrowdAnswers.FromDense([0, 0, 2], [0, 1, 1], [1, 1, 0], itemCount: 3, workerCount: 2, labelCount: 2);

        foreach (var method in Categorical.Methods)
        {
            var result = Categorical.Aggregate(method, answers);
            Assert.Equal(-1, result.Label[1]);
            Assert.Equal(1, result.Label[0]);
        }
    }
}
