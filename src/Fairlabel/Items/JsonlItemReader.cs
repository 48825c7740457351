using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Fairlabel.Infrastructure;

namespace Fairlabel.Items;

/// Reads a JSONL item file, one item per line: `{"id", "data", "provenance", "gold"}`. Every key is
/// checked: an unknown one is an error rather than ignored, since a misspelt "provenance" would
/// otherwise leave the item with the import's defaults and no one the wiser.
public sealed class JsonlItemReader(ItemRowBuilder items, int maxLineBytes)
{
    static readonly JsonDocumentOptions Strict = new() { AllowDuplicateProperties = false };
    const string ProvenanceKeys = "source, licence, consentBasis, personalData, minors, collectedAt, sensitivity";

    public IEnumerable<(long Line, ItemRow? Row, List<LineError> Errors)> Read(Stream file)
    {
        var lines = new Utf8LineReader(file, maxLineBytes);
        while (lines.TryReadLine(out var text, out var tooLong))
        {
            var line = lines.LineNumber;
            if (!tooLong && text.Span.IndexOfAnyExcept(" \t\r"u8) < 0) continue;
            var errors = new List<LineError>();
            var row = tooLong ? TooLong(line, errors) : Parse(line, text, errors);
            yield return (line, errors.Count == 0 ? row : null, errors);
        }
    }

    ItemRow? TooLong(long line, List<LineError> errors)
    {
        errors.Add(new LineError(line, "(line)", $"is longer than {maxLineBytes:N0} bytes, the most an item line may hold"));
        return null;
    }

    ItemRow? Parse(long line, ReadOnlyMemory<byte> text, List<LineError> errors)
    {
        if (!Utf8.IsValid(text.Span))
        {
            errors.Add(new LineError(line, "(line)", "is not UTF-8 text: save the file as UTF-8")
                { Column = ColumnOf(text.Span, FirstInvalidByte(text.Span)) });
            return null;
        }
        try
        {
            using var doc = JsonDocument.Parse(text, Strict);
            return FromJson(line, doc.RootElement, errors);
        }
        catch (JsonException e)
        {
            // The column in characters, as an editor counts them; the parser's own wording never reaches the requester.
            int? column = e.BytePositionInLine is { } at ? ColumnOf(text.Span, (int)Math.Min(at, text.Length)) : null;
            errors.Add(new LineError(line, "(line)",
                $"is not valid JSON: it is cut short or has a mistake at {(column is { } c ? $"column {c}" : "an unknown place")}")
                { Column = column });
            return null;
        }
    }

    ItemRow? FromJson(long line, JsonElement json, List<LineError> errors)
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new LineError(line, "(line)", "must be a JSON object"));
            return null;
        }
        string? id = null, data = null, gold = null;
        var hasData = false;
        JsonElement provenance = default;
        foreach (var property in json.EnumerateObject())
        {
            var value = property.Value;
            if (property.NameEquals("id"u8))
            {
                if (value.ValueKind == JsonValueKind.String) id = value.GetString();
                else errors.Add(new LineError(line, "id", "must be text (a JSON string)"));
            }
            else if (property.NameEquals("data"u8))
            {
                hasData = true;
                if (value.ValueKind != JsonValueKind.Object) errors.Add(new LineError(line, "data", "must be an object"));
                else
                {
                    ItemDataRules.Check(items.KeysShown, value, line, errors);
                    data = value.GetRawText();
                }
            }
            else if (property.NameEquals("provenance"u8))
            {
                if (value.ValueKind == JsonValueKind.Object) provenance = value;
                else if (value.ValueKind != JsonValueKind.Null) errors.Add(new LineError(line, "provenance", "must be an object"));
            }
            else if (property.NameEquals("gold"u8))
            {
                if (value.ValueKind == JsonValueKind.Null) continue;
                items.ValidateGold(line, value, errors);
                gold = value.GetRawText();
            }
            else errors.Add(new LineError(line, property.Name, "is not a key of an item line: id, data, provenance, gold"));
        }
        if (!hasData)
            errors.Add(new LineError(line, "data", "is required: an object holding the item's content"));

        var p = provenance;
        if (p.ValueKind == JsonValueKind.Object)
            foreach (var property in p.EnumerateObject())
                if (!IsProvenanceKey(property))
                    errors.Add(new LineError(line, "provenance." + property.Name, $"is not a provenance key: {ProvenanceKeys}"));
        return items.Build(line, id, data ?? "", gold,
            Text(p, "source", line, errors), Text(p, "licence", line, errors) ?? Text(p, "license", line, errors),
            Text(p, "consentBasis", line, errors), Flag(p, "personalData", line, errors), Flag(p, "minors", line, errors),
            SensitivityOf(p, line, errors), Text(p, "collectedAt", line, errors), "provenance.", errors);
    }

    static bool IsProvenanceKey(JsonProperty p) =>
        p.NameEquals("source"u8) || p.NameEquals("licence"u8) || p.NameEquals("license"u8) || p.NameEquals("consentBasis"u8) ||
        p.NameEquals("personalData"u8) || p.NameEquals("minors"u8) || p.NameEquals("collectedAt"u8) || p.NameEquals("sensitivity"u8);

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

    /// The 1-based column, in characters, of the byte at <paramref name="offset"/>.
    static int ColumnOf(ReadOnlySpan<byte> line, int offset) => Encoding.UTF8.GetCharCount(line[..offset]) + 1;

    static int FirstInvalidByte(ReadOnlySpan<byte> line)
    {
        Span<char> chars = stackalloc char[256];
        var at = 0;
        while (true)
        {
            var status = Utf8.ToUtf16(line[at..], chars, out var read, out _, replaceInvalidSequences: false);
            at += read;
            if (status != System.Buffers.OperationStatus.DestinationTooSmall) return at;
        }
    }
}
