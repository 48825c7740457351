namespace Fairlabel.Infrastructure;

/// The log events of what every feature shares (background duties, request failures), source-generated.
static partial class InfrastructureLog
{
    [LoggerMessage(900, LogLevel.Warning, "Lost the connection that held the duty lock; another node may take over")]
    public static partial void DutyLockLost(this ILogger log);

    [LoggerMessage(901, LogLevel.Information, "This node now runs the background duties")]
    public static partial void LeadingDuties(this ILogger log);

    [LoggerMessage(902, LogLevel.Debug, "Could not reach the database to take the duty lock")]
    public static partial void DutyLockUnreachable(this ILogger log, Exception e);

    [LoggerMessage(903, LogLevel.Error, "Request failed with {Status}")]
    public static partial void RequestFailed(this ILogger log, Exception e, int status);
}
