namespace Fairlabel.Pay;

/// An amount in one currency. Sums and differences of two amounts exist only in the same currency:
/// adding dollars to euros throws, since no exchange rate is part of this system.
public readonly record struct Money
{
    public Money(decimal amount, string currency)
    {
        if (!Currencies.IsKnown(currency)) throw new ArgumentException($"{currency} is not an ISO 4217 currency", nameof(currency));
        Amount = amount;
        Currency = currency;
    }

    public decimal Amount { get; }
    public string Currency { get; }

    public static Money Zero(string currency) => new(0, currency);

    public static Money operator +(Money a, Money b) => new(a.Amount + b.Amount, SameCurrency(a, b));
    public static Money operator -(Money a, Money b) => new(a.Amount - b.Amount, SameCurrency(a, b));
    public static Money operator -(Money a) => new(-a.Amount, a.Currency);
    public static Money operator *(Money a, decimal factor) => new(a.Amount * factor, a.Currency);
    public static Money operator *(decimal factor, Money a) => a * factor;
    public static bool operator <(Money a, Money b) => SameCurrency(a, b) is not null && a.Amount < b.Amount;
    public static bool operator >(Money a, Money b) => SameCurrency(a, b) is not null && a.Amount > b.Amount;
    public static bool operator <=(Money a, Money b) => SameCurrency(a, b) is not null && a.Amount <= b.Amount;
    public static bool operator >=(Money a, Money b) => SameCurrency(a, b) is not null && a.Amount >= b.Amount;

    /// Rounded to the currency's smallest unit, halves away from zero (as a cashier would).
    public Money RoundedToMinorUnit() =>
        new(Math.Round(Amount, Currencies.MinorUnits(Currency), MidpointRounding.AwayFromZero), Currency);

    /// Rounded up to the currency's smallest unit: what must be set aside so that nothing owed falls short.
    public Money RoundedUpToMinorUnit()
    {
        var scale = (decimal)Math.Pow(10, Currencies.MinorUnits(Currency));
        return new(Math.Ceiling(Amount * scale) / scale, Currency);
    }

    public override string ToString() => $"{Amount.ToString("0.00####", System.Globalization.CultureInfo.InvariantCulture)} {Currency}";

    static string SameCurrency(Money a, Money b) =>
        a.Currency == b.Currency ? a.Currency : throw new CurrencyMismatchException(a.Currency, b.Currency);
}

public sealed class CurrencyMismatchException(string left, string right)
    : InvalidOperationException($"Amounts in {left} and {right} cannot be combined: there is no exchange rate in this system.");
