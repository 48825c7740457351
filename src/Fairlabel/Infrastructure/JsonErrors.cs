using System.Text.Json;

namespace Fairlabel.Infrastructure;

/// What is wrong with a piece of JSON, in plain words: the parser's own message names its internals
/// ("Path: $ | LineNumber: 0 | BytePositionInLine: 157") and is never shown to a user.
public static class JsonErrors
{
    /// Where the parser stopped, counted from 1 as an editor does; the column counts bytes.
    /// <paramref name="withLine"/>: false for JSON of one line, such as a line of an import.
    public static string Where(JsonException e, bool withLine = true) =>
        (e.LineNumber, e.BytePositionInLine) switch
        {
            ({ } line, var column) when withLine => $"line {line + 1}, column {(column ?? 0) + 1}",
            (_, { } column) => $"column {column + 1}",
            _ => "an unknown place",
        };

    /// Whether the text itself is not JSON (rather than JSON of the wrong shape): the reader's
    /// exception, inside the serializer's, or thrown on its own by JsonDocument.
    public static bool IsMalformed(JsonException e) =>
        e.InnerException is JsonException || e.GetType() != typeof(JsonException);

    /// The field the value of the wrong type is at ("answer.category", "tags[2]"), or null for the body itself.
    public static string? Field(JsonException e) =>
        string.IsNullOrEmpty(e.Path) || e.Path == "$" ? null : e.Path.StartsWith("$.") ? e.Path[2..] : e.Path.TrimStart('$');

    /// One phrase for a user: "is not valid JSON: …" or "has a value of the wrong type or format at …".
    public static string Describe(JsonException e, bool withLine = true) =>
        IsMalformed(e) ? $"is not valid JSON: it is cut short or has a mistake at {Where(e, withLine)}"
            : $"has a value of the wrong type or format at {Where(e, withLine)}";
}
