using System.Security.Cryptography;
using Transmission.Core.Pki;

namespace Transmission.Core.Envelope;

/// <summary>
/// Verifies signed envelopes against the election PKI (design §3–4, docs/protocol.md section 6). Order:
/// <list type="number">
/// <item>structure: a well-formed payload type, at least one and at most <see cref="MaxSignatures"/> signatures,
/// each with an algorithm, a signature, a certificate and a keyid equal to the certificate's SHA-256; no certificate twice;</item>
/// <item>for each signature: algorithm known → certificate parsed (cached) and trusted by <see cref="ElectionTrust"/>
/// for signing at the caller's time → (chair) station role → signature over PAE;</item>
/// <item>only then the payload type is compared with the expected one; the caller may parse the payload after that.</item>
/// </list>
/// The chair's signature (the first) must pass; co-signatures are counted when they pass and reported when not.
/// </summary>
/// <remarks>
/// Thread-safe. Construct one per <see cref="ElectionTrust"/> (a new CRL means a new trust and a new verifier) and
/// share the <see cref="SignerCertificateCache"/> between them.
/// </remarks>
public sealed class EnvelopeVerifier
{
    /// <summary>The most signatures an envelope may carry: the chair and a committee. Defaults to 16.</summary>
    public const int MaxSignatures = 16;

    private readonly ElectionTrust _trust;
    private readonly SignerCertificateCache _certificates;

    /// <summary>A verifier for one election trust.</summary>
    public EnvelopeVerifier(ElectionTrust trust, SignerCertificateCache certificates)
    {
        ArgumentNullException.ThrowIfNull(trust);
        ArgumentNullException.ThrowIfNull(certificates);
        _trust = trust;
        _certificates = certificates;
    }

    /// <summary>Verifies <paramref name="envelope"/> as of <paramref name="at"/>.</summary>
    /// <param name="envelope">The envelope as parsed from the received bytes.</param>
    /// <param name="expectedPayloadType">The payload type the caller will parse, e.g. <see cref="PayloadTypes.ResultProtocol"/>.</param>
    /// <param name="at">A time the verifier trusts (Central: when it received the envelope), never the signer's claim.</param>
    /// <param name="signerRole">
    /// The role every signer must have: <see cref="Role.Station"/> for result protocols (the default),
    /// <see cref="Role.Central"/> for Central's receipts.
    /// </param>
    public EnvelopeVerification Verify(SignedEnvelope envelope, string expectedPayloadType, DateTimeOffset at, Role signerRole = Role.Station)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        ArgumentNullException.ThrowIfNull(expectedPayloadType);

        if (CheckStructure(envelope) is { } structureFailure)
        {
            return structureFailure;
        }

        var pae = Pae.Encode(envelope.PayloadType, envelope.Payload.Span);
        var signatures = envelope.Signatures;
        var chair = VerifyOne(signatures[0], 0, pae, at, signerRole);
        if (chair.Problem is { } chairProblem)
        {
            return EnvelopeVerification.Fail(chairProblem.Failure, chairProblem.Detail, chairProblem.PkiFailure);
        }

        var coSigners = new List<CallerIdentity>();
        var problems = new List<CoSignatureProblem>();
        for (var i = 1; i < signatures.Count; i++)
        {
            var outcome = VerifyOne(signatures[i], i, pae, at, signerRole);
            if (outcome.Problem is { } problem)
            {
                problems.Add(problem);
            }
            else if (outcome.Identity == chair.Identity || coSigners.Contains(outcome.Identity!))
            {
                // One person, one co-signature: a second certificate for the same identity does not count twice.
                problems.Add(new CoSignatureProblem(i, EnvelopeFailure.DuplicateSigner, null, $"signature {i}: {outcome.Identity} already signed"));
            }
            else
            {
                coSigners.Add(outcome.Identity!);
            }
        }

        // DSSE protocol.md: the payload type is checked only after the signature, and before any parsing.
        if (!string.Equals(envelope.PayloadType, expectedPayloadType, StringComparison.Ordinal))
        {
            return EnvelopeVerification.Fail(EnvelopeFailure.PayloadTypeUnknown, $"payload type '{envelope.PayloadType}' is not the expected '{expectedPayloadType}'");
        }

