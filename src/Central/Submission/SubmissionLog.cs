using Microsoft.Extensions.Logging;

namespace Transmission.Central.Submission;

/// <summary>Ingestion log lines (structured; hashes and codes only, never payload bytes).</summary>
internal static partial class SubmissionLog
{
    // Debug, not Information: one line per accepted protocol was 8 % of Central's CPU on open station streams in the
    // election-night benchmark (docs/performance.md), and 500,000 of them on a night bury the lines an operator must
    // see. Every accepted protocol is recorded in the database and the transparency log; refusals stay at Warning.
    [LoggerMessage(EventId = 5000, EventName = "SubmissionAccepted", Level = LogLevel.Debug,
        Message = "Accepted {Station} revision {Revision} (envelope {EnvelopeSha256}, log index {LogIndex}, flags '{Flags}', correlation {CorrelationId})")]
    public static partial void Accepted(ILogger logger, string station, int revision, string envelopeSha256, long logIndex, string flags, string correlationId);

    [LoggerMessage(EventId = 5001, EventName = "SubmissionDuplicate", Level = LogLevel.Information,
        Message = "Duplicate of {Station} revision {Revision} (envelope {EnvelopeSha256}, log index {LogIndex}, correlation {CorrelationId}): the stored receipt is sent again")]
    public static partial void Duplicate(ILogger logger, string station, int revision, string envelopeSha256, long logIndex, string correlationId);

    [LoggerMessage(EventId = 5002, EventName = "SubmissionRefused", Level = LogLevel.Warning,
        Message = "Refused a protocol from {CallerUri} ({Peer}): {Code} ({Status}) {Detail} (envelope {EnvelopeSha256}, correlation {CorrelationId})")]
    public static partial void Refused(ILogger logger, string callerUri, string peer, string code, string status, string detail, string envelopeSha256, string correlationId);

    [LoggerMessage(EventId = 5003, EventName = "SubmitStreamInvalid", Level = LogLevel.Warning,
        Message = "Ended a Submit stream from {CallerUri} ({Peer}): {Detail}")]
    public static partial void StreamInvalid(ILogger logger, string callerUri, string peer, string detail);

    [LoggerMessage(EventId = 5004, EventName = "SubmitStorageUnavailable", Level = LogLevel.Warning,
        Message = "Storage unavailable for {Station} (envelope {EnvelopeSha256}, correlation {CorrelationId}): {Reason}; the call ends UNAVAILABLE")]
    public static partial void StorageUnavailable(ILogger logger, string station, string envelopeSha256, string correlationId, string reason);
}
