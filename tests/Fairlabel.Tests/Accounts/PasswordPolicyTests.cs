using Fairlabel.Accounts;

namespace Fairlabel.Tests.Accounts;

public sealed class PasswordPolicyTests
{
    const string Email = "amina.k@example.org";

    [Theory]
    [InlineData("correct horse battery")]
    [InlineData("fairlabel-demo")]
    [InlineData("twelve chars")]
    [InlineData("ünïcødé wörds ok")]
    public void A_long_uncommon_password_is_accepted(string password) => Assert.Null(PasswordPolicy.Problem(password, Email));

    [Theory]
    [InlineData("eleven char", "at least 12")]
    [InlineData("amina.k@example.org", "email")]
    [InlineData("AMINA.K@EXAMPLE.ORG", "email")]
    [InlineData("amina.k", "at least 12")]
    [InlineData("amina.k@2026!", "guess")]
    [InlineData("qwertyuiop123456", "guess")]        // a listed one with digits after it
    [InlineData("1qaz2wsx3edc", "guess")]           // on the list as it is
    [InlineData("Sunshine2026!", "guess")]           // a listed password with digits and symbols around it
    [InlineData("password123456", "guess")]
    [InlineData("fairlabel2026", "guess")]           // the name of the service
    [InlineData("aaaaaaaaaaaaaaa", "repeated")]
    [InlineData("abcabcabcabc", "repeated")]
    public void A_short_personal_common_or_repetitive_password_is_refused(string password, string reason) =>
        Assert.Contains(reason, PasswordPolicy.Problem(password, Email));

    [Fact]
    public void Length_is_counted_in_code_points_between_12_and_256()
    {
        Assert.Null(PasswordPolicy.Problem("the quick brown fox " + new string('z', 236), Email));       // 256
        Assert.Contains("at most 256", PasswordPolicy.Problem("the quick brown fox " + new string('z', 237), Email));
        // Eleven emoji are 22 UTF-16 units but 11 characters.
        Assert.Contains("at least 12", PasswordPolicy.Problem(string.Concat(Enumerable.Repeat("🦊", 11)), Email));
        Assert.Null(PasswordPolicy.Problem(string.Concat(Enumerable.Range(0, 12).Select(i => char.ConvertFromUtf32(0x1F400 + i))), Email));
    }
}

public sealed class LoginThrottleRuleTests
{
    static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    [Fact]
    public void The_wait_is_none_while_failures_are_free_then_doubles_from_a_second_up_to_the_longest()
    {
        var waits = Enumerable.Range(0, 20).Select(n => LoginThrottle.WaitAfter(n, free: 5, longest: Hour).TotalSeconds).ToArray();
        Assert.Equal([0, 0, 0, 0, 0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 3600, 3600, 3600], waits);
        Assert.Equal(Hour, LoginThrottle.WaitAfter(100_000, free: 5, longest: Hour));
    }

    [Fact]
    public void What_remains_of_a_wait_counts_from_the_last_failure_and_a_count_is_forgotten_after_a_day()
    {
        var last = DateTimeOffset.UnixEpoch;
        TimeSpan Remaining(int failures, TimeSpan later) =>
            LoginThrottle.Remaining(failures, last, last + later, free: 5, longest: Hour, forgetAfter: TimeSpan.FromHours(24));
        Assert.Equal(TimeSpan.Zero, Remaining(4, TimeSpan.Zero));
        Assert.Equal(TimeSpan.FromSeconds(8), Remaining(8, TimeSpan.Zero));
        Assert.Equal(TimeSpan.FromSeconds(3), Remaining(8, TimeSpan.FromSeconds(5)));
        Assert.Equal(TimeSpan.Zero, Remaining(8, TimeSpan.FromSeconds(8)));
        Assert.Equal(TimeSpan.FromMinutes(30), Remaining(40, TimeSpan.FromMinutes(30)));
        Assert.Equal(TimeSpan.Zero, Remaining(40, TimeSpan.FromHours(24)));
    }
}