        return EnvelopeVerification.Valid(chair.Identity!, signatures[0].KeyId, coSigners, problems);
    }

    private static EnvelopeVerification? CheckStructure(SignedEnvelope envelope)
    {
        if (!PayloadTypes.IsWellFormed(envelope.PayloadType))
        {
            return Malformed("the payload type is not 1-256 characters of visible ASCII");
        }

        var signatures = envelope.Signatures;
        if (signatures is null || signatures.Count == 0)
        {
            return EnvelopeVerification.Fail(EnvelopeFailure.SignatureMissing, "the envelope has no signature");
        }

        if (signatures.Count > MaxSignatures)
        {
            return Malformed($"{signatures.Count} signatures (at most {MaxSignatures})");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < signatures.Count; i++)
        {
            var signature = signatures[i];
            if (signature is null || string.IsNullOrEmpty(signature.Algorithm) || signature.Signature.IsEmpty || signature.CertificateDer.IsEmpty)
            {
                return Malformed($"signature {i}: algorithm, signature and certificate are required");
            }

            // The keyid is unauthenticated (DSSE); requiring it to be exactly the certificate digest leaves no
            // freedom to vary the envelope bytes without changing what was signed or by whom.
            var digest = Convert.ToHexStringLower(SHA256.HashData(signature.CertificateDer.Span));
            if (!string.Equals(signature.KeyId, digest, StringComparison.Ordinal))
            {
                return Malformed($"signature {i}: keyid is not the lowercase hex SHA-256 of the certificate");
            }

            if (!seen.Add(digest))
            {
                return EnvelopeVerification.Fail(EnvelopeFailure.DuplicateSigner, $"signature {i}: certificate {digest} signs twice");
            }
        }

        return null;
    }

    private SignatureOutcome VerifyOne(EnvelopeSignature signature, int index, byte[] pae, DateTimeOffset at, Role signerRole)
    {
        if (!string.Equals(signature.Algorithm, EcdsaP256.AlgorithmName, StringComparison.Ordinal))
        {
            return Problem(index, EnvelopeFailure.SignatureAlgorithmUnknown, $"signature {index}: algorithm '{Printable(signature.Algorithm)}' is not {EcdsaP256.AlgorithmName}");
        }

        var cached = _certificates.TryGet(signature.KeyId, out var certificate);
        if (!cached && !SignerCertificate.TryParse(signature.CertificateDer.Span, out certificate))
        {
            return Problem(index, EnvelopeFailure.EnvelopeMalformed, $"signature {index}: the certificate is not one DER X.509 certificate");
        }

        var trust = _trust.Validate(certificate!.Certificate, CertificatePurpose.Signing, at);
        if (!cached && trust.Failure != Pki.PkiFailure.UntrustedChain)
        {
            _certificates.Add(certificate);
        }

        if (!trust.IsSuccess)
        {
            return Problem(index, EnvelopeFailure.SignerUntrusted, $"signature {index}: {trust.Detail}", trust.Failure);
        }

        if (!certificate.IsP256)
        {
            return Problem(index, EnvelopeFailure.SignerUntrusted, $"signature {index}: the certificate key is not ECDSA P-256", Pki.PkiFailure.KeyUnsupported);
        }

        if (trust.Value.Role != signerRole)
        {
            return signerRole == Role.Station
                ? Problem(index, EnvelopeFailure.SignerNotStation, $"signature {index}: {trust.Value} is not a station")
                : Problem(index, EnvelopeFailure.SignerWrongRole, $"signature {index}: {trust.Value} is not a {CallerIdentity.RoleName(signerRole)} signer");
        }

        if (!certificate.Verify(pae, signature.Signature.Span))
        {
            return Problem(index, EnvelopeFailure.SignatureInvalid, $"signature {index} by {trust.Value} does not verify");
        }

        return new SignatureOutcome(trust.Value, null);
    }

    private static SignatureOutcome Problem(int index, EnvelopeFailure failure, string detail, PkiFailure? pkiFailure = null) =>
        new(null, new CoSignatureProblem(index, failure, pkiFailure, detail));

    private static EnvelopeVerification Malformed(string detail) => EnvelopeVerification.Fail(EnvelopeFailure.EnvelopeMalformed, detail);

    // Input echoed into a detail is bounded and stripped of control characters (log injection).
    private static string Printable(string value)
    {
        var cut = value.Length > 64 ? value[..64] + "..." : value;
        return string.Concat(cut.Select(c => char.IsControl(c) ? '?' : c));
    }

    private readonly record struct SignatureOutcome(CallerIdentity? Identity, CoSignatureProblem? Problem);
}
