namespace Fairlabel.Pay;

/// `Pay` settings.
public sealed class PayOptions
{
    /// The platform's fee, a share of the pay for the work, set aside in escrow with it.
    public decimal FeeRate { get; set; } = 0.10m;
    /// Set aside in escrow beyond the pay and fees, for top-ups owed when work runs longer than estimated.
    public decimal TopUpReserveRate { get; set; } = 0.10m;
    /// How often answers past their project's review days are looked for and approved.
    public TimeSpan AutoApprovalInterval { get; set; } = TimeSpan.FromMinutes(1);
}
