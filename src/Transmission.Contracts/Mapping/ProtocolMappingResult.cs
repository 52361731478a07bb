using System.Diagnostics.CodeAnalysis;

namespace Transmission.Contracts.Mapping;

/// <summary>Why a result protocol could not be mapped between its message and domain forms.</summary>
public enum ProtocolMappingFailure
{
    /// <summary><c>COUNT_TOO_LARGE</c>: a uint64 count (or attachment size) above <see cref="long.MaxValue"/>.</summary>
    CountTooLarge,

    /// <summary><c>COUNT_NEGATIVE</c>: a negative domain count (or attachment size) cannot be encoded as uint64.</summary>
    CountNegative,

    /// <summary><c>REVISION_OUT_OF_RANGE</c>: a revision above <see cref="int.MaxValue"/> (in) or below zero (out).</summary>
    RevisionOutOfRange,

    /// <summary><c>TIMESTAMP_INVALID</c>: <c>signed_at</c> outside 0001-01-01..9999-12-31 or with nanos outside [0, 10⁹).</summary>
    TimestampInvalid,

    /// <summary><c>MODE_UNKNOWN</c>: an election mode value the contract does not define.</summary>
    ModeUnknown,
}

/// <summary>Stable reason codes for <see cref="ProtocolMappingFailure"/>.</summary>
public static class ProtocolMappingFailureCodes
{
    /// <summary>The SCREAMING_SNAKE reason code, e.g. <c>COUNT_TOO_LARGE</c>.</summary>
    public static string ToReasonCode(this ProtocolMappingFailure failure) => failure switch
    {
        ProtocolMappingFailure.CountTooLarge => "COUNT_TOO_LARGE",
        ProtocolMappingFailure.CountNegative => "COUNT_NEGATIVE",
        ProtocolMappingFailure.RevisionOutOfRange => "REVISION_OUT_OF_RANGE",
        ProtocolMappingFailure.TimestampInvalid => "TIMESTAMP_INVALID",
        ProtocolMappingFailure.ModeUnknown => "MODE_UNKNOWN",
        _ => throw new ArgumentOutOfRangeException(nameof(failure), failure, null),
    };
}

/// <summary>The outcome of a protocol mapping. Invariant: exactly one of <see cref="Value"/> or <see cref="Failure"/>.</summary>
/// <typeparam name="T">The mapped type.</typeparam>
public sealed class ProtocolMappingResult<T>
    where T : class
{
    private ProtocolMappingResult(T? value, ProtocolMappingFailure? failure, string field, string detail)
    {
        Value = value;
        Failure = failure;
        Field = field;
        Detail = detail;
    }

    /// <summary>The mapped value, when <see cref="IsSuccess"/>.</summary>
    public T? Value { get; }

    /// <summary>The failure, when not <see cref="IsSuccess"/>.</summary>
    public ProtocolMappingFailure? Failure { get; }

    /// <summary>The offending field (protobuf names, e.g. <c>ballots.valid</c>); empty on success.</summary>
    public string Field { get; }

    /// <summary>A one-line explanation; empty on success.</summary>
    public string Detail { get; }

    /// <summary>Whether the mapping succeeded.</summary>
    [MemberNotNullWhen(true, nameof(Value))]
    public bool IsSuccess => Value is not null;

    /// <summary>The reason code, or <see langword="null"/> on success.</summary>
    public string? ReasonCode => Failure?.ToReasonCode();

    /// <summary>A successful result.</summary>
    public static ProtocolMappingResult<T> Success(T value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new ProtocolMappingResult<T>(value, null, string.Empty, string.Empty);
    }

    /// <summary>A failed result.</summary>
    public static ProtocolMappingResult<T> Fail(ProtocolMappingFailure failure, string field, string detail) => new(null, failure, field, detail);

    /// <inheritdoc/>
    public override string ToString() => IsSuccess ? $"OK {Value}" : $"{ReasonCode} ({Field}): {Detail}";
}
