using Fairlabel.Audiences;
using Fairlabel.Infrastructure;

namespace Fairlabel.Tests.Audiences;

/// Who may get what, as a pure function: profile × audience × the project's pools of items.
public sealed class WhoGetsWhatTests
{
    static TaskerFacts Tasker(string? country = "KE", string[]? languages = null, string[]? expertise = null, string[]? optIns = null) =>
        new(1, country, languages ?? ["en"], expertise ?? [], optIns ?? []);

    static Audience Allow(params string[] countries) => Audience.Everyone with { CountryMode = CountryModes.Allow, Countries = countries };
    static Audience Deny(params string[] countries) => Audience.Everyone with { CountryMode = CountryModes.Deny, Countries = countries };

    [Fact]
    public void Everyone_may_work_on_a_project_without_an_audience()
    {
        Assert.Null(WhoGetsWhat.Refuses(Tasker(country: null, languages: []), Audience.Everyone));
    }

    [Theory]
    [InlineData("KE", true)]
    [InlineData("UG", true)]
    [InlineData("BR", false)]
    [InlineData(null, false)]
    public void An_allow_list_admits_only_its_countries(string? country, bool admitted)
    {
        var refusal = WhoGetsWhat.Refuses(Tasker(country), Allow("KE", "UG"));
        Assert.Equal(admitted, refusal is null);
        if (!admitted) Assert.Equal("country", refusal!.Rule);
    }

    [Theory]
    [InlineData("KE", false)]
    [InlineData("BR", true)]
    [InlineData(null, false)]   // a deny list cannot be checked without a country
    public void A_deny_list_refuses_its_countries_and_an_unknown_one(string? country, bool admitted)
    {
        var refusal = WhoGetsWhat.Refuses(Tasker(country), Deny("KE"));
        Assert.Equal(admitted, refusal is null);
        if (refusal is not null) Assert.Equal("country", refusal.Rule);
    }

    [Theory]
    [InlineData(new[] { "pt-BR" }, "pt", true)]     // a more specific tag speaks the language
    [InlineData(new[] { "pt" }, "pt-BR", false)]    // and not the other way round
    [InlineData(new[] { "en", "sw" }, "sw", true)]
    [InlineData(new[] { "en" }, "sw", false)]
    [InlineData(new[] { "PT-br" }, "pt-BR", true)]
    public void A_language_rule_needs_one_of_its_languages(string[] spoken, string wanted, bool admitted)
    {
        var refusal = WhoGetsWhat.Refuses(Tasker(languages: spoken), Audience.Everyone with { Languages = [wanted] });
        Assert.Equal(admitted, refusal is null);
        if (refusal is not null)
        {
            Assert.Equal("language", refusal.Rule);
            Assert.Contains(wanted, refusal.Detail);
        }
    }

    [Fact]
    public void An_expertise_rule_needs_one_of_its_domains_and_the_first_failing_rule_is_named()
    {
        var audience = Allow("KE") with { Expertise = ["medicine", "nursing"] };
        Assert.Null(WhoGetsWhat.Refuses(Tasker(expertise: ["nursing"]), audience));
        Assert.Equal("expertise", WhoGetsWhat.Refuses(Tasker(expertise: ["law"]), audience)!.Rule);
        Assert.Equal("country", WhoGetsWhat.Refuses(Tasker("BR", expertise: ["law"]), audience)!.Rule);
    }

    [Fact]
    public void Items_with_the_same_categories_share_a_pool_whatever_their_order()
    {
        Assert.Equal("gore;violence", WhoGetsWhat.PoolKeyOf("violence;gore"));
        Assert.Equal(WhoGetsWhat.PoolKeyOf("gore;violence"), WhoGetsWhat.PoolKeyOf("violence;gore;gore"));
        Assert.Equal("", WhoGetsWhat.PoolKeyOf(""));
    }

