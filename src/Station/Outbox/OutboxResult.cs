using System.Diagnostics.CodeAnalysis;

namespace Transmission.Station.Outbox;

/// <summary>The outcome of an outbox operation: the item as it now is, or a failure with a reason code.</summary>
// Invariant: exactly one of Entry and Failure is set.
internal sealed class OutboxResult
{
    private OutboxResult(OutboxEntry? entry, bool unchanged, OutboxFailure? failure, string detail)
    {
        Entry = entry;
        Unchanged = unchanged;
        Failure = failure;
        Detail = detail;
    }

    /// <summary>The item after the operation, when <see cref="IsSuccess"/>.</summary>
    public OutboxEntry? Entry { get; }

    /// <summary>
    /// On success: the same thing was already recorded (e.g. the same envelope signed again), so nothing was written.
    /// </summary>
    public bool Unchanged { get; }

    /// <summary>The failure, when not <see cref="IsSuccess"/>.</summary>
    public OutboxFailure? Failure { get; }

    /// <summary>A one-line explanation for the chair (empty on success).</summary>
    public string Detail { get; }

    /// <summary>Whether the operation succeeded (or had already been done).</summary>
    [MemberNotNullWhen(true, nameof(Entry))]
    public bool IsSuccess => Entry is not null;

    /// <summary>The reason code of the failure (e.g. <c>ALREADY_SIGNED</c>), or <see langword="null"/> on success.</summary>
    public string? ReasonCode => Failure?.ToReasonCode();

    /// <summary>A successful result.</summary>
    public static OutboxResult Success(OutboxEntry entry, bool unchanged = false)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return new OutboxResult(entry, unchanged, null, string.Empty);
    }

    /// <summary>A refused operation.</summary>
    public static OutboxResult Fail(OutboxFailure failure, string detail) => new(null, false, failure, detail);

    /// <inheritdoc/>
    public override string ToString() => IsSuccess ? $"OK {Entry}" : $"{ReasonCode}: {Detail}";
}
