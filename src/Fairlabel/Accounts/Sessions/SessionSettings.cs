namespace Fairlabel.Accounts.Sessions;

/// `Sessions:*` settings. The defaults are NIST SP 800-63B's for AAL2 (4.2.3), which OWASP ASVS
/// 3.3.2 repeats for level 2: sign in again after 12 hours whatever happens, and after 30 minutes
/// without a request.
public sealed class SessionSettings
{
    public const string Section = "Sessions";

    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(30);
    public TimeSpan AbsoluteLifetime { get; set; } = TimeSpan.FromHours(12);
    /// How long a node trusts what it last read of a session: an ending made on another node takes
    /// effect here within this time (on the node that made it, at once).
    public TimeSpan RecheckInterval { get; set; } = TimeSpan.FromSeconds(5);
    /// How often a session's last-seen time is written while it is in use.
    public TimeSpan LastSeenPrecision { get; set; } = TimeSpan.FromMinutes(1);
}