    [Fact]
    public void A_tasker_draws_only_from_pools_whose_every_category_they_opted_in_to()
    {
        string[] pools = ["", "violence", "gore;violence", "self_harm"];
        static int None(string _) => 0;
        Assert.Equal([true, false, false, false], WhoGetsWhat.Pools(Tasker(), pools, None, 10));
        Assert.Equal([true, true, false, false], WhoGetsWhat.Pools(Tasker(optIns: ["violence"]), pools, None, 10));
        Assert.Equal([true, true, true, false], WhoGetsWhat.Pools(Tasker(optIns: ["gore", "violence"]), pools, None, 10));
    }

    [Fact]
    public void The_daily_cap_closes_every_pool_with_a_category_handed_out_that_often_today()
    {
        string[] pools = ["", "violence", "gore;violence", "gore"];
        var tasker = Tasker(optIns: ["gore", "violence"]);
        int Handed(string c) => c == "violence" ? 3 : 1;
        Assert.Equal([true, false, false, true], WhoGetsWhat.Pools(tasker, pools, Handed, cap: 3));
        Assert.Equal([true, true, true, true], WhoGetsWhat.Pools(tasker, pools, Handed, cap: 4));
        Assert.Equal([true, false, false, false], WhoGetsWhat.Pools(tasker, pools, Handed, cap: 0));
    }

    [Fact]
    public void A_project_may_lower_the_operators_cap_but_not_raise_it()
    {
        Assert.Equal(50, WhoGetsWhat.DailyCap(50, Audience.Everyone));
        Assert.Equal(5, WhoGetsWhat.DailyCap(50, Audience.Everyone with { DailyExposureCap = 5 }));
        Assert.Equal(50, WhoGetsWhat.DailyCap(50, Audience.Everyone with { DailyExposureCap = 500 }));
    }
}

public sealed class ProfileRulesTests
{
    [Theory]
    [InlineData("ke", "KE")]
    [InlineData("BR", "BR")]
    [InlineData("ZZ", null)]   // user-assigned, not a country
    [InlineData("XK", null)]
    [InlineData("UK", null)]   // reserved, not assigned: GB is the code
    [InlineData("KEN", null)]
    public void Countries_are_assigned_ISO_3166_codes(string code, string? expected)
    {
        Assert.Equal(expected, Countries.Normalise(code));
        Assert.Equal(249, Countries.All.Count);
    }

    [Theory]
    [InlineData("en", "en")]
    [InlineData("PT-br", "pt-BR")]
    [InlineData("zh-hant-tw", "zh-Hant-TW")]
    [InlineData("sr-Latn", "sr-Latn")]
    [InlineData("es-419", "es-419")]
    [InlineData("de-CH-1996", "de-CH-1996")]
    [InlineData("en-US-x-twain", "en-US-x-twain")]
    [InlineData("abcdefghi", null)]    // a language subtag is at most 8 letters
    [InlineData("e", null)]
    [InlineData("en_US", null)]
    [InlineData("en--US", null)]
    [InlineData("en-US-", null)]
    [InlineData("<script>", null)]
    public void Language_tags_follow_BCP_47_and_are_written_in_its_case(string tag, string? expected)
    {
        Assert.Equal(expected, LanguageTags.Normalise(tag));
    }

    [Fact]
    public void Expertise_entries_are_a_domain_or_a_domain_with_evidence_and_bad_ones_name_their_field()
    {
        var errors = new FieldErrors();
        var claims = ProfileRules.Expertise(System.Text.Json.JsonDocument.Parse(
            """["Medicine", {"domain": "law", "evidence": " Bar exam 2019 "}, {"domain": "no spaces"}, 3]""").RootElement, "expertise", errors);
        Assert.Equal([new ExpertiseClaim("medicine", null), new ExpertiseClaim("law", "Bar exam 2019")], claims);
        Assert.Equal(["expertise[2].domain", "expertise[3]"], errors.All.Select(e => e.Path).ToArray());
    }
}
