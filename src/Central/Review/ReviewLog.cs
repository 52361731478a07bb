using Microsoft.Extensions.Logging;

namespace Transmission.Central.Review;

/// <summary>Review log messages with stable event ids (4000–4099). Never payload bytes or reasons' full text at Information.</summary>
internal static partial class ReviewLog
{
    [LoggerMessage(EventId = 4000, Level = LogLevel.Warning, Message = "The review board could not read the log; it tries again at the next change or poll")]
    public static partial void FollowFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "Log entry {Index} is not shown on the review board: {Why}")]
    public static partial void EntrySkipped(ILogger logger, long index, string why);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Error, Message = "Log entry {Index} (station {StationCode} revision {Revision}): the stored envelope no longer decodes; it is not counted")]
    public static partial void EntryUnreadable(ILogger logger, long index, string stationCode, int revision);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Error, Message = "Log entry {Index} (station {StationCode} revision {Revision}) would overflow the totals; it is not counted")]
    public static partial void TotalsOverflow(ILogger logger, long index, string stationCode, int revision, Exception exception);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Information, Message = "Decision on station {StationCode} revision {Revision}: {State} by {VerifierUri}, log index {LogIndex}")]
    public static partial void Decided(ILogger logger, string stationCode, int revision, string state, string verifierUri, long logIndex);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Information, Message = "Decision on station {StationCode} revision {Revision} refused: {Refusal} ({VerifierUri})")]
    public static partial void DecisionRefused(ILogger logger, string stationCode, int revision, string refusal, string verifierUri);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Information, Message = "Review board caught up with the log: {Entries} entries applied in {ElapsedMs:F0} ms")]
    public static partial void CaughtUp(ILogger logger, long entries, double elapsedMs);
}
