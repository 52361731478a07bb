using System.Diagnostics.CodeAnalysis;

namespace Transmission.Core.Pki;

/// <summary>The outcome of a PKI operation: a value, or a failure with a reason code.</summary>
/// <typeparam name="T">The value produced on success.</typeparam>
// Invariant: exactly one of Value and Failure is set.
public sealed class PkiResult<T>
    where T : class
{
    private PkiResult(T? value, PkiFailure? failure, string detail)
    {
        Value = value;
        Failure = failure;
        Detail = detail;
    }

    /// <summary>The value, when <see cref="IsSuccess"/>.</summary>
    public T? Value { get; }

    /// <summary>The failure, when not <see cref="IsSuccess"/>.</summary>
    public PkiFailure? Failure { get; }

    /// <summary>A one-line human explanation (empty on success). Never contains key material.</summary>
    public string Detail { get; }

    /// <summary>Whether the operation succeeded.</summary>
    [MemberNotNullWhen(true, nameof(Value))]
    public bool IsSuccess => Value is not null;

    /// <summary>The reason code of the failure (e.g. <c>REVOKED</c>), or <see langword="null"/> on success.</summary>
    public string? ReasonCode => Failure?.ToReasonCode();

    /// <summary>A successful result.</summary>
    public static PkiResult<T> Success(T value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new PkiResult<T>(value, null, string.Empty);
    }

    /// <summary>A failed result.</summary>
    public static PkiResult<T> Fail(PkiFailure failure, string detail) => new(null, failure, detail);

    /// <inheritdoc/>
    public override string ToString() => IsSuccess ? $"OK {Value}" : $"{ReasonCode}: {Detail}";
}
