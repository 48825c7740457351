using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Fairlabel.Data;
using Fairlabel.Infrastructure;
using Fairlabel.Projects;
using Fairlabel.QualityControl;
using nietras.SeparatedValues;

namespace Fairlabel.Export;

/// Writes a project's dataset: every item with its provenance, every raw answer and the
/// aggregated label per question. Streams rows from one ordered query, so memory does not
/// grow with the number of items (only the aggregated labels are held).
public sealed class ProjectExport(DatabaseSettings database, ExportMetrics metrics)
{
    public static readonly string[] Formats = ["jsonl", "csv"];

    public async Task<long> WriteAsync(Stream output, int projectId, string format, CancellationToken cancel = default)
    {
        await using var connection = await database.OpenAsync(cancel);
        var (template, method) = await ProjectSettingsAsync(connection, projectId);
        var labels = LabelsByQuestion(await CrowdLabels.ComputeAsync(connection, projectId, template, method, cancel));

        await using var command = connection.Command(
            "SELECT i.id, i.external_id, i.data, i.source, i.licence, i.consent_basis, i.personal_data, i.minors, " +
            "i.sensitivity, i.collected_at, a.tasker_id, a.value, a.submitted_at, a.active_seconds " +
            "FROM items i LEFT JOIN answers a ON a.project_id = i.project_id AND a.item_id = i.id " +
            "WHERE i.project_id = @p AND i.import_id IN (SELECT id FROM imports WHERE status = 'succeeded') " +
            // Reported items waiting for a decision, and removed ones, are in no dataset.
            $"AND i.id NOT IN ({Wellbeing.Quarantine.WithheldItems}) " +
            "ORDER BY i.id, a.id").With("p", projectId);
        await using var reader = await command.ExecuteReaderAsync(cancel);
        var rows = new ExportRows(reader, projectId);
        var written = format == "csv"
            ? await new CsvExportWriter(output, template, labels).WriteAsync(rows, cancel)
            : await new JsonlExportWriter(output, labels).WriteAsync(rows, cancel);
        metrics.Written(written);
        return written;
    }

    public static async Task<(TaskTemplate Template, string Method)> ProjectSettingsAsync(DbConnection connection, int projectId)
    {
        await using var command = connection.Command("SELECT template, aggregation_method FROM projects WHERE id = @p")
            .With("p", projectId);
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync()) throw new InvalidOperationException($"Project {projectId} does not exist.");
        return (TemplateParser.ParseStored(reader.GetString(0)), reader.GetString(1));
    }

    static Dictionary<string, Dictionary<long, AggregatedLabel>> LabelsByQuestion(List<QuestionCrowd> crowds)
    {
        var result = new Dictionary<string, Dictionary<long, AggregatedLabel>>();
        foreach (var crowd in crowds)
        {
            var votes = new int[crowd.ItemIds.Length];
            foreach (var i in crowd.Answers.Items) votes[i]++;
            var byItem = new Dictionary<long, AggregatedLabel>();
            for (var i = 0; i < crowd.ItemIds.Length; i++)
                if (crowd.LabelOf(i, votes[i]) is { } label) byItem[crowd.ItemIds[i]] = label;
            result[crowd.Question.Id] = byItem;
        }
        return result;
    }
}

/// One item and its answers, read from the ordered join.
public sealed record ExportItem(long Id, string ExternalId, string Data, string Source, string Licence,
    string ConsentBasis, bool PersonalData, bool Minors, string Sensitivity, DateTimeOffset? CollectedAt,
    List<ExportAnswer> Answers);
public sealed record ExportAnswer(string Tasker, string Value, DateTimeOffset SubmittedAt, double? ActiveSeconds);

public sealed class ExportRows(DbDataReader reader, int projectId)
{
    readonly Dictionary<int, string> _pseudonyms = [];

    /// Reads synchronously: SQLite's async reads are synchronous underneath, and a task per row
    /// costs more than the row. Writers flush to the network asynchronously, a block at a time.
    public IEnumerable<ExportItem> Read(CancellationToken cancel)
    {
        ExportItem? current = null;
        while (reader.Read())
        {
            cancel.ThrowIfCancellationRequested();
            var id = reader.GetInt64(0);
            if (current is null || current.Id != id)
            {
                if (current is not null) yield return current;
                current = new ExportItem(id, reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                    reader.GetString(5), reader.GetBoolean(6), reader.GetBoolean(7), reader.GetString(8),
                    reader.IsDBNull(9) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(9)), []);
            }
            if (!reader.IsDBNull(10))
                current.Answers.Add(new ExportAnswer(Pseudonym(reader.GetInt32(10)), reader.GetString(11),
                    DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(12)), reader.IsDBNull(13) ? null : reader.GetDouble(13)));
        }
        if (current is not null) yield return current;
    }

    /// Taskers appear under a stable per-project pseudonym, never their account.
    string Pseudonym(int taskerId)
    {
        if (_pseudonyms.TryGetValue(taskerId, out var name)) return name;
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"fairlabel:{projectId}:{taskerId}"));
        return _pseudonyms[taskerId] = "tasker-" + Convert.ToHexStringLower(hash, 0, 6);
    }
}

