using System.Text.Json;
using Fairlabel.Infrastructure;
using Fairlabel.Projects;

namespace Fairlabel.Items;

/// What an item's data must hold for the project's template: every key a field reads, holding
/// what that field shows. Checked at import, so a tasker is never handed an item the page cannot
/// show (a blank text, a number where a chat was expected).
public static class ItemDataRules
{
    static readonly string[] ChatRoles = ["user", "assistant", "system"];

    /// The data keys the template's fields read, each with the field that reads it.
    public static (string Key, TemplateField Field)[] KeysRead(TaskTemplate template) =>
        [.. template.Fields.SelectMany(f => f.Sources.Select(s => (s, f))).DistinctBy(k => k.s)];

    /// Adds an error per key of <paramref name="data"/> (a JSON object) that the template reads
    /// (<paramref name="keys"/>, from <see cref="KeysRead"/>) and that is missing or of the wrong
    /// kind; the fields are named `data.KEY`.
    public static void Check((string Key, TemplateField Field)[] keys, JsonElement data, long line, List<LineError> errors)
    {
        foreach (var (key, field) in keys)
        {
            var problem = data.TryGetProperty(key, out var value)
                ? ProblemWith(field.Type, value)
                : $"is required: the template's field '{field.Id}' shows it";
            if (problem is not null) errors.Add(new LineError(line, "data." + key, problem));
        }
    }

    /// Why <paramref name="value"/> cannot be shown by a field of <paramref name="fieldType"/>, or null.
    public static string? ProblemWith(string fieldType, JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => ProblemWithText(fieldType, value.GetString()!),
        JsonValueKind.Array when fieldType is FieldTypes.Chat or FieldTypes.SideBySide => ProblemWithChat(value),
        _ when fieldType == FieldTypes.Chat => "must be a chat: an array of {\"role\", \"content\"} messages",
        _ => "must be text (a JSON string)",
    };

    /// Why text (a JSON string, or a CSV cell) cannot be shown by a field of <paramref name="fieldType"/>, or null.
    public static string? ProblemWithText(string fieldType, string text) => fieldType switch
    {
        FieldTypes.Image or FieldTypes.Url when !IsWebAddress(text) => "must be an http: or https: address",
        FieldTypes.Chat => "must be a chat: an array of {\"role\", \"content\"} messages, not text",
        _ => null,
    };

    static string? ProblemWithChat(JsonElement messages)
    {
        var n = 0;
        foreach (var message in messages.EnumerateArray())
        {
            if (message.ValueKind != JsonValueKind.Object ||
                !message.TryGetProperty("role", out var role) || role.ValueKind != JsonValueKind.String ||
                !ChatRoles.Contains(role.GetString()) ||
                !message.TryGetProperty("content", out var content) || content.ValueKind != JsonValueKind.String)
                return $"message {n} must be {{\"role\": \"user\" | \"assistant\" | \"system\", \"content\": \"text\"}}";
            n++;
        }
        return null;
    }

    static bool IsWebAddress(string text) =>
        Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);
}
