using System.Data.Common;
using System.Text.Json;
using Fairlabel.Data;
using Fairlabel.Projects;
using Fairlabel.Quality;

namespace Fairlabel.Export;

public sealed record AggregatedLabel(string Label, double Confidence, int Votes);

/// The label the crowd gave each item, per categorical question (single choice, rating,
/// pairwise preference), computed by Fairlabel.Quality over every accepted answer.
public static class AggregatedLabels
{
    public const string Method = "mv";

    public static async Task<Dictionary<string, Dictionary<long, AggregatedLabel>>> ComputeAsync(
        DbConnection connection, int projectId, TaskTemplate template, CancellationToken cancel)
    {
        var questions = template.Questions.Where(q => q.Type is QuestionTypes.SingleChoice or QuestionTypes.Rating
            or QuestionTypes.Pairwise).ToList();
        var result = questions.ToDictionary(q => q.Id, _ => new Dictionary<long, AggregatedLabel>());
        if (questions.Count == 0) return result;

        // Dense ids, built once while reading, as the library wants them.
        var itemIndex = new Dictionary<long, int>();
        var itemIds = new List<long>();
        var workerIndex = new Dictionary<int, int>();
        var perQuestion = questions.Select(q => new Triples(LabelsOf(q))).ToArray();

        await using (var command = connection.Command(
            "SELECT item_id, tasker_id, value FROM answers WHERE project_id = @p ORDER BY item_id").With("p", projectId))
        await using (var reader = await command.ExecuteReaderAsync(cancel))
            while (await reader.ReadAsync(cancel))
            {
                var item = reader.GetInt64(0);
                if (!itemIndex.TryGetValue(item, out var i)) { itemIndex[item] = i = itemIds.Count; itemIds.Add(item); }
                var tasker = reader.GetInt32(1);
                if (!workerIndex.TryGetValue(tasker, out var w)) workerIndex[tasker] = w = workerIndex.Count;
                using var answer = JsonDocument.Parse(reader.GetString(2));
                for (var q = 0; q < questions.Count; q++)
                    if (AnswerValidator.CategoricalLabel(questions[q], answer.RootElement) is { } label)
                        perQuestion[q].Add(i, w, label);
            }

        for (var q = 0; q < questions.Count; q++)
        {
            var triples = perQuestion[q];
            if (triples.Items.Count == 0) continue;
            var crowd = CrowdAnswers.FromDense(triples.Items.ToArray(), triples.Workers.ToArray(), triples.Labels.ToArray(),
                itemIds.Count, workerIndex.Count, triples.LabelNames.Count);
            var aggregate = Categorical.Aggregate(Method, crowd);
            var votes = new int[itemIds.Count];
            foreach (var i in triples.Items) votes[i]++;
            var labels = result[questions[q].Id];
            for (var i = 0; i < itemIds.Count; i++)
                if (aggregate.Label[i] >= 0)
                    labels[itemIds[i]] = new AggregatedLabel(triples.LabelNames[aggregate.Label[i]], aggregate.Confidence[i], votes[i]);
        }
        return result;
    }

    /// Labels in the template's order, so that ties resolve the same way in every export.
    static IEnumerable<string> LabelsOf(TemplateQuestion q) => q.Type switch
    {
        QuestionTypes.SingleChoice => q.Options.Select(o => o.Value),
        QuestionTypes.Pairwise => ["A", "B", "tie"],
        _ => Enumerable.Range(1, q.Scale).Select(n => n.ToString()),
    };

    sealed class Triples
    {
        public readonly List<int> Items = [], Workers = [], Labels = [];
        public readonly List<string> LabelNames;
        readonly Dictionary<string, int> _labelIndex = [];

        public Triples(IEnumerable<string> labels)
        {
            LabelNames = labels.ToList();
            for (var i = 0; i < LabelNames.Count; i++) _labelIndex[LabelNames[i]] = i;
        }

        public void Add(int item, int worker, string label)
        {
            if (!_labelIndex.TryGetValue(label, out var l)) { _labelIndex[label] = l = LabelNames.Count; LabelNames.Add(label); }
            Items.Add(item);
            Workers.Add(worker);
            Labels.Add(l);
        }
    }
}