sealed class JsonlExportWriter(Stream output, Dictionary<string, Dictionary<long, AggregatedLabel>> labels)
{
    public async Task<long> WriteAsync(ExportRows rows, CancellationToken cancel)
    {
        long count = 0;
        var buffer = new MemoryStream(1 << 16);
        await using var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true });
        foreach (var item in rows.Read(cancel))
        {
            json.Reset();
            json.WriteStartObject();
            json.WriteNumber("item_id", item.Id);
            json.WriteString("external_id", item.ExternalId);
            json.WritePropertyName("data");
            json.WriteRawValue(item.Data, skipInputValidation: true);
            json.WriteStartObject("provenance");
            json.WriteString("source", item.Source);
            json.WriteString("licence", item.Licence);
            json.WriteString("consent_basis", item.ConsentBasis);
            json.WriteBoolean("personal_data", item.PersonalData);
            json.WriteBoolean("minors", item.Minors);
            json.WriteStartArray("sensitivity");
            foreach (var s in item.Sensitivity.Split(';', StringSplitOptions.RemoveEmptyEntries)) json.WriteStringValue(s);
            json.WriteEndArray();
            if (item.CollectedAt is { } at) json.WriteString("collected_at", at); else json.WriteNull("collected_at");
            json.WriteEndObject();
            json.WriteStartArray("answers");
            foreach (var a in item.Answers)
            {
                json.WriteStartObject();
                json.WriteString("tasker", a.Tasker);
                json.WritePropertyName("answer");
                json.WriteRawValue(a.Value, skipInputValidation: true);
                json.WriteString("submitted_at", a.SubmittedAt);
                if (a.ActiveSeconds is { } s) json.WriteNumber("active_seconds", s); else json.WriteNull("active_seconds");
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteStartObject("labels");
            foreach (var (question, byItem) in labels)
                if (byItem.TryGetValue(item.Id, out var label))
                {
                    json.WriteStartObject(question);
                    json.WriteString("label", label.Label);
                    json.WriteNumber("confidence", Math.Round(label.Confidence, 6));
                    json.WriteNumber("votes", label.Votes);
                    json.WriteString("method", label.Method);
                    json.WriteEndObject();
                }
            json.WriteEndObject();
            json.WriteEndObject();
            json.Flush();
            buffer.WriteByte((byte)'\n');
            count++;
            if (buffer.Length > 1 << 15) await FlushAsync(buffer, cancel);
        }
        await FlushAsync(buffer, cancel);
        return count;
    }

    async Task FlushAsync(MemoryStream buffer, CancellationToken cancel)
    {
        await output.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), cancel);
        buffer.SetLength(0);
    }
}

/// One row per answer (an item without answers gets one row with empty answer columns), with
/// a column per question and the aggregated label and confidence per categorical question.
/// Text from people goes through <see cref="CsvCell.Escape"/> (no formula reaches a spreadsheet);
/// numbers, times and flags that Fairlabel formats itself are written as they are: a number
/// such as -0.5 is read by a spreadsheet as a number, never as a formula, and must stay one.
sealed class CsvExportWriter(Stream output, TaskTemplate template, Dictionary<string, Dictionary<long, AggregatedLabel>> labels)
{
    public async Task<long> WriteAsync(ExportRows rows, CancellationToken cancel)
    {
        await using var text = new StreamWriter(output, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
        // Cells arrive escaped (CsvCell), so the writer adds no quotes of its own.
        await using var csv = Sep.Writer(o => o with { Sep = new Sep(','), Escape = false, CultureInfo = CultureInfo.InvariantCulture })
            .To(text, leaveOpen: true);
        var header = new List<string> { "item_id", "external_id", "source", "licence", "consent_basis", "personal_data",
            "minors", "tasker", "submitted_at", "active_seconds" };
        header.AddRange(template.Questions.Select(q => "answer." + q.Id));
        foreach (var q in labels.Keys) { header.Add("label." + q); header.Add("confidence." + q); }
        header.Add("data");
        csv.Header.Add(header);

        long count = 0;
        foreach (var item in rows.Read(cancel))
        {
            var answers = item.Answers.Count == 0 ? [null] : item.Answers.Cast<ExportAnswer?>().ToList();
            foreach (var a in answers)
            {
                await using var row = csv.NewRow(cancel);
                var c = 0;
                row[c++].Format(item.Id);
                row[c++].Set(CsvCell.Escape(item.ExternalId));
                row[c++].Set(CsvCell.Escape(item.Source));
                row[c++].Set(CsvCell.Escape(item.Licence));
                row[c++].Set(CsvCell.Escape(item.ConsentBasis));
                row[c++].Set(item.PersonalData ? "true" : "false");
                row[c++].Set(item.Minors ? "true" : "false");
                row[c++].Set(a?.Tasker ?? "");
                if (a is null) row[c++].Set(""); else row[c++].Format(a.SubmittedAt, "O");
                if (a?.ActiveSeconds is { } seconds) row[c++].Format(seconds); else row[c++].Set("");
                using (var answer = a is null ? null : JsonDocument.Parse(a.Value))
                    foreach (var q in template.Questions)
                        row[c++].Set(answer is not null && answer.RootElement.TryGetProperty(q.Id, out var v) ? CellOf(v) : "");
                foreach (var byItem in labels.Values)
                {
                    var label = byItem.GetValueOrDefault(item.Id);
                    row[c++].Set(label is null ? "" : CsvCell.Escape(label.Label));
                    if (label is null) row[c++].Set(""); else row[c++].Format(Math.Round(label.Confidence, 6));
                }
                row[c].Set(CsvCell.Escape(item.Data));
                count++;
            }
        }
        await csv.FlushAsync(cancel);
        return count;
    }

    /// An answer's value: text escaped; a JSON number (a rating, validated against the template)
    /// as the number it is.
    static string CellOf(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.String => CsvCell.Escape(v.GetString()!),
        JsonValueKind.Null => "",
        JsonValueKind.Number => v.GetRawText(),
        _ => CsvCell.Escape(v.GetRawText()),
    };
}
