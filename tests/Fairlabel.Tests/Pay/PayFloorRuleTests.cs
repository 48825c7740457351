using Fairlabel.Pay;

namespace Fairlabel.Tests.Pay;

public sealed class PayFloorRuleTests
{
    static readonly PayFloorRow Default = new("*", new Money(8m, "USD"), "default");
    static readonly PayFloorRow Kenya = new("KE", new Money(3m, "USD"), "ke");
    static readonly PayFloorRow Germany = new("DE", new Money(14m, "USD"), "de");
    static Money Usd(decimal amount) => new(amount, "USD");

    [Fact]
    public void The_estimate_is_the_pay_per_task_over_the_estimated_time() =>
        Assert.Equal(Usd(0.06m), PayFloorRule.EstimatedHourly(0.001m, 60, "USD"));

    [Fact]
    public void Without_floors_nothing_is_refused() =>
        Assert.Empty(PayFloorRule.Breaches(Usd(0.06m), null, []));

    [Fact]
    public void Without_an_audience_every_country_with_a_floor_and_the_default_count()
    {
        var breaches = PayFloorRule.Breaches(Usd(10m), null, [Default, Kenya, Germany]);
        Assert.Equal("DE", Assert.Single(breaches).Country);
        Assert.Equal(Usd(14m), breaches[0].Floor);
        Assert.Equal(Usd(10m), breaches[0].Estimate);
    }

    [Fact]
    public void The_highest_floor_comes_first()
    {
        var breaches = PayFloorRule.Breaches(Usd(0.06m), null, [Kenya, Default, Germany]);
        Assert.Equal(["DE", "*", "KE"], breaches.Select(b => b.Country));
    }

    [Fact]
    public void A_floor_is_met_when_the_estimate_equals_it() =>
        Assert.Empty(PayFloorRule.Breaches(Usd(14m), null, [Default, Kenya, Germany]));

    [Fact]
    public void An_audience_country_without_its_own_floor_takes_the_default()
    {
        Assert.Empty(PayFloorRule.Breaches(Usd(5m), ["KE"], [Default, Kenya, Germany]));
        Assert.Equal("FR", Assert.Single(PayFloorRule.Breaches(Usd(5m), ["KE", "FR"], [Default, Kenya, Germany])).Country);
        Assert.Empty(PayFloorRule.Breaches(Usd(5m), ["FR"], [Kenya, Germany]));
    }

    [Fact]
    public void A_floor_kept_only_in_another_currency_cannot_be_met()
    {
        var euros = new PayFloorRow("DE", new Money(12m, "EUR"), "de-eur");
        var breach = Assert.Single(PayFloorRule.Breaches(Usd(1000m), ["DE"], [euros]));
        Assert.True(breach.InOtherCurrency);
        Assert.Equal(new Money(12m, "EUR"), breach.Floor);
        // With a floor in the project's currency too, that one is the measure.
        Assert.Empty(PayFloorRule.Breaches(Usd(20m), ["DE"], [euros, Germany]));
    }
}
