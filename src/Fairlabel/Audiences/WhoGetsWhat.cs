namespace Fairlabel.Audiences;

/// What the rules know of a tasker: the profile as it stands, and how many items of each
/// sensitivity category they were handed today.
public sealed record TaskerFacts(
    int TaskerId, string? Country, IReadOnlyList<string> Languages, IReadOnlyList<string> Expertise,
    IReadOnlyList<string> OptIns);

public static class CountryModes
{
    public const string Anyone = "anyone";
    public const string Allow = "allow";
    public const string Deny = "deny";
}

/// Who a project is for. Empty lists ask nothing: any language, any expertise.
/// <param name="Countries">With <see cref="CountryModes.Allow"/>, the only countries taskers may work
/// from; with <see cref="CountryModes.Deny"/>, the countries they may not.</param>
/// <param name="Languages">The tasker must speak one of them (a more specific tag counts: `pt-BR` for `pt`).</param>
/// <param name="Expertise">The tasker must claim one of these domains.</param>
/// <param name="DailyExposureCap">Items of one sensitivity category a tasker may be handed a day,
/// lower than the operator's (null: the operator's).</param>
public sealed record Audience(
    string CountryMode, IReadOnlyList<string> Countries, IReadOnlyList<string> Languages, IReadOnlyList<string> Expertise,
    int? DailyExposureCap)
{
    public static readonly Audience Everyone = new(CountryModes.Anyone, [], [], [], null);
}

/// Why a tasker may not work on a project: the rule (`country`, `language`, `expertise`) and, in
/// the tasker's words, what it asks for.
public sealed record Refusal(string Rule, string Detail);

/// Who may get what, as a pure function: tasker × project audience × the project's pools of items
/// (each pool the items of one set of sensitivity categories) → whether the tasker may work on the
/// project, and from which pools they may draw now. The hand-out (`Work`) receives only the pools'
/// opaque keys and the answer; it never learns what a rule means.
public static class WhoGetsWhat
{
    /// The key of the pool an item belongs to, from its stored categories: the set of them, in
    /// order, so that "violence;gore" and "gore;violence" share a pool. Items without one: "".
    public static string PoolKeyOf(string sensitivity) =>
        sensitivity.Length == 0 ? "" : string.Join(';', SensitivityCategories.Of(sensitivity));

    public static string[] CategoriesOf(string poolKey) => poolKey.Length == 0 ? [] : poolKey.Split(';');

    /// The rule the tasker fails, first country, then language, then expertise; null when none.
    public static Refusal? Refuses(TaskerFacts tasker, Audience audience)
    {
        if (audience.CountryMode == CountryModes.Allow &&
            (tasker.Country is null || !audience.Countries.Contains(tasker.Country)))
            return new Refusal("country", tasker.Country is null
                ? $"This project is open to taskers in {string.Join(", ", audience.Countries)}; your profile names no country."
                : $"This project is open only to taskers in {string.Join(", ", audience.Countries)}; your profile says {tasker.Country}.");
        if (audience.CountryMode == CountryModes.Deny && (tasker.Country is null || audience.Countries.Contains(tasker.Country)))
            return new Refusal("country", tasker.Country is null
                ? "This project is not open in some countries, and your profile names no country."
                : $"This project is not open to taskers in {tasker.Country}.");
        if (audience.Languages.Count > 0 &&
            !audience.Languages.Any(wanted => tasker.Languages.Any(spoken => LanguageTags.Covers(spoken, wanted))))
            return new Refusal("language",
                $"This project needs one of these languages in your profile: {string.Join(", ", audience.Languages)}.");
        if (audience.Expertise.Count > 0 && !audience.Expertise.Any(tasker.Expertise.Contains))
            return new Refusal("expertise",
                $"This project needs expertise in one of: {string.Join(", ", audience.Expertise)}.");
        return null;
    }

    /// The daily cap on items of one category: the operator's, or the project's when lower.
    public static int DailyCap(int operatorCap, Audience audience) =>
        audience.DailyExposureCap is { } project ? Math.Min(project, operatorCap) : operatorCap;

    /// Whether the tasker may draw from the pool of <paramref name="poolKey"/> now: every one of
    /// its categories opted in to, and none handed to them <paramref name="cap"/> times today.
    public static bool MayDraw(TaskerFacts tasker, string poolKey, Func<string, int> handedToday, int cap)
    {
        if (poolKey.Length == 0) return true;
        foreach (var category in CategoriesOf(poolKey))
            if (!tasker.OptIns.Contains(category) || handedToday(category) >= cap) return false;
        return true;
    }

    /// The pools, among <paramref name="poolKeys"/> (by position), the tasker may draw from now.
    public static bool[] Pools(TaskerFacts tasker, IReadOnlyList<string> poolKeys, Func<string, int> handedToday, int cap)
    {
        var may = new bool[poolKeys.Count];
        for (var i = 0; i < may.Length; i++) may[i] = MayDraw(tasker, poolKeys[i], handedToday, cap);
        return may;
    }
}
