using System.Text.Json;
using Fairlabel.Data;
using Fairlabel.Export;
using Fairlabel.Quality;

namespace Fairlabel.QualityControl;

public sealed record QuestionQuality(
    string Question, string Method, int Items, int Answers, double? KrippendorffAlpha, double? PercentAgreement,
    int GoldAnswered, double? GoldAccuracy);
public sealed record TaskerQuality(
    int TaskerId, string Name, string? Country, int Answers, double? EstimatedAccuracy, int GoldAnswered, double? GoldAccuracy);
public sealed record ProjectQuality(List<QuestionQuality> Questions, List<TaskerQuality> Taskers);

/// Agreement per question and an estimate of each tasker's accuracy, from the same aggregation
/// the export uses; gold accuracy where gold items were answered.
public sealed class QualityReport(DatabaseSettings database)
{
    public async Task<ProjectQuality> BuildAsync(int projectId, CancellationToken cancel = default)
    {
        await using var connection = await database.OpenAsync(cancel);
        var (template, method) = await ProjectExport.ProjectSettingsAsync(connection, projectId);
        var crowds = await CrowdLabels.ComputeAsync(connection, projectId, template, method, cancel);
        var gold = await GoldLabelsAsync(connection, projectId, cancel);
        var answersByTasker = new Dictionary<int, int>();
        var skill = new Dictionary<int, List<double>>();
        var goldByTasker = new Dictionary<int, (int Right, int Total)>();
        var questions = new List<QuestionQuality>();

        foreach (var crowd in crowds)
        {
            var a = crowd.Answers;
            var items = a.Items;
            var workers = a.Workers;
            var labels = a.Answers;
            int goldTotal = 0, goldRight = 0;
            for (var k = 0; k < a.AnswerCount; k++)
            {
                var tasker = crowd.TaskerIds[workers[k]];
                if (!gold.TryGetValue((crowd.ItemIds[items[k]], crowd.Question.Id), out var truth)) continue;
                var right = crowd.LabelNames[labels[k]] == truth;
                var (r, t) = goldByTasker.GetValueOrDefault(tasker);
                goldByTasker[tasker] = (r + (right ? 1 : 0), t + 1);
                goldTotal++;
                if (right) goldRight++;
            }
            for (var w = 0; w < crowd.TaskerIds.Length; w++)
                if (w < crowd.Result.WorkerSkill.Length && !double.IsNaN(crowd.Result.WorkerSkill[w]))
                    (skill.TryGetValue(crowd.TaskerIds[w], out var list) ? list : skill[crowd.TaskerIds[w]] = []).Add(crowd.Result.WorkerSkill[w]);
            var answeredItems = 0;
            for (var i = 0; i < crowd.Result.Label.Length; i++) if (crowd.Result.Label[i] >= 0) answeredItems++;
            questions.Add(new QuestionQuality(crowd.Question.Id, crowd.Result.Method, answeredItems, a.AnswerCount,
                Finite(Agreement.KrippendorffAlpha(a, MeasurementLevel.Nominal)), Finite(Agreement.PercentAgreement(a)),
                goldTotal, goldTotal == 0 ? null : (double)goldRight / goldTotal));
        }

        await using (var command = connection.Command(
            "SELECT a.tasker_id, u.display_name, u.country, count(*) FROM answers a JOIN users u ON u.id = a.tasker_id " +
            "WHERE a.project_id = @p GROUP BY a.tasker_id, u.display_name, u.country").With("p", projectId))
        await using (var reader = await command.ExecuteReaderAsync(cancel))
        {
            var taskers = new List<TaskerQuality>();
            while (await reader.ReadAsync(cancel))
            {
                var id = reader.GetInt32(0);
                var (right, total) = goldByTasker.GetValueOrDefault(id);
                taskers.Add(new TaskerQuality(id, reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                    reader.GetInt32(3), skill.TryGetValue(id, out var s) ? Math.Round(s.Average(), 4) : null,
                    total, total == 0 ? null : Math.Round((double)right / total, 4)));
            }
            return new ProjectQuality(questions, [.. taskers.OrderByDescending(t => t.Answers)]);
        }
    }

    static double? Finite(double value) => double.IsFinite(value) ? Math.Round(value, 6) : null;

    /// Gold answers as (item, question) → label, for the categorical questions.
    static async Task<Dictionary<(long, string), string>> GoldLabelsAsync(System.Data.Common.DbConnection connection,
        int projectId, CancellationToken cancel)
    {
        var gold = new Dictionary<(long, string), string>();
        await using var command = connection.Command(
            "SELECT id, gold FROM items WHERE project_id = @p AND gold IS NOT NULL").With("p", projectId);
        await using var reader = await command.ExecuteReaderAsync(cancel);
        while (await reader.ReadAsync(cancel))
        {
            using var doc = JsonDocument.Parse(reader.GetString(1));
            foreach (var p in doc.RootElement.EnumerateObject())
            {
                var label = p.Value.ValueKind switch
                {
                    JsonValueKind.String => p.Value.GetString(),
                    JsonValueKind.Number => p.Value.GetRawText(),
                    JsonValueKind.Object when p.Value.TryGetProperty("choice", out var c) => c.GetString(),
                    _ => null,
                };
                if (label is not null) gold[(reader.GetInt64(0), p.Name)] = label;
            }
        }
        return gold;
    }
}
