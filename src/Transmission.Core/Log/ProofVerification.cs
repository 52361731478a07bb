namespace Transmission.Core.Log;

/// <summary>Why an inclusion or consistency proof did not verify. Reason codes: <see cref="ProofFailureCodes"/>.</summary>
public enum ProofFailure
{
    /// <summary><c>INDEX_OUT_OF_RANGE</c>: the leaf index is negative or not below the tree size.</summary>
    IndexOutOfRange,

    /// <summary><c>SIZE_INVALID</c>: a size is negative, or the old tree is larger than the new one.</summary>
    SizeInvalid,

    /// <summary><c>HASH_MALFORMED</c>: a leaf hash, root or proof element is not 32 bytes.</summary>
    HashMalformed,

    /// <summary><c>PROOF_LENGTH_WRONG</c>: the proof has more or fewer elements than the sizes call for.</summary>
    ProofLengthWrong,

    /// <summary><c>ROOT_MISMATCH</c>: the proof does not lead to the given root(s).</summary>
    RootMismatch,
}

/// <summary>Stable reason codes for <see cref="ProofFailure"/>.</summary>
public static class ProofFailureCodes
{
    /// <summary>The SCREAMING_SNAKE reason code of a failure, e.g. <c>ROOT_MISMATCH</c>.</summary>
    public static string ToReasonCode(this ProofFailure failure) => failure switch
    {
        ProofFailure.IndexOutOfRange => "INDEX_OUT_OF_RANGE",
        ProofFailure.SizeInvalid => "SIZE_INVALID",
        ProofFailure.HashMalformed => "HASH_MALFORMED",
        ProofFailure.ProofLengthWrong => "PROOF_LENGTH_WRONG",
        ProofFailure.RootMismatch => "ROOT_MISMATCH",
        _ => throw new ArgumentOutOfRangeException(nameof(failure), failure, null),
    };
}

/// <summary>The outcome of verifying a Merkle proof.</summary>
// Invariant: IsValid == (Failure is null); Detail is empty exactly when valid.
public sealed class ProofVerification
{
    private ProofVerification(ProofFailure? failure, string detail)
    {
        Failure = failure;
        Detail = detail;
    }

    /// <summary>The proof verified.</summary>
    public static ProofVerification Valid { get; } = new(null, string.Empty);

    /// <summary>Whether the proof verified.</summary>
    public bool IsValid => Failure is null;

    /// <summary>Why it did not.</summary>
    public ProofFailure? Failure { get; }

    /// <summary>The reason code, e.g. <c>ROOT_MISMATCH</c>; <see langword="null"/> when valid.</summary>
    public string? ReasonCode => Failure?.ToReasonCode();

    /// <summary>A one-line explanation (empty when valid).</summary>
    public string Detail { get; }

    /// <summary>A refusal.</summary>
    public static ProofVerification Fail(ProofFailure failure, string detail) => new(failure, detail ?? string.Empty);

    /// <inheritdoc/>
    public override string ToString() => IsValid ? "OK" : $"{ReasonCode}: {Detail}";
}
