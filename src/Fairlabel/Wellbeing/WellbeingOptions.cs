namespace Fairlabel.Wellbeing;

/// Settings of the "Wellbeing" section.
public sealed class WellbeingOptions
{
    /// After this many flagged items in a row the task page suggests a break (0: never).
    public int BreakAfterFlaggedItems { get; set; } = 10;
    /// How long the suggested break lasts; a pause this long also ends the stretch.
    public int BreakMinutes { get; set; } = 5;
    /// How often a node looks for quarantines made on other nodes (PostgreSQL only).
    public TimeSpan QuarantineWatchInterval { get; set; } = TimeSpan.FromMilliseconds(500);
}
