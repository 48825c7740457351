namespace Fairlabel.Wellbeing;

/// Why a tasker reports an item: a closed list, so that reports can be counted and acted on,
/// with a note in the tasker's own words beside it.
public static class ReportReasons
{
    public const int NoteMaxLength = 1000;

    public const string Sexual = "sexual";
    public const string Violence = "violence";
    public const string Hate = "hate";
    public const string SelfHarm = "self_harm";
    public const string Minors = "minors";
    public const string PersonalData = "personal_data";
    public const string NotFlagged = "not_flagged";
    public const string Other = "other";

    public static readonly IReadOnlyList<string> All =
        [Sexual, Violence, Hate, SelfHarm, Minors, PersonalData, NotFlagged, Other];

    /// "other" says nothing by itself: it needs a note.
    public static void Check(string? reason, string? note, Infrastructure.FieldErrors errors)
    {
        if (string.IsNullOrWhiteSpace(reason)) errors.Add("reason", "A reason is required.");
        else if (!All.Contains(reason)) errors.Add("reason", $"Must be one of: {string.Join(", ", All)}.");
        if (note is { Length: > NoteMaxLength }) errors.Add("note", $"At most {NoteMaxLength} characters.");
        if (reason == Other && string.IsNullOrWhiteSpace(note)) errors.Add("note", "Say what is wrong when the reason is \"other\".");
    }
}
