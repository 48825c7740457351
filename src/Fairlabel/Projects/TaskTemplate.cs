namespace Fairlabel.Projects;

/// What a tasker sees (fields, filled from the item's data) and answers (questions).
public sealed record TaskTemplate(IReadOnlyList<TemplateField> Fields, IReadOnlyList<TemplateQuestion> Questions)
{
    public TemplateQuestion? Question(string id) => Questions.FirstOrDefault(q => q.Id == id);
}

public static class FieldTypes
{
    public const string Text = "text", Markdown = "markdown", Image = "image", Url = "url", Chat = "chat",
        SideBySide = "side_by_side";
    public static readonly string[] All = [Text, Markdown, Image, Url, Chat, SideBySide];
}

public static class QuestionTypes
{
    public const string SingleChoice = "single_choice", MultipleChoice = "multiple_choice", Rating = "rating",
        Pairwise = "pairwise", FreeText = "free_text";
    public static readonly string[] All = [SingleChoice, MultipleChoice, Rating, Pairwise, FreeText];
}

public sealed record TemplateField(string Id, string Type, string? Label, IReadOnlyList<string> Sources);

public sealed record ChoiceOption(string Value, string Label);

public sealed record TemplateQuestion(
    string Id,
    string Type,
    string Prompt,
    bool Required,
    IReadOnlyList<ChoiceOption> Options,
    int Scale,
    int MinSelected,
    int MaxSelected,
    int MinLength,
    int MaxLength,
    bool AsksStrength,
    bool RationaleRequired,
    int RationaleMaxLength);
