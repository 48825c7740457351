using System.Globalization;
using System.Text;
using System.Text.Json;
using Fairlabel.Infrastructure;
using Fairlabel.Projects;
using Fairlabel.Cli.Quality;

namespace Fairlabel.Items;

/// Reads JSONL or CSV item files line by line, turning each line into an <see cref="ItemRow"/>
/// or into errors that name the line and the field. Holds one line in memory at a time.
public sealed class ItemFileReader(ImportDefaults defaults, TaskTemplate? template)
{
    static readonly string[] CsvProvenanceColumns =
        ["id", "source", "licence", "consent_basis", "personal_data", "minors", "collected_at", "sensitivity"];

    readonly TaskTemplate? _goldTemplate = template is null
        ? null
        // Gold states the expected answer to some questions; a preference's strength and
        // rationale are the tasker's judgement, not part of the truth.
        : template with
        {
            Questions = template.Questions
                .Select(q => q with { Required = false, AsksStrength = false, RationaleRequired = false }).ToList(),
        };

    public static string FormatOf(string fileName) =>
        Path.GetExtension(fileName).ToLowerInvariant() switch
        {
            ".jsonl" or ".ndjson" => "jsonl",
            ".csv" => "csv",
            _ => "",
        };

    public IEnumerable<(long Line, ItemRow? Row, List<LineError> Errors)> Read(TextReader reader, string format) =>
        format == "csv" ? ReadCsv(reader) : ReadJsonLines(reader);

    IEnumerable<(long, ItemRow?, List<LineError>)> ReadJsonLines(TextReader reader)
    {
        long line = 0;
        while (reader.ReadLine() is { } text)
        {
            line++;
            if (string.IsNullOrWhiteSpace(text)) continue;
            var errors = new List<LineError>();
            ItemRow? row = null;
            try
            {
                using var doc = JsonDocument.Parse(text);
                row = FromJson(line, doc.RootElement, errors);
            }
            catch (JsonException e)
            {
                errors.Add(new LineError(line, "(line)", JsonErrors.Describe(e, withLine: false)));
            }
            yield return (line, errors.Count == 0 ? row : null, errors);
        }
    }

