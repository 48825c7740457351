namespace Fairlabel.Work;

/// The work loop's log events, source-generated: no formatting or boxing unless the level is on.
static partial class WorkLog
{
    [LoggerMessage(100, LogLevel.Warning, "The lease of item {Item} to tasker {Tasker} could not be written")]
    public static partial void LeaseNotWritten(this ILogger log, Exception e, long item, int tasker);

    [LoggerMessage(101, LogLevel.Warning, "The database refused the lease of item {Item} to tasker {Tasker} ({Reason}) after it was handed out")]
    public static partial void LeaseRefused(this ILogger log, long item, int tasker, string reason);

    [LoggerMessage(102, LogLevel.Information, "Returned {Count} expired leases to the pool")]
    public static partial void ExpiredLeasesReturned(this ILogger log, int count);

    [LoggerMessage(103, LogLevel.Warning, "Lease expiry sweep failed; trying again at the next tick")]
    public static partial void LeaseSweepFailed(this ILogger log, Exception e);

    [LoggerMessage(104, LogLevel.Warning, "The work loop's database connection failed; retrying with a new one")]
    public static partial void WriterConnectionFailed(this ILogger log, Exception e);

    [LoggerMessage(105, LogLevel.Debug, "Checkpoint skipped")]
    public static partial void CheckpointSkipped(this ILogger log, Exception e);

    [LoggerMessage(106, LogLevel.Debug, "Could not take a block of items ahead of demand")]
    public static partial void BlockAheadNotTaken(this ILogger log, Exception e);

    [LoggerMessage(107, LogLevel.Debug, "Keeping the held blocks failed; trying again at the next tick")]
    public static partial void KeepingBlocksFailed(this ILogger log, Exception e);

    [LoggerMessage(108, LogLevel.Warning, "Lost the connection that held this node's blocks of items; the other nodes may take them")]
    public static partial void BlocksConnectionLost(this ILogger log);
}
