using Microsoft.Extensions.Logging;

namespace Transmission.Station.Sending;

/// <summary>Log events of <see cref="StationSender"/> (stable ids; hashes and codes only, never protocol contents or keys).</summary>
internal static partial class SendLog
{
    [LoggerMessage(EventId = 2001, EventName = "SubmitCallStarting", Level = LogLevel.Information,
        Message = "Submit call to {Central} with {Count} protocol(s)")]
    public static partial void CallStarting(ILogger logger, Uri central, int count);

    [LoggerMessage(EventId = 2002, EventName = "Receipted", Level = LogLevel.Information,
        Message = "Revision {Revision} receipted: envelope sha256 {EnvelopeSha256}, log index {LogIndex}")]
    public static partial void Receipted(ILogger logger, long revision, string envelopeSha256, ulong logIndex);

    [LoggerMessage(EventId = 2003, EventName = "Refused", Level = LogLevel.Warning,
        Message = "Revision {Revision} (envelope sha256 {EnvelopeSha256}) refused: {Code}: {Detail}; stopped until re-queued")]
    public static partial void Refused(ILogger logger, long revision, string envelopeSha256, string code, string detail);

    [LoggerMessage(EventId = 2004, EventName = "ReceiptInvalid", Level = LogLevel.Error,
        Message = "SECURITY: the receipt for revision {Revision} (envelope sha256 {EnvelopeSha256}) did not verify: {Code}: {Detail}; not recorded")]
    public static partial void ReceiptInvalid(ILogger logger, long revision, string envelopeSha256, string code, string detail);

    [LoggerMessage(EventId = 2005, EventName = "CallFailed", Level = LogLevel.Warning,
        Message = "Submit call failed: {Status} {Detail}; {Unresolved} protocol(s) without an answer, next attempt in {Delay}")]
    public static partial void CallFailed(ILogger logger, string status, string detail, int unresolved, TimeSpan? delay);

    [LoggerMessage(EventId = 2006, EventName = "UnknownCorrelation", Level = LogLevel.Warning,
        Message = "Central answered for correlation id {CorrelationId}, which this call did not send; ignored")]
    public static partial void UnknownCorrelation(ILogger logger, string correlationId);

    [LoggerMessage(EventId = 2007, EventName = "ReceiptNotStored", Level = LogLevel.Error,
        Message = "The verified receipt for revision {Revision} was not stored: {Code}: {Detail}")]
    public static partial void ReceiptNotStored(ILogger logger, long revision, string code, string detail);

    [LoggerMessage(EventId = 2008, EventName = "SendFinished", Level = LogLevel.Information,
        Message = "Send finished: {Outcome}; {Receipted} receipted, {Stopped} stopped, {Pending} pending")]
    public static partial void Finished(ILogger logger, SendOutcome outcome, int receipted, int stopped, int pending);
}
