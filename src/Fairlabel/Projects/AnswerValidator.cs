using System.Text.Json;
using Fairlabel.Infrastructure;

namespace Fairlabel.Projects;

/// Checks a tasker's answer against the template on the server; the browser's checks are a courtesy.
public static class AnswerValidator
{
    public static void Validate(TaskTemplate template, JsonElement answer, FieldErrors errors)
    {
        if (answer.ValueKind != JsonValueKind.Object)
        {
            errors.Add("answer", "must be an object keyed by question id");
            return;
        }
        foreach (var property in answer.EnumerateObject())
            if (template.Question(property.Name) is null)
                errors.Add($"answer.{property.Name}", "is not a question of this template");

        foreach (var question in template.Questions)
        {
            var path = $"answer.{question.Id}";
            if (!answer.TryGetProperty(question.Id, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                if (question.Required) errors.Add(path, "is required");
                continue;
            }
            switch (question.Type)
            {
                case QuestionTypes.SingleChoice:
                    if (value.ValueKind != JsonValueKind.String || !IsOption(question, value.GetString()))
                        errors.Add(path, $"must be one of {OptionList(question)}");
                    break;
                case QuestionTypes.MultipleChoice:
                    ValidateMultiple(question, value, path, errors);
                    break;
                case QuestionTypes.Rating:
                    if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var rating) ||
                        rating < 1 || rating > question.Scale)
                        errors.Add(path, $"must be a whole number from 1 to {question.Scale}");
                    break;
                case QuestionTypes.Pairwise:
                    ValidatePairwise(question, value, path, errors);
                    break;
                case QuestionTypes.FreeText:
                    if (value.ValueKind != JsonValueKind.String)
                        errors.Add(path, "must be text");
                    else if (value.GetString()!.Length is var n && (n < question.MinLength || n > question.MaxLength))
                        errors.Add(path, $"must be {question.MinLength} to {question.MaxLength} characters long (is {n})");
                    else if (question.Required && string.IsNullOrWhiteSpace(value.GetString()))
                        errors.Add(path, "is required");
                    break;
            }
        }
    }

    static void ValidateMultiple(TemplateQuestion question, JsonElement value, string path, FieldErrors errors)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            errors.Add(path, "must be an array of option values");
            return;
        }
        var chosen = new HashSet<string>();
        foreach (var v in value.EnumerateArray())
            if (v.ValueKind != JsonValueKind.String || !IsOption(question, v.GetString()) || !chosen.Add(v.GetString()!))
            {
                errors.Add(path, $"holds a value that is not one of {OptionList(question)}, or a value twice");
                return;
            }
        var min = Math.Max(question.MinSelected, question.Required ? 1 : 0);
        if (chosen.Count < min || chosen.Count > question.MaxSelected)
            errors.Add(path, $"must select {min} to {question.MaxSelected} options");
    }

    static void ValidatePairwise(TemplateQuestion question, JsonElement value, string path, FieldErrors errors)
    {
        if (value.ValueKind != JsonValueKind.Object ||
            !value.TryGetProperty("choice", out var choice) || choice.ValueKind != JsonValueKind.String ||
            choice.GetString() is not ("A" or "B" or "tie"))
        {
            errors.Add(path + ".choice", "must be \"A\", \"B\" or \"tie\"");
            return;
        }
        var hasStrength = value.TryGetProperty("strength", out var strength) && strength.ValueKind != JsonValueKind.Null;
        if (question.AsksStrength && choice.GetString() != "tie")
        {
            if (!hasStrength || !strength.TryGetInt32(out var s) || s < 1 || s > 3)
                errors.Add(path + ".strength", "must be 1 (slight), 2 (clear) or 3 (overwhelming)");
        }
        else if (hasStrength && (strength.ValueKind != JsonValueKind.Number || !strength.TryGetInt32(out var s) || s < 1 || s > 3))
            errors.Add(path + ".strength", "must be 1, 2 or 3");

        var rationale = value.TryGetProperty("rationale", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString()! : null;
        if (value.TryGetProperty("rationale", out var raw) && raw.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
            errors.Add(path + ".rationale", "must be text");
        else if (question.RationaleRequired && string.IsNullOrWhiteSpace(rationale))
            errors.Add(path + ".rationale", "is required");
        else if (rationale is not null && rationale.Length > question.RationaleMaxLength)
            errors.Add(path + ".rationale", $"must be at most {question.RationaleMaxLength} characters");
        foreach (var p in value.EnumerateObject())
            if (p.Name is not ("choice" or "strength" or "rationale"))
                errors.Add($"{path}.{p.Name}", "is not part of a pairwise answer");
    }

    static bool IsOption(TemplateQuestion question, string? value) => question.Options.Any(o => o.Value == value);

    static string OptionList(TemplateQuestion question) => string.Join(", ", question.Options.Select(o => $"'{o.Value}'"));

    /// The categorical label an answer gives to a question, for aggregation across taskers:
    /// the option chosen, the preferred side (A/B/tie), or the rating. Null when the question
    /// has no single category (multiple choice, free text) or was left unanswered.
    public static string? CategoricalLabel(TemplateQuestion question, JsonElement answer)
    {
        if (!answer.TryGetProperty(question.Id, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        return question.Type switch
        {
            QuestionTypes.SingleChoice when v.ValueKind == JsonValueKind.String => v.GetString(),
            QuestionTypes.Rating when v.ValueKind == JsonValueKind.Number => v.GetRawText(),
            QuestionTypes.Pairwise when v.ValueKind == JsonValueKind.Object && v.TryGetProperty("choice", out var c) => c.GetString(),
            _ => null,
        };
    }
}
