namespace Fairlabel.Quality;

/// <summary>How ties enter a ranking.</summary>
public enum TieHandling
{
    /// <summary>A tie counts as half a win for each side (the usual convention, and evalica's default).</summary>
    HalfWin,

    /// <summary>Ties are ignored.</summary>
    Drop,
}

/// <summary>Settings of the Bradley–Terry fit.</summary>
public sealed record BradleyTerryOptions
{
    /// <summary>How ties count.</summary>
    public TieHandling Ties { get; init; } = TieHandling.HalfWin;

    /// <summary>Stop when no normalised score moves by more than this.</summary>
    public double Tolerance { get; init; } = 1e-13;

    /// <summary>Iteration cap; MM converges linearly, so sparse comparison graphs may need many.</summary>
    public int MaxIterations { get; init; } = 100_000;
}

/// <summary>Settings of the Elo rating (defaults as in evalica: start 1000, K 4, scale 400, base 10).</summary>
public sealed record EloOptions
{
    /// <summary>Rating every item starts with.</summary>
    public double Initial { get; init; } = 1000;

    /// <summary>Step size of each update.</summary>
    public double K { get; init; } = 4;

    /// <summary>Rating difference that means odds of <see cref="Base"/> to one.</summary>
    public double Scale { get; init; } = 400;

    /// <summary>Base of the odds.</summary>
    public double Base { get; init; } = 10;

    /// <summary>How ties count.</summary>
    public TieHandling Ties { get; init; } = TieHandling.HalfWin;
}

/// <summary>Percentile bootstrap over comparisons: resample them with replacement and refit.</summary>
public sealed record BootstrapOptions
{
    /// <summary>Number of resamples.</summary>
    public int Samples { get; init; } = 1000;

    /// <summary>Coverage of the interval, e.g. 0.95 for the 2.5th to 97.5th percentiles.</summary>
    public double Level { get; init; } = 0.95;

    /// <summary>Seed of the resampling, so intervals are reproducible.</summary>
    public int Seed { get; init; } = 1;
}
