using Microsoft.Extensions.Logging;

namespace Transmission.Central.Storage;

/// <summary>Storage log messages with stable event ids (3000–3099). Never payload or envelope bytes.</summary>
internal static partial class StorageLog
{
    [LoggerMessage(EventId = 3000, Level = LogLevel.Debug, Message = "Committed a batch of {Count} writes ({Appends} submissions and decisions) in {ElapsedMs:F2} ms")]
    public static partial void BatchCommitted(ILogger logger, int count, int appends, double elapsedMs);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "Storage unavailable ({Reason}): a batch of {Count} writes was not committed; its callers are told to retry")]
    public static partial void StorageUnavailable(ILogger logger, string reason, int count, Exception exception);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Error, Message = "Unexpected failure committing a batch of {Count} writes; nothing of it was committed")]
    public static partial void CommitFaulted(ILogger logger, int count, Exception exception);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "Conflicting submission for station {StationCode} revision {Revision}: envelope {EnvelopeSha256} kept as evidence, accepted one is {ExistingSha256}")]
    public static partial void Conflict(ILogger logger, string stationCode, int revision, string envelopeSha256, string existingSha256);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Warning, Message = "Stale submission for station {StationCode}: revision {Revision} is below the accepted revision {HighestRevision}")]
    public static partial void Stale(ILogger logger, string stationCode, int revision, int highestRevision);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Information, Message = "Database {Path} is at the latest migration")]
    public static partial void Migrated(ILogger logger, string path);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Warning, Message = "Added {Count} missing Merkle node(s) of the stored log (a database from before the Merkle store)")]
    public static partial void TreeRepaired(ILogger logger, int count);
}
