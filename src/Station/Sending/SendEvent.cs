using System.Globalization;
using Transmission.Cli.Localization;
using Transmission.Station.Localization;
using Transmission.Station.Outbox;

namespace Transmission.Station.Sending;

/// <summary>What happened to one protocol during <see cref="StationSender.SendAsync"/>.</summary>
internal enum SendEventKind
{
    /// <summary>The protocol is being written to Central.</summary>
    Sending,

    /// <summary>Central's receipt verified and is stored.</summary>
    Receipted,

    /// <summary>Central refused it (or it cannot be sent as it is); it is not sent again until re-queued.</summary>
    Refused,

    /// <summary>Central's answer did not verify (a security problem); nothing was recorded and it will be sent again.</summary>
    ReceiptInvalid,

    /// <summary>The call failed in a way that may pass; it is sent again after the delay.</summary>
    Retrying,
}

/// <summary>One progress event of <see cref="StationSender"/>, with the line the chair sees.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="Revision">The protocol revision.</param>
/// <param name="EnvelopeSha256">Lowercase hex SHA-256 of the envelope.</param>
/// <param name="Code">The refusal or failure code (e.g. <c>SIGNATURE_INVALID</c>, <c>UNAVAILABLE</c>), if any.</param>
/// <param name="Message">Plain words from Central or about the failure; empty when there is nothing to add.</param>
/// <param name="LogIndex">The transparency-log index of a receipt.</param>
/// <param name="Delay">How long until the next attempt, for <see cref="SendEventKind.Retrying"/> and <see cref="SendEventKind.ReceiptInvalid"/>.</param>
internal sealed record SendEvent(SendEventKind Kind, long Revision, string EnvelopeSha256, string? Code, string Message, ulong? LogIndex, TimeSpan? Delay)
{
    /// <summary>
    /// One line for the chair in the current UI language, e.g. <c>revision 1 (envelope 3f2a9c81d0e4): receipted, log
    /// index 17</c>. Codes and Central's own words (<see cref="Message"/>) are shown as they came.
    /// </summary>
    public string ToLine()
    {
        var prefix = Localized.Format(StationText.EventPrefix, Revision, EnvelopeSha256[..Math.Min(12, EnvelopeSha256.Length)]);
        return prefix + Kind switch
        {
            SendEventKind.Sending => Message.Length > 0 ? Localized.Format(StationText.EventSendingNote, Message) : StationText.EventSending,
            SendEventKind.Receipted => Localized.Format(StationText.EventReceipted, LogIndex),
            SendEventKind.Refused => Localized.Format(StationText.EventRefused, Code, Message),
            SendEventKind.ReceiptInvalid => Localized.Format(StationText.EventReceiptInvalid, Code, Message, Seconds(Delay)),
            SendEventKind.Retrying => Localized.Format(StationText.EventRetrying, Seconds(Delay), Code, Message),
            _ => Kind.ToString(),
        };
    }

    private static string Seconds(TimeSpan? delay) =>
        Math.Ceiling((delay ?? TimeSpan.Zero).TotalSeconds).ToString(CultureInfo.CurrentCulture);
}

/// <summary>How a <see cref="StationSender.SendAsync"/> run ended.</summary>
internal enum SendOutcome
{
    /// <summary>Every signed protocol of the outbox has a verified receipt (or there was nothing to send).</summary>
    AllReceipted,

    /// <summary>Something was refused (or a receipt did not verify): the chair must act.</summary>
    Refused,

    /// <summary>Central could not be reached (or did not answer) before the maximum wait; the rest stays queued.</summary>
    Unreachable,
}

/// <summary>The end of a send run: the outcome and the outbox as it now is.</summary>
/// <param name="Outcome">How it ended.</param>
/// <param name="Items">Every item of the outbox after the run.</param>
internal sealed record SendResult(SendOutcome Outcome, IReadOnlyList<OutboxEntry> Items)
{
    /// <summary>Items with a verified receipt.</summary>
    public int Receipted => Items.Count(i => i.State == OutboxState.Receipted);

    /// <summary>Items stopped on a refusal until the chair re-queues them.</summary>
    public int Stopped => Items.Count(i => i.IsStopped);

    /// <summary>Items still waiting to be sent.</summary>
    public int Pending => Items.Count(i => i.State is OutboxState.Signed or OutboxState.Queued or OutboxState.Sent && !i.IsStopped);
}
