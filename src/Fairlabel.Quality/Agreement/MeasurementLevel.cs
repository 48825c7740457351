namespace Fairlabel.Quality;

/// <summary>The level of measurement of the answers, which decides how different two values are.</summary>
public enum MeasurementLevel
{
    /// <summary>Categories without order: any two different values differ equally.</summary>
    Nominal,

    /// <summary>Ordered categories (in the labels' canonical order); distance grows with the answers between them.</summary>
    Ordinal,

    /// <summary>Numbers whose differences are meaningful: squared difference.</summary>
    Interval,

    /// <summary>Numbers with a true zero: squared difference relative to the sum.</summary>
    Ratio,
}
