using System.Diagnostics.CodeAnalysis;
using Transmission.Core.Pki;

namespace Transmission.Core.Envelope;

/// <summary>A co-signature that did not count, and why. It does not make the envelope invalid.</summary>
/// <param name="Index">The signature's position in the envelope (1 or more; 0 is the chair's).</param>
/// <param name="Failure">Why it was not counted.</param>
/// <param name="PkiFailure">For <see cref="EnvelopeFailure.SignerUntrusted"/>, the PKI's reason.</param>
/// <param name="Detail">A one-line explanation.</param>
public sealed record CoSignatureProblem(int Index, EnvelopeFailure Failure, PkiFailure? PkiFailure, string Detail)
{
    /// <summary>The reason code, e.g. <c>SIGNATURE_INVALID</c>.</summary>
    public string ReasonCode => Failure.ToReasonCode();

    /// <summary>The PKI reason code (e.g. <c>REVOKED</c>), if any.</summary>
    public string? PkiReasonCode => PkiFailure?.ToReasonCode();
}

/// <summary>The outcome of <see cref="EnvelopeVerifier.Verify"/>.</summary>
// Invariant: IsValid == (Failure is null); Signer and SignerCertificateSha256 are set exactly when valid;
// PkiFailure is set only with Failure == SignerUntrusted.
public sealed class EnvelopeVerification
{
    private EnvelopeVerification(
        CallerIdentity? signer,
        string? signerCertificateSha256,
        IReadOnlyList<CallerIdentity> coSigners,
        IReadOnlyList<CoSignatureProblem> coSignatureProblems,
        EnvelopeFailure? failure,
        PkiFailure? pkiFailure,
        string detail)
    {
        Signer = signer;
        SignerCertificateSha256 = signerCertificateSha256;
        CoSigners = coSigners;
        CoSignatureProblems = coSignatureProblems;
        Failure = failure;
        PkiFailure = pkiFailure;
        Detail = detail;
    }

    /// <summary>Whether the chair's signature verified, its certificate is a trusted station signing certificate and the payload type is the expected one.</summary>
    [MemberNotNullWhen(true, nameof(Signer), nameof(SignerCertificateSha256))]
    [MemberNotNullWhen(false, nameof(Failure), nameof(ReasonCode))]
    public bool IsValid => Failure is null;

    /// <summary>The station that signed (the first signature's certificate identity).</summary>
    public CallerIdentity? Signer { get; }

    /// <summary>Lowercase hex SHA-256 of the chair's certificate DER.</summary>
    public string? SignerCertificateSha256 { get; }

    /// <summary>The identities of the co-signatures that verified, in envelope order.</summary>
    public IReadOnlyList<CallerIdentity> CoSigners { get; }

    /// <summary>How many co-signatures verified.</summary>
    public int CoSignatureCount => CoSigners.Count;

    /// <summary>Co-signatures that did not verify (reported, not fatal).</summary>
    public IReadOnlyList<CoSignatureProblem> CoSignatureProblems { get; }

    /// <summary>Why the envelope was refused.</summary>
    public EnvelopeFailure? Failure { get; }

    /// <summary>The reason code, e.g. <c>SIGNER_UNTRUSTED</c>; <see langword="null"/> when valid.</summary>
    public string? ReasonCode => Failure?.ToReasonCode();

    /// <summary>With <see cref="EnvelopeFailure.SignerUntrusted"/>, the PKI's reason (e.g. <see cref="Pki.PkiFailure.Revoked"/>).</summary>
    public PkiFailure? PkiFailure { get; }

    /// <summary>The PKI reason code (e.g. <c>REVOKED</c>), if any.</summary>
    public string? PkiReasonCode => PkiFailure?.ToReasonCode();

    /// <summary>A one-line explanation (empty when valid). Never contains key material.</summary>
    public string Detail { get; }

    /// <summary>A successful verification.</summary>
    public static EnvelopeVerification Valid(CallerIdentity signer, string signerCertificateSha256, IReadOnlyList<CallerIdentity> coSigners, IReadOnlyList<CoSignatureProblem> coSignatureProblems)
    {
        ArgumentNullException.ThrowIfNull(signer);
        ArgumentNullException.ThrowIfNull(signerCertificateSha256);
        ArgumentNullException.ThrowIfNull(coSigners);
        ArgumentNullException.ThrowIfNull(coSignatureProblems);
        return new EnvelopeVerification(signer, signerCertificateSha256, coSigners, coSignatureProblems, null, null, string.Empty);
    }

    /// <summary>A refusal.</summary>
    public static EnvelopeVerification Fail(EnvelopeFailure failure, string detail, PkiFailure? pkiFailure = null) =>
        new(null, null, [], [], failure, pkiFailure, detail ?? string.Empty);

    /// <inheritdoc/>
    public override string ToString() => IsValid
        ? $"OK {Signer} (+{CoSignatureCount} co-signatures)"
        : PkiReasonCode is null ? $"{ReasonCode}: {Detail}" : $"{ReasonCode} ({PkiReasonCode}): {Detail}";
}
