using System.Text.Json;
using System.Text.RegularExpressions;
using Fairlabel.Infrastructure;

namespace Fairlabel.Projects;

/// Reads a template from JSON, naming the path of every problem (`questions[2].options`).
public static partial class TemplateParser
{
    [GeneratedRegex("^[a-z][a-z0-9_]{0,39}$")]
    private static partial Regex IdPattern();

    public static TaskTemplate? Parse(JsonElement json, FieldErrors errors, string path = "template")
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            errors.Add(path, "must be an object with 'fields' and 'questions'");
            return null;
        }
        var prefix = path.Length == 0 ? "" : path + ".";
        var fields = new List<TemplateField>();
        var questions = new List<TemplateQuestion>();
        var ids = new HashSet<string>();

        if (!json.TryGetProperty("fields", out var fieldsJson) || fieldsJson.ValueKind != JsonValueKind.Array)
            errors.Add(prefix + "fields", "must be an array of fields");
        else
        {
            var i = 0;
            foreach (var f in fieldsJson.EnumerateArray())
                if (ParseField(f, $"{prefix}fields[{i++}]", errors, ids) is { } field) fields.Add(field);
        }

        if (!json.TryGetProperty("questions", out var questionsJson) || questionsJson.ValueKind != JsonValueKind.Array)
            errors.Add(prefix + "questions", "must be an array of questions");
        else
        {
            var i = 0;
            foreach (var q in questionsJson.EnumerateArray())
                if (ParseQuestion(q, $"{prefix}questions[{i++}]", errors, ids) is { } question) questions.Add(question);
            if (i == 0) errors.Add(prefix + "questions", "needs at least one question");
        }
        return errors.Any ? null : new TaskTemplate(fields, questions);
    }

    /// Parses a template already stored (and so already validated).
    public static TaskTemplate ParseStored(string json)
    {
        var errors = new FieldErrors();
        using var doc = JsonDocument.Parse(json);
        return Parse(doc.RootElement, errors) ?? throw new InvalidOperationException("Stored template is invalid.");
    }

    static TemplateField? ParseField(JsonElement f, string path, FieldErrors errors, HashSet<string> ids)
    {
        if (f.ValueKind != JsonValueKind.Object) { errors.Add(path, "must be an object"); return null; }
        var before = errors.Count;
        var id = Id(f, path, errors, ids);
        var type = Str(f, "type");
        if (type is null || !FieldTypes.All.Contains(type))
            errors.Add(path + ".type", $"must be one of {string.Join(", ", FieldTypes.All)}");
        List<string> sources = [];
        if (type == FieldTypes.SideBySide)
        {
            if (!f.TryGetProperty("sources", out var s) || s.ValueKind != JsonValueKind.Array)
                errors.Add(path + ".sources", "must be an array of at least two data keys");
            else
            {
                sources = s.EnumerateArray().Select(x => x.ValueKind == JsonValueKind.String ? x.GetString()! : "").ToList();
                if (sources.Count < 2 || sources.Any(string.IsNullOrWhiteSpace))
                    errors.Add(path + ".sources", "must be an array of at least two data keys");
            }
        }
        else if (Str(f, "source") is { Length: > 0 } source) sources = [source];
        else errors.Add(path + ".source", "names the item data key this field shows");
        return errors.Count > before ? null : new TemplateField(id!, type!, Str(f, "label"), sources);
    }

    static TemplateQuestion? ParseQuestion(JsonElement q, string path, FieldErrors errors, HashSet<string> ids)
    {
        if (q.ValueKind != JsonValueKind.Object) { errors.Add(path, "must be an object"); return null; }
        var before = errors.Count;
        var id = Id(q, path, errors, ids);
        var type = Str(q, "type");
        if (type is null || !QuestionTypes.All.Contains(type))
            errors.Add(path + ".type", $"must be one of {string.Join(", ", QuestionTypes.All)}");
        var prompt = Str(q, "prompt");
        if (string.IsNullOrWhiteSpace(prompt)) errors.Add(path + ".prompt", "is required");
        var required = !q.TryGetProperty("required", out var r) || r.ValueKind != JsonValueKind.False;

        List<ChoiceOption> options = [];
        int scale = 0, minSelected = 0, maxSelected = 0, minLength = 0, maxLength = 0, rationaleMax = 0;
        bool strength = false, rationaleRequired = false;
        switch (type)
        {
            case QuestionTypes.SingleChoice or QuestionTypes.MultipleChoice:
                options = Options(q, path + ".options", errors);
                if (type == QuestionTypes.MultipleChoice)
                {
                    minSelected = Int(q, "minSelected", 0, path, errors, 0, options.Count);
                    maxSelected = Int(q, "maxSelected", Math.Max(options.Count, 1), path, errors, 1, Math.Max(options.Count, 1));
                    if (minSelected > maxSelected) errors.Add(path + ".minSelected", "must not exceed maxSelected");
                }
                break;
            case QuestionTypes.Rating:
                scale = Int(q, "scale", 5, path, errors, 2, 10);
                break;
            case QuestionTypes.Pairwise:
                strength = q.TryGetProperty("strength", out var s) && s.ValueKind == JsonValueKind.True;
                if (q.TryGetProperty("rationale", out var rationale) && rationale.ValueKind == JsonValueKind.Object)
                {
                    rationaleRequired = rationale.TryGetProperty("required", out var rr) && rr.ValueKind == JsonValueKind.True;
                    rationaleMax = Int(rationale, "maxLength", 2000, path + ".rationale", errors, 1, 20000);
                }
                else rationaleMax = 2000;
                break;
            case QuestionTypes.FreeText:
                minLength = Int(q, "minLength", 0, path, errors, 0, 100000);
                maxLength = Int(q, "maxLength", 2000, path, errors, 1, 100000);
                if (minLength > maxLength) errors.Add(path + ".minLength", "must not exceed maxLength");
                break;
        }
        return errors.Count > before
            ? null
            : new TemplateQuestion(id!, type!, prompt!, required, options, scale, minSelected, maxSelected,
                minLength, maxLength, strength, rationaleRequired, rationaleMax);
    }

    static List<ChoiceOption> Options(JsonElement q, string path, FieldErrors errors)
    {
        var options = new List<ChoiceOption>();
        if (!q.TryGetProperty("options", out var o) || o.ValueKind != JsonValueKind.Array)
        {
            errors.Add(path, "needs at least two options");
            return options;
        }
        var i = 0;
        var values = new HashSet<string>();
        foreach (var option in o.EnumerateArray())
        {
            var at = $"{path}[{i++}]";
            var value = option.ValueKind == JsonValueKind.String ? option.GetString() : Str(option, "value");
            var label = option.ValueKind == JsonValueKind.String ? value : Str(option, "label") ?? value;
            if (string.IsNullOrWhiteSpace(value)) errors.Add(at + ".value", "is required");
            else if (!values.Add(value)) errors.Add(at + ".value", $"'{value}' appears twice");
            else options.Add(new ChoiceOption(value, label!));
        }
        if (i < 2) errors.Add(path, "needs at least two options");
        return options;
    }

    static string? Id(JsonElement e, string path, FieldErrors errors, HashSet<string> ids)
    {
        var id = Str(e, "id");
        if (id is null || !IdPattern().IsMatch(id))
            errors.Add(path + ".id", "must match ^[a-z][a-z0-9_]{0,39}$");
        else if (!ids.Add(id))
            errors.Add(path + ".id", $"'{id}' is used twice");
        return id;
    }

    static string? Str(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
            ? v.GetString()
            : null;

    static int Int(JsonElement e, string name, int fallback, string path, FieldErrors errors, int min, int max)
    {
        if (!e.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return fallback;
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out var n) || n < min || n > max)
        {
            errors.Add($"{path}.{name}", $"must be a whole number from {min} to {max}");
            return fallback;
        }
        return n;
    }
}
