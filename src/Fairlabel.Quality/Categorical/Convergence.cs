namespace Fairlabel.Quality;

/// <summary>
/// When the EM-style methods stop (ADR 0103): the log-likelihood (or log-posterior) is
/// monotone under EM, so its relative change is a scale-free measure of progress that costs
/// nothing extra to compute in the E-step.
/// </summary>
internal static class Convergence
{
    /// <summary>Upper bound on EM iterations; real data sets converge well before it.</summary>
    public const int MaxIterations = 100;

    /// <summary>Stop once an iteration improves the objective by less than this fraction.</summary>
    public const double RelativeTolerance = 1e-7;

    public static bool Reached(double previous, double current) =>
        Math.Abs(current - previous) <= RelativeTolerance * Math.Max(1.0, Math.Abs(current));
}
