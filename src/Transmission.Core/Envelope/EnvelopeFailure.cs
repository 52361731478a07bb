namespace Transmission.Core.Envelope;

/// <summary>
/// Why an envelope, or one of its co-signatures, was refused. Each value has a stable reason code
/// (<see cref="EnvelopeFailureCodes.ToReasonCode(EnvelopeFailure)"/>).
/// </summary>
public enum EnvelopeFailure
{
    /// <summary><c>ENVELOPE_MALFORMED</c>: the bytes are not a well-formed envelope (or a signature entry or its certificate is malformed).</summary>
    EnvelopeMalformed,

    /// <summary><c>SIGNATURE_MISSING</c>: the envelope has no signature.</summary>
    SignatureMissing,

    /// <summary><c>SIGNATURE_ALGORITHM_UNKNOWN</c>: the entry names an algorithm other than <c>ecdsa-p256-sha256</c>.</summary>
    SignatureAlgorithmUnknown,

    /// <summary><c>SIGNATURE_INVALID</c>: the signature does not verify over PAE(type, payload) with the certificate's key.</summary>
    SignatureInvalid,

    /// <summary><c>SIGNER_UNTRUSTED</c>: the election PKI refuses the signer certificate for signing at the time given (see the PKI reason).</summary>
    SignerUntrusted,

    /// <summary><c>SIGNER_NOT_STATION</c>: the signer's identity is not a station (e.g. Central's signing certificate).</summary>
    SignerNotStation,

    /// <summary><c>SIGNER_WRONG_ROLE</c>: the signer's identity is not of the role the caller expects (e.g. a receipt not signed by Central).</summary>
    SignerWrongRole,

    /// <summary><c>DUPLICATE_SIGNER</c>: the same certificate signs twice (for a co-signature: the same identity as an earlier signer).</summary>
    DuplicateSigner,

    /// <summary><c>PAYLOAD_TYPE_UNKNOWN</c>: the (authentic) payload type is not the one the caller expects.</summary>
    PayloadTypeUnknown,
}

/// <summary>Stable reason codes for <see cref="EnvelopeFailure"/>.</summary>
public static class EnvelopeFailureCodes
{
    /// <summary>The SCREAMING_SNAKE reason code of a failure, e.g. <c>SIGNATURE_INVALID</c>.</summary>
    public static string ToReasonCode(this EnvelopeFailure failure) => failure switch
    {
        EnvelopeFailure.EnvelopeMalformed => "ENVELOPE_MALFORMED",
        EnvelopeFailure.SignatureMissing => "SIGNATURE_MISSING",
        EnvelopeFailure.SignatureAlgorithmUnknown => "SIGNATURE_ALGORITHM_UNKNOWN",
        EnvelopeFailure.SignatureInvalid => "SIGNATURE_INVALID",
        EnvelopeFailure.SignerUntrusted => "SIGNER_UNTRUSTED",
        EnvelopeFailure.SignerNotStation => "SIGNER_NOT_STATION",
        EnvelopeFailure.SignerWrongRole => "SIGNER_WRONG_ROLE",
        EnvelopeFailure.DuplicateSigner => "DUPLICATE_SIGNER",
        EnvelopeFailure.PayloadTypeUnknown => "PAYLOAD_TYPE_UNKNOWN",
        _ => throw new ArgumentOutOfRangeException(nameof(failure), failure, null),
    };
}
