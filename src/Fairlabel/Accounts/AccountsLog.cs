namespace Fairlabel.Accounts;

/// Accounts' log events, source-generated.
static partial class AccountsLog
{
    [LoggerMessage(300, LogLevel.Warning, "Session keys are stored unencrypted in the database: whoever can read it can sign in as anyone. " +
                                          "Set {Setting} to a certificate every node holds")]
    public static partial void SessionKeysUnencrypted(this ILogger log, string setting);
}
