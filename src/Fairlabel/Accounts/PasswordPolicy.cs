using System.Text.Json;

namespace Fairlabel.Accounts;

/// What a new password must be (NIST SP 800-63B 5.1.1.2, OWASP ASVS 2.1): long enough, not
/// absurdly long, not the account's own address, and not one that attackers try first. No rules
/// about character classes: length and the list do more, and people stop writing passwords down.
public static class PasswordPolicy
{
    public const int MinLength = 12;
    /// Long enough for any passphrase; short enough that hashing it costs nothing unusual.
    public const int MaxLength = 256;

    static readonly HashSet<string> Common = Load("common-passwords.json");
    static readonly char[] Decoration = "0123456789!@#$%^&*()_+-=.,;:?~'\"`/\\|[]{}<> ".ToCharArray();

    /// Why <paramref name="password"/> cannot be the password of <paramref name="email"/>, or null
    /// when it can. Length counts Unicode code points, as NIST asks.
    public static string? Problem(string password, string email)
    {
        var length = password.EnumerateRunes().Count();
        if (length < MinLength) return $"must be at least {MinLength} characters long";
        if (length > MaxLength) return $"must be at most {MaxLength} characters long";
        var lower = password.Trim().ToLowerInvariant();
        var address = email.Trim().ToLowerInvariant();
        var localPart = address.Split('@')[0];
        if (lower == address || lower == localPart) return "must not be your email address";
        if (IsRepetition(lower)) return "must not be a few characters repeated";
        var core = lower.Trim(Decoration);
        if (Common.Contains(lower) || Common.Contains(core) || core is "fairlabel" || core == localPart)
            return "is too easy to guess: it is, or is built on, a common or breached password";
        return null;
    }

    /// `aaaaaaaaaaaa`, `abcabcabcabc`: a unit of up to four characters said again and again.
    static bool IsRepetition(string password)
    {
        for (var unit = 1; unit <= 4 && unit < password.Length; unit++)
        {
            if (password.Length % unit != 0) continue;
            var repeated = true;
            for (var i = unit; i < password.Length && repeated; i++) repeated = password[i] == password[i - unit];
            if (repeated) return true;
        }
        return false;
    }

    static HashSet<string> Load(string resource)
    {
        using var stream = typeof(PasswordPolicy).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Missing embedded resource {resource}");
        return JsonSerializer.Deserialize<string[]>(stream)!.Select(p => p.ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);
    }
}
