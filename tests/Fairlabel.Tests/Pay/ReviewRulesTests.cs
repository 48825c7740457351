using Fairlabel.Pay;

namespace Fairlabel.Tests.Pay;

public sealed class ReviewRulesTests
{
    static readonly double[] Project = [30, 32, 28, 31, 29, 30, 33, 27, 30, 31, 29, 30];

    [Fact]
    public void Too_fast_is_more_than_three_standard_deviations_under_the_projects_mean()
    {
        Assert.True(ReviewRules.IsTooFast(5, [.. Project, 5]));
        Assert.False(ReviewRules.IsTooFast(26, [.. Project, 26]));
        Assert.False(ReviewRules.IsTooFast(null, Project));
    }

    [Fact]
    public void Fewer_than_ten_measured_answers_never_make_an_answer_too_fast() =>
        Assert.False(ReviewRules.IsTooFast(1, [30, 30, 30, 30, 30, 30, 30, 30, 1]));

    [Fact]
    public void Unreviewed_work_is_approved_after_the_review_days_never_more_than_21()
    {
        var submitted = new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
        Assert.Equal(submitted.AddDays(7), ReviewRules.AutoApprovalAt(submitted, ReviewRules.DefaultReviewDays));
        Assert.Equal(submitted.AddDays(21), ReviewRules.AutoApprovalAt(submitted, 60));
    }

    [Fact]
    public void The_fee_on_approved_pay_is_rounded_to_the_currencys_minor_unit() =>
        Assert.Equal(new Money(0.03m, "USD"), ReviewRules.FeeOn(new Money(0.25m, "USD"), new PayOptions()));
}
