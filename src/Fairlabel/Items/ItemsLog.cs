namespace Fairlabel.Items;

/// Imports' log events, source-generated.
static partial class ItemsLog
{
    [LoggerMessage(200, LogLevel.Error, "Import {ImportId} failed")]
    public static partial void ImportFailed(this ILogger log, Exception e, long importId);

    [LoggerMessage(201, LogLevel.Warning, "Import {ImportId} was silent for {Seconds} s: failed, its rows removed")]
    public static partial void SilentImportFailed(this ILogger log, long importId, double seconds);

    [LoggerMessage(202, LogLevel.Warning, "Import watch failed; trying again at the next tick")]
    public static partial void ImportWatchFailed(this ILogger log, Exception e);
}