    ItemRow? FromJson(long line, JsonElement json, List<LineError> errors)
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new LineError(line, "(line)", "must be a JSON object"));
            return null;
        }
        var id = json.TryGetProperty("id", out var idValue) ? idValue.ValueKind switch
        {
            JsonValueKind.String => idValue.GetString(),
            JsonValueKind.Number => idValue.GetRawText(),
            _ => null,
        } : null;

        string data;
        if (json.TryGetProperty("data", out var dataValue))
        {
            if (dataValue.ValueKind != JsonValueKind.Object) errors.Add(new LineError(line, "data", "must be an object"));
            data = dataValue.GetRawText();
        }
        else
        {
            // No "data" object: every key but the reserved ones is data.
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                foreach (var property in json.EnumerateObject())
                    if (property.Name is not ("id" or "provenance" or "gold")) property.WriteTo(writer);
                writer.WriteEndObject();
            }
            data = Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        }

        string? gold = null;
        if (json.TryGetProperty("gold", out var goldValue) && goldValue.ValueKind != JsonValueKind.Null)
        {
            ValidateGold(line, goldValue, errors);
            gold = goldValue.GetRawText();
        }

        var p = json.TryGetProperty("provenance", out var prov) && prov.ValueKind == JsonValueKind.Object ? prov : default;
        if (json.TryGetProperty("provenance", out var provAny) && provAny.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null))
            errors.Add(new LineError(line, "provenance", "must be an object"));
        return Build(line, id, data, gold,
            Text(p, "source", line, errors), Text(p, "licence", line, errors) ?? Text(p, "license", line, errors),
            Text(p, "consentBasis", line, errors), Flag(p, "personalData", line, errors), Flag(p, "minors", line, errors),
            SensitivityOf(p, line, errors), Text(p, "collectedAt", line, errors), "provenance.", errors);
    }

    /// CSV through the RFC 4180 reader of DelimitedReader.cs.
    IEnumerable<(long, ItemRow?, List<LineError>)> ReadCsv(TextReader reader)
    {
        DelimitedReader csv;
        try
        {
            csv = new DelimitedReader(reader, ',', "file");
        }
        catch (InputException e)
        {
            return [(e.Line, null, [new LineError(e.Line, "(file)", e.Problem)])];
        }
        var header = csv.Header.Select(h => h.Trim()).ToList();
        var errors = new List<LineError>();
        if (!header.Contains("id")) errors.Add(new LineError(1, "id", "the header row needs an 'id' column"));
        if (header.GroupBy(h => h).FirstOrDefault(g => g.Count() > 1) is { } twice)
            errors.Add(new LineError(1, twice.Key, "appears twice in the header row"));
        return errors.Count > 0 ? [(1, null, errors)] : CsvRows(csv, header);
    }

    IEnumerable<(long, ItemRow?, List<LineError>)> CsvRows(DelimitedReader csv, List<string> header)
    {
        using var rows = csv.Rows().GetEnumerator();
        while (true)
        {
            DelimitedRow row;
            List<LineError>? broken = null;
            try
            {
                if (!rows.MoveNext()) yield break;
                row = rows.Current;
            }
            catch (InputException e)
            {
                row = default;
                broken = [new LineError(e.Line, "(line)", e.Problem)];
            }
            if (broken is not null)
            {
                yield return (broken[0].Line, null, broken);
                yield break; // the reader cannot resynchronise after an unclosed quote
            }
            yield return CsvItem(row.Line, row.Fields, header);
        }
    }

    (long, ItemRow?, List<LineError>) CsvItem(long line, string[] fields, List<string> header)
    {
        var errors = new List<LineError>();
        if (fields.Length != header.Count)
        {
            errors.Add(new LineError(line, "(line)", $"has {fields.Length} columns; the header has {header.Count}"));
            return (line, null, errors);
        }
        string? Column(string name) { var i = header.IndexOf(name); return i < 0 || fields[i].Length == 0 ? null : fields[i]; }
        bool? CsvFlag(string name)
        {
            var v = Column(name);
            if (v is null) return null;
            if (bool.TryParse(v, out var b)) return b;
            if (v is "0" or "1") return v == "1";
            errors.Add(new LineError(line, name, "must be true or false"));
            return null;
        }
        var data = new Dictionary<string, string>();
        for (var i = 0; i < header.Count; i++)
            if (!CsvProvenanceColumns.Contains(header[i])) data[header[i]] = fields[i];
        var sensitivity = Column("sensitivity")?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
        var row = Build(line, Column("id"), JsonSerializer.Serialize(data), null, Column("source"), Column("licence"),
            Column("consent_basis"), CsvFlag("personal_data"), CsvFlag("minors"), sensitivity, Column("collected_at"), "", errors);
        return (line, errors.Count == 0 ? row : null, errors);
    }

    ItemRow? Build(long line, string? id, string data, string? gold, string? source, string? licence, string? consent,
        bool? personalData, bool? minors, string[] sensitivity, string? collectedAt, string prefix, List<LineError> errors)
    {
        if (string.IsNullOrWhiteSpace(id)) errors.Add(new LineError(line, "id", "is required"));
        else if (id.Length > 200) errors.Add(new LineError(line, "id", "must be at most 200 characters"));

        source ??= defaults.Source;
        if (string.IsNullOrWhiteSpace(source))
            errors.Add(new LineError(line, prefix + "source", "is required (say where the item came from)"));

        licence ??= defaults.Licence;
        var canonical = licence is null ? null : Licences.Canonical(licence);
        if (licence is null) errors.Add(new LineError(line, prefix + "licence", "is required (an SPDX licence id such as CC-BY-4.0)"));
        else if (canonical is null) errors.Add(new LineError(line, prefix + "licence", $"'{licence}' is not an SPDX licence id"));

        consent ??= defaults.ConsentBasis;
        var consentKey = prefix.Length > 0 ? prefix + "consentBasis" : "consent_basis";
        if (consent is null) errors.Add(new LineError(line, consentKey, $"is required: one of {string.Join(", ", ConsentBases.All)}"));
        else if (!ConsentBases.All.Contains(consent))
            errors.Add(new LineError(line, consentKey, $"'{consent}' is not one of {string.Join(", ", ConsentBases.All)}"));

        DateTimeOffset? collected = null;
        if (collectedAt is not null)
        {
            if (DateTimeOffset.TryParse(collectedAt, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t))
                collected = t.ToUniversalTime();
            else errors.Add(new LineError(line, prefix + (prefix.Length > 0 ? "collectedAt" : "collected_at"), "must be an ISO 8601 date and time"));
        }
        foreach (var s in sensitivity)
            if (s.Length is 0 or > 40 || !s.All(c => char.IsAsciiLetterLower(c) || c == '_' || char.IsAsciiDigit(c)))
                errors.Add(new LineError(line, prefix + "sensitivity", $"'{s}' is not a category name (lowercase letters and _)"));

        return errors.Count > 0 ? null : new ItemRow(id!, data, gold, source!, canonical!, consent!, personalData ?? false,
            minors ?? false, string.Join(';', sensitivity), collected);
    }

    void ValidateGold(long line, JsonElement gold, List<LineError> errors)
    {
        if (_goldTemplate is null) return;
        var found = new FieldErrors();
        AnswerValidator.Validate(_goldTemplate, gold, found);
        foreach (var (path, message) in found.All)
            errors.Add(new LineError(line, "gold" + path["answer".Length..], message));
    }

    static string? Text(JsonElement p, string name, long line, List<LineError> errors)
    {
        if (p.ValueKind != JsonValueKind.Object || !p.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        if (v.ValueKind == JsonValueKind.String) return v.GetString();
        errors.Add(new LineError(line, "provenance." + name, "must be text"));
        return null;
    }

    static bool? Flag(JsonElement p, string name, long line, List<LineError> errors)
    {
        if (p.ValueKind != JsonValueKind.Object || !p.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        if (v.ValueKind is JsonValueKind.True or JsonValueKind.False) return v.GetBoolean();
        errors.Add(new LineError(line, "provenance." + name, "must be true or false"));
        return null;
    }

    static string[] SensitivityOf(JsonElement p, long line, List<LineError> errors)
    {
        if (p.ValueKind != JsonValueKind.Object || !p.TryGetProperty("sensitivity", out var v) || v.ValueKind == JsonValueKind.Null) return [];
        if (v.ValueKind == JsonValueKind.Array && v.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String))
            return v.EnumerateArray().Select(e => e.GetString()!).ToArray();
        errors.Add(new LineError(line, "provenance.sensitivity", "must be an array of category names"));
        return [];
    }
}
