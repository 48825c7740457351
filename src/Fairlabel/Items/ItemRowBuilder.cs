using System.Globalization;
using System.Text.Json;
using Fairlabel.Infrastructure;
using Fairlabel.Projects;

namespace Fairlabel.Items;

/// Turns what a line states about an item (whatever the file's format) into an <see cref="ItemRow"/>,
/// filling provenance from the import's defaults, or into errors naming the line and the field.
public sealed class ItemRowBuilder(ImportDefaults defaults, TaskTemplate? template)
{
    readonly TaskTemplate? _goldTemplate = template is null
        ? null
        // Gold states the expected answer to some questions; a preference's strength and
        // rationale are the tasker's judgement, not part of the truth.
        : template with
        {
            Questions = template.Questions
                .Select(q => q with { Required = false, AsksStrength = false, RationaleRequired = false }).ToList(),
        };

    /// The data keys the project's template reads, with the field reading each: an item needs
    /// them (none are checked without a template).
    public (string Key, TemplateField Field)[] KeysShown { get; } = template is null ? [] : ItemDataRules.KeysRead(template);

    public ItemRow? Build(long line, string? id, string data, string? gold, string? source, string? licence, string? consent,
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
            if (!Audiences.SensitivityCategories.IsName(s))
                errors.Add(new LineError(line, prefix + "sensitivity", $"'{s}' is not a category name (lowercase letters and _)"));

        return errors.Count > 0 ? null : new ItemRow(id!, data, gold, source!, canonical!, consent!, personalData ?? false,
            minors ?? false, string.Join(';', sensitivity), collected);
    }

    public void ValidateGold(long line, JsonElement gold, List<LineError> errors)
    {
        if (_goldTemplate is null) return;
        var found = new FieldErrors();
        AnswerValidator.Validate(_goldTemplate, gold, found);
        foreach (var (path, message) in found.All)
            errors.Add(new LineError(line, "gold" + path["answer".Length..], message));
    }
}
