using System.Text.Json;
using Fairlabel.Infrastructure;

namespace Fairlabel.Audiences;

public sealed record ExpertiseClaim(string Domain, string? Evidence);

/// What a tasker's profile may say, checked and written one way (`PT-br` is `pt-BR`, `ke` is
/// `KE`); each check names the field it refuses. Shared by sign-up, the profile and the audiences.
public static class ProfileRules
{
    public const int MaxListLength = 20;
    public const int MaxEvidenceLength = 500;

    public static string? Country(string? code, string field, FieldErrors errors)
    {
        if (code is null) return null;
        var country = Countries.Normalise(code.Trim());
        if (country is null) errors.Add(field, "must be an assigned ISO 3166-1 alpha-2 country code such as 'KE' or 'BR'");
        return country;
    }

    public static List<string> Languages(List<string>? tags, string field, FieldErrors errors)
    {
        var found = new List<string>();
        if (tags is null) return found;
        if (tags.Count > MaxListLength) errors.Add(field, $"must list at most {MaxListLength} languages");
        for (var i = 0; i < tags.Count; i++)
            if (LanguageTags.Normalise(tags[i]) is { } tag) { if (!found.Contains(tag)) found.Add(tag); }
            else errors.Add($"{field}[{i}]", "must be a BCP 47 language tag such as 'en', 'pt-BR' or 'sr-Latn'");
        return found;
    }

    public static List<string> Domains(List<string>? domains, string field, FieldErrors errors)
    {
        var found = new List<string>();
        if (domains is null) return found;
        if (domains.Count > MaxListLength) errors.Add(field, $"must list at most {MaxListLength} domains");
        for (var i = 0; i < domains.Count; i++)
            if (Domain(domains[i]) is { } domain) { if (!found.Contains(domain)) found.Add(domain); }
            else errors.Add($"{field}[{i}]", DomainMessage);
        return found;
    }

    /// Expertise as a list whose entries are a domain ("medicine") or a domain with its evidence
    /// ({"domain": "medicine", "evidence": "Registered nurse since 2015"}).
    public static List<ExpertiseClaim> Expertise(JsonElement expertise, string field, FieldErrors errors)
    {
        var found = new List<ExpertiseClaim>();
        if (expertise.ValueKind != JsonValueKind.Array)
        {
            errors.Add(field, "must be a list of domains, each a name or {\"domain\", \"evidence\"}");
            return found;
        }
        var i = 0;
        foreach (var entry in expertise.EnumerateArray())
        {
            var at = $"{field}[{i++}]";
            var (name, evidence) = entry.ValueKind switch
            {
                JsonValueKind.String => (entry.GetString(), null),
                JsonValueKind.Object => (Text(entry, "domain"), Text(entry, "evidence")),
                _ => (null, null),
            };
            if (Domain(name) is not { } domain) { errors.Add(entry.ValueKind == JsonValueKind.Object ? at + ".domain" : at, DomainMessage); continue; }
            evidence = string.IsNullOrWhiteSpace(evidence) ? null : evidence.Trim();
            if (evidence is { Length: > MaxEvidenceLength })
                errors.Add(at + ".evidence", $"must be at most {MaxEvidenceLength} characters");
            else if (found.All(c => c.Domain != domain)) found.Add(new ExpertiseClaim(domain, evidence));
        }
        if (i > MaxListLength) errors.Add(field, $"must list at most {MaxListLength} domains");
        return found;
    }

    public static List<string> Categories(List<string>? categories, string field, FieldErrors errors)
    {
        var found = new List<string>();
        if (categories is null) return found;
        if (categories.Count > 50) errors.Add(field, "must list at most 50 categories");
        for (var i = 0; i < categories.Count; i++)
        {
            var name = categories[i]?.Trim() ?? "";
            if (SensitivityCategories.IsName(name)) { if (!found.Contains(name)) found.Add(name); }
            else errors.Add($"{field}[{i}]", "must be a category name (lowercase letters, digits and _)");
        }
        found.Sort(StringComparer.Ordinal);
        return found;
    }

    const string DomainMessage = "must be a domain name of lowercase letters, digits, '-' and '_' such as 'medicine'";

    static string? Domain(string? name)
    {
        var domain = name?.Trim().ToLowerInvariant();
        return domain is { Length: >= 1 and <= 40 } && char.IsAsciiLetterOrDigit(domain[0]) &&
               domain.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '_')
            ? domain : null;
    }

    static string? Text(JsonElement o, string name) =>
        o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
