namespace Fairlabel.Pay;

/// The closed list of reasons an answer may be rejected for (Prolific's valid reasons).
public static class RejectionReasons
{
    /// Completed more than 3 standard deviations faster than the project's mean active time:
    /// computed from the project's own figures, never just asserted by the reviewer.
    public const string TooFast = "too_fast";
    public const string SkippedRequired = "skipped_required";
    public const string FailedAttentionCheck = "failed_attention_check";
    public const string LowEffort = "low_effort";
    public static readonly string[] All = [TooFast, SkippedRequired, FailedAttentionCheck, LowEffort];
}

public static class ReviewRules
{
    public const int DefaultReviewDays = 7;
    public const int MaxReviewDays = 21;

    /// When an answer not yet reviewed is approved without a reviewer.
    public static DateTimeOffset AutoApprovalAt(DateTimeOffset submittedAt, int reviewDays) =>
        submittedAt.AddDays(Math.Clamp(reviewDays, 1, MaxReviewDays));

    /// Whether <paramref name="activeSeconds"/> is more than 3 standard deviations below the mean of
    /// the project's active times. Fewer than 10 measured answers prove nothing: never too fast.
    public static bool IsTooFast(double? activeSeconds, IReadOnlyList<double> projectActiveSeconds)
    {
        if (activeSeconds is not { } seconds || projectActiveSeconds.Count < 10) return false;
        var mean = projectActiveSeconds.Average();
        var sd = Math.Sqrt(projectActiveSeconds.Sum(s => (s - mean) * (s - mean)) / (projectActiveSeconds.Count - 1));
        return seconds < mean - 3 * sd;
    }

    /// Fees due on approved pay: the platform's share, rounded to the currency's minor unit.
    public static Money FeeOn(Money pay, PayOptions options) => (pay * options.FeeRate).RoundedToMinorUnit();
}
