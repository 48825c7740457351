using System.Data.Common;
using System.Text.Json;
using Fairlabel.Data;
using Fairlabel.Projects;
using Fairlabel.Quality;

namespace Fairlabel.QualityControl;

public sealed record AggregatedLabel(string Label, double Confidence, int Votes, string Method);

/// The answers to one categorical question (single choice, rating, pairwise preference) as the
/// quality library wants them — dense ids built once — and the crowd's label per item.
public sealed class QuestionCrowd
{
    public required TemplateQuestion Question { get; init; }
    public required CrowdAnswers Answers { get; init; }
    /// The question's labels in template order; the dense label indexes point into it.
    public required IReadOnlyList<string> LabelNames { get; init; }
    public required CategoricalResult Result { get; init; }
    /// Database ids behind the dense indexes of <see cref="Answers"/>.
    public required long[] ItemIds { get; init; }
    public required int[] TaskerIds { get; init; }

    public AggregatedLabel? LabelOf(int itemIndex, int votes) =>
        Result.Label[itemIndex] < 0
            ? null
            : new AggregatedLabel(LabelNames[Result.Label[itemIndex]], Result.Confidence[itemIndex], votes, Result.Method);
}

public static class CrowdLabels
{
    public const string Auto = "auto";
    public static readonly string[] Methods = [Auto, .. Categorical.Methods];

    /// Below this Krippendorff's alpha (nominal) the answers agree little more than chance would.
    /// Every crowd in the bench data agrees more (0.09 to 0.31); taskers answering at random 0.002.
    public const double AgreementForDawidSkene = 0.05;

    /// "auto" is majority vote until a question has enough answers for Dawid–Skene to estimate
    /// each tasker's confusion matrix (at least 50 items answered and 200 answers in all), and
    /// while the answers barely agree. Dawid–Skene assumes taskers do better than chance: given
    /// taskers who answer at random it fits each one's matrix to the noise and reports confident
    /// labels that none of an item's taskers gave (docs/benchmarks.md), where majority vote's
    /// labels and vote shares at least say what the crowd said. The agreement is computed only
    /// when the rest of the rule would pick Dawid–Skene.
    public static string MethodFor(string configured, int items, int answers, Func<double> agreement) =>
        configured != Auto ? configured
        : items >= 50 && answers >= 200 && agreement() >= AgreementForDawidSkene ? "ds"
        : "mv";

    /// Reads every accepted answer of the project once and aggregates each categorical question.
    public static async Task<List<QuestionCrowd>> ComputeAsync(
        DbConnection connection, int projectId, TaskTemplate template, string method, CancellationToken cancel)
    {
        var questions = template.Questions.Where(q => q.Type is QuestionTypes.SingleChoice or QuestionTypes.Rating
            or QuestionTypes.Pairwise).ToList();
        if (questions.Count == 0) return [];

        var itemIndex = new Dictionary<long, int>();
        var itemIds = new List<long>();
        var workerIndex = new Dictionary<int, int>();
        var workerIds = new List<int>();
        var perQuestion = questions.Select(q => new Triples(LabelsOf(q))).ToArray();

        await using (var command = connection.Command(
            "SELECT item_id, tasker_id, value FROM answers WHERE project_id = @p ORDER BY item_id").With("p", projectId))
        await using (var reader = await command.ExecuteReaderAsync(cancel))
            while (reader.Read())
            {
                var item = reader.GetInt64(0);
                if (!itemIndex.TryGetValue(item, out var i)) { itemIndex[item] = i = itemIds.Count; itemIds.Add(item); }
                var tasker = reader.GetInt32(1);
                if (!workerIndex.TryGetValue(tasker, out var w)) { workerIndex[tasker] = w = workerIds.Count; workerIds.Add(tasker); }
                using var answer = JsonDocument.Parse(reader.GetString(2));
                for (var q = 0; q < questions.Count; q++)
                    if (AnswerValidator.CategoricalLabel(questions[q], answer.RootElement) is { } label)
                        perQuestion[q].Add(i, w, label);
            }

        var crowds = new List<QuestionCrowd>();
        for (var q = 0; q < questions.Count; q++)
        {
            var triples = perQuestion[q];
            if (triples.Items.Count == 0) continue;
            var answers = CrowdAnswers.FromDense(triples.Items.ToArray(), triples.Workers.ToArray(), triples.Labels.ToArray(),
                itemIds.Count, workerIds.Count, triples.LabelNames.Count);
            var answered = triples.Items.Distinct().Count();
            crowds.Add(new QuestionCrowd
            {
                Question = questions[q], Answers = answers, LabelNames = triples.LabelNames, ItemIds = [.. itemIds], TaskerIds = [.. workerIds],
                Result = Categorical.Aggregate(MethodFor(method, answered, triples.Items.Count,
                    () => Agreement.KrippendorffAlpha(answers, MeasurementLevel.Nominal)), answers),
            });
        }
        return crowds;
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
            if (!_labelIndex.TryGetValue(label, out var l)) return; // not a label of the template (template changed)
            Items.Add(item);
            Workers.Add(worker);
            Labels.Add(l);
        }
    }
}
