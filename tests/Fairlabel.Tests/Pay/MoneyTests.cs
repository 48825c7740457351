using Fairlabel.Pay;

namespace Fairlabel.Tests.Pay;

public sealed class MoneyTests
{
    [Theory]
    [InlineData("USD", true)]
    [InlineData("EUR", true)]
    [InlineData("JPY", true)]
    [InlineData("XYZ", false)]
    [InlineData("usd", false)]
    [InlineData("XXX", false)]
    [InlineData("XAU", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Only_circulating_ISO_4217_codes_are_currencies(string? code, bool known) =>
        Assert.Equal(known, Currencies.IsKnown(code));

    [Fact]
    public void Amounts_in_one_currency_add_and_compare()
    {
        var a = new Money(1.25m, "USD");
        var b = new Money(0.75m, "USD");
        Assert.Equal(new Money(2.00m, "USD"), a + b);
        Assert.Equal(new Money(0.50m, "USD"), a - b);
        Assert.Equal(new Money(3.75m, "USD"), a * 3);
        Assert.True(b < a);
        Assert.True(a >= new Money(1.25m, "USD"));
        Assert.Equal(Money.Zero("USD"), a + -a);
    }

    [Fact]
    public void Amounts_in_two_currencies_never_combine()
    {
        var dollars = new Money(1m, "USD");
        var euros = new Money(1m, "EUR");
        Assert.Throws<CurrencyMismatchException>(() => dollars + euros);
        Assert.Throws<CurrencyMismatchException>(() => dollars - euros);
        // Comparing is arithmetic too: a smaller number of euros is not less money than dollars.
        Assert.Throws<CurrencyMismatchException>(() => dollars < euros);
        Assert.Throws<CurrencyMismatchException>(() => new Money(5m, "USD") > euros);
    }

    [Fact]
    public void An_unknown_currency_makes_no_money() =>
        Assert.Throws<ArgumentException>(() => new Money(1m, "XYZ"));

    [Theory]
    [InlineData(0.125, "USD", 0.13, 0.13)]
    [InlineData(0.121, "USD", 0.12, 0.13)]
    [InlineData(12.4, "JPY", 12, 13)]
    [InlineData(0.0004, "KWD", 0.000, 0.001)]
    public void Rounding_follows_the_currencys_minor_unit(decimal amount, string currency, decimal rounded, decimal up)
    {
        Assert.Equal(rounded, new Money(amount, currency).RoundedToMinorUnit().Amount);
        Assert.Equal(up, new Money(amount, currency).RoundedUpToMinorUnit().Amount);
    }
}
