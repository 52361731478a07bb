using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Google.Protobuf;
using Transmission.Contracts.Mapping;
using Transmission.Contracts.V1;
using Transmission.Core.Envelope;
using Transmission.Core.Pki;
using Transmission.Cli.Localization;
using Transmission.Verifier.Localization;

namespace Transmission.Verifier.Inspection;

/// <summary>
/// Checks here, against the pinned election root, that what Central shows is what the station signed: the envelope
/// bytes hash to the digest the verifier asked for (and will decide on), the chair's signature verifies, the signer
/// is the station, and Central's decoded numbers are exactly the signed payload. So the verifier never reviews
/// numbers that are not the signed ones, whatever Central does.
/// </summary>
internal static class SignedCopyCheck
{
    /// <summary>The verified protocol, or why not (one line).</summary>
    public static SignedCopy Check(SubmissionDetail detail, ByteString? requested, X509Certificate2 root)
    {
        ArgumentNullException.ThrowIfNull(detail);
        ArgumentNullException.ThrowIfNull(root);
        var actual = ByteString.CopyFrom(SHA256.HashData(detail.Envelope.Span));
        var expected = requested ?? detail.Summary?.EnvelopeSha256 ?? ByteString.Empty;
        if (!actual.Equals(expected))
        {
            return SignedCopy.Fail(Localized.Format(VerifierText.CopyHashMismatch, Hex(actual), Hex(expected)));
        }

        var parsed = EnvelopeMapping.Parse(detail.Envelope.Span);
        if (parsed.Envelope is not { } envelope)
        {
            return SignedCopy.Fail(Localized.Format(VerifierText.CopyNotParsed, parsed.ReasonCode, parsed.Detail));
        }

        using var anchor = X509CertificateLoader.LoadCertificate(root.RawData);
        var verifier = new EnvelopeVerifier(new ElectionTrust(anchor), new SignerCertificateCache(capacity: 4));
        var at = detail.Verification?.ReceivedAt?.ToDateTimeOffset() ?? DateTimeOffset.UtcNow;
        var verification = verifier.Verify(envelope, PayloadTypes.ResultProtocol, at);
        if (!verification.IsValid)
        {
            return SignedCopy.Fail(Localized.Format(VerifierText.CopySignatureInvalid, verification.ReasonCode, verification.Detail));
        }

        ResultProtocol signed;
        try
        {
            signed = ResultProtocol.Parser.ParseFrom(envelope.Payload.Span);
        }
        catch (InvalidProtocolBufferException e)
        {
            return SignedCopy.Fail(Localized.Format(VerifierText.CopyNotProtocol, e.Message));
        }

        if (verification.Signer is not { } signer || signer.Id != signed.StationCode)
        {
            return SignedCopy.Fail(Localized.Format(VerifierText.CopyWrongSigner, signed.StationCode, verification.Signer?.Uri ?? VerifierText.Nobody));
        }

        if (!signed.Equals(detail.Protocol))
        {
            return SignedCopy.Fail(VerifierText.CopyNumbersDiffer);
        }

        return new SignedCopy(signed, signer.Uri, null);
    }

    private static string Hex(ByteString digest) => digest.IsEmpty ? VerifierText.None : Convert.ToHexStringLower(digest.Span);
}

/// <summary>Invariant: either <see cref="Protocol"/> (checked) or <see cref="Problem"/>, never both.</summary>
internal sealed record SignedCopy(ResultProtocol? Protocol, string? Signer, string? Problem)
{
    public static SignedCopy Fail(string problem) => new(null, null, problem);
}
