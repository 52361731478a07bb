using System.Diagnostics.CodeAnalysis;

namespace Transmission.Station.Outbox;

/// <summary>The outcome of an outbox operation: the item as it now is, or a failure with a reason code.</summary>
// Invariant: exactly one of Entry and Failure is set.
internal sealed class OutboxResult
{
    private OutboxResult(OutboxEntry? entry, bool unchanged, OutboxFailure? failure, string detail, string text)
    {
        Entry = entry;
        Unchanged = unchanged;
        Failure = failure;
        Detail = detail;
        Text = text;
    }

    /// <summary>The item after the operation, when <see cref="IsSuccess"/>.</summary>
    public OutboxEntry? Entry { get; }

    /// <summary>
    /// On success: the same thing was already recorded (e.g. the same envelope signed again), so nothing was written.
    /// </summary>
    public bool Unchanged { get; }

    /// <summary>The failure, when not <see cref="IsSuccess"/>.</summary>
    public OutboxFailure? Failure { get; }

    /// <summary>A one-line explanation in English, for the logs (empty on success).</summary>
    public string Detail { get; }

    /// <summary>The same explanation for the chair, in the current UI language (empty on success).</summary>
    public string Text { get; }

    /// <summary>Whether the operation succeeded (or had already been done).</summary>
    [MemberNotNullWhen(true, nameof(Entry))]
    public bool IsSuccess => Entry is not null;

    /// <summary>The reason code of the failure (e.g. <c>ALREADY_SIGNED</c>), or <see langword="null"/> on success.</summary>
    public string? ReasonCode => Failure?.ToReasonCode();

    /// <summary>A successful result.</summary>
    public static OutboxResult Success(OutboxEntry entry, bool unchanged = false)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return new OutboxResult(entry, unchanged, null, string.Empty, string.Empty);
    }

    /// <summary>A refused operation: <paramref name="detail"/> in English for the logs, <paramref name="text"/> for the chair.</summary>
    public static OutboxResult Fail(OutboxFailure failure, string detail, string text) => new(null, false, failure, detail, text);

    /// <inheritdoc/>
    public override string ToString() => IsSuccess ? $"OK {Entry}" : $"{ReasonCode}: {Detail}";
}
