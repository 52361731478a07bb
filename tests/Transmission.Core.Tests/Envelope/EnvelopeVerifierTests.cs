using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Transmission.Contracts.Mapping;
using Transmission.Core.Envelope;
using Transmission.Core.Pki;
using Transmission.Core.Tests.Pki;

namespace Transmission.Core.Tests.Envelope;

public sealed class EnvelopeVerifierTests : IDisposable
{
    private static readonly byte[] Payload = Encoding.UTF8.GetBytes("protocol bytes as signed");

    private readonly TestPki _pki = new();
    private readonly X509Certificate2 _chair;
    private readonly SignerCertificateCache _cache = new();

    public EnvelopeVerifierTests()
    {
        _chair = _pki.Issue(CertificateProfile.StationSigning, "ST-0001");
    }

    private DateTimeOffset Now => _pki.Clock.Now;

    public void Dispose() => _chair.Dispose();

    [Fact]
    public void Verify_SignedToBytesParsed_ValidWithStationIdentity()
    {
        var bytes = EnvelopeMapping.ToBytes(Sign(_chair));

        var parsed = EnvelopeMapping.Parse(bytes);
        Assert.True(parsed.IsSuccess, parsed.Detail);
        var result = Verifier().Verify(parsed.Envelope, PayloadTypes.ResultProtocol, Now);

        Assert.True(result.IsValid, result.ToString());
        Assert.Equal(TestPki.Station("ST-0001"), result.Signer);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(_chair.RawData)), result.SignerCertificateSha256);
        Assert.Equal(0, result.CoSignatureCount);
        Assert.Empty(result.CoSignatureProblems);
        Assert.Equal(Payload, parsed.Envelope.Payload.ToArray());
    }

    [Fact]
    public void Verify_TwoCommitteeCoSignatures_CountsBoth()
    {
        using var member1 = _pki.Issue(CertificateProfile.StationSigning, "ST-0001.member-1");
        using var member2 = _pki.Issue(CertificateProfile.StationSigning, "ST-0001.member-2");
        var envelope = CoSign(CoSign(Sign(_chair), member1), member2);

        var result = Verifier().Verify(RoundTrip(envelope), PayloadTypes.ResultProtocol, Now);

        Assert.True(result.IsValid, result.ToString());
        Assert.Equal(TestPki.Station("ST-0001"), result.Signer);
        Assert.Equal(2, result.CoSignatureCount);
        Assert.Equal([TestPki.Station("ST-0001.member-1"), TestPki.Station("ST-0001.member-2")], result.CoSigners);
        Assert.Empty(result.CoSignatureProblems);
    }

    [Fact]
    public void Verify_InvalidCoSignature_ReportedNotFatal()
    {
        using var member1 = _pki.Issue(CertificateProfile.StationSigning, "ST-0001.member-1");
        using var member2 = _pki.Issue(CertificateProfile.StationSigning, "ST-0001.member-2");
        var envelope = CoSign(CoSign(Sign(_chair), member1), member2);
        envelope = WithSignature(envelope, 1, s => s with { Signature = FlipBit(s.Signature, 10) });

        var result = Verifier().Verify(envelope, PayloadTypes.ResultProtocol, Now);

        Assert.True(result.IsValid, result.ToString());
        Assert.Equal(1, result.CoSignatureCount);
        var problem = Assert.Single(result.CoSignatureProblems);
        Assert.Equal((1, "SIGNATURE_INVALID"), (problem.Index, problem.ReasonCode));
    }

    [Fact]
    public void Verify_RevokedCoSigner_ReportedWithPkiReason()
    {
        using var member = _pki.Issue(CertificateProfile.StationSigning, "ST-0001.member-1");
        var envelope = CoSign(Sign(_chair), member);
        var trust = TrustRevoking(member, Now.AddHours(-1));

        var result = new EnvelopeVerifier(trust, _cache).Verify(envelope, PayloadTypes.ResultProtocol, Now);

        Assert.True(result.IsValid, result.ToString());
        Assert.Equal(0, result.CoSignatureCount);
        var problem = Assert.Single(result.CoSignatureProblems);
        Assert.Equal(("SIGNER_UNTRUSTED", "REVOKED"), (problem.ReasonCode, problem.PkiReasonCode));
    }

    [Fact]
    public void Verify_CoSignerWithChairsIdentity_NotCountedTwice()
    {
        using var secondChairCert = _pki.Issue(CertificateProfile.StationSigning, "ST-0001");
        var envelope = CoSign(Sign(_chair), secondChairCert);

        var result = Verifier().Verify(envelope, PayloadTypes.ResultProtocol, Now);

        Assert.True(result.IsValid, result.ToString());
        Assert.Equal(0, result.CoSignatureCount);
        Assert.Equal("DUPLICATE_SIGNER", Assert.Single(result.CoSignatureProblems).ReasonCode);
    }

    [Fact]
    public void Verify_CentralCoSigner_ReportedNotStation()
    {
        using var central = _pki.Issue(CertificateProfile.CentralSigning, "central-1");
        var result = Verifier().Verify(CoSign(Sign(_chair), central), PayloadTypes.ResultProtocol, Now);

        Assert.True(result.IsValid, result.ToString());
        Assert.Equal("SIGNER_NOT_STATION", Assert.Single(result.CoSignatureProblems).ReasonCode);
    }

    [Fact]
    public void Parse_MalformedBytes_EnvelopeMalformed()
    {
        Assert.Equal("ENVELOPE_MALFORMED", EnvelopeMapping.Parse([0x0a, 0xff, 0x01]).ReasonCode);
    }

    [Fact]
    public void Verify_NoSignature_SignatureMissing()
    {
        var envelope = Sign(_chair) with { Signatures = [] };

        AssertRefused(RoundTrip(envelope), "SIGNATURE_MISSING");
    }

    [Fact]
    public void Verify_UnknownAlgorithm_SignatureAlgorithmUnknown()
    {
        var envelope = WithSignature(Sign(_chair), 0, s => s with { Algorithm = "ecdsa-p256-sha256-der" });

        AssertRefused(RoundTrip(envelope), "SIGNATURE_ALGORITHM_UNKNOWN");
    }

    [Fact]
    public void Verify_FlippedBitInPayload_SignatureInvalid()
    {
        var envelope = Sign(_chair);
        envelope = envelope with { Payload = FlipBit(envelope.Payload, 3) };

        AssertRefused(RoundTrip(envelope), "SIGNATURE_INVALID");
    }

    [Fact]
    public void Verify_FlippedBitInPayloadType_SignatureInvalidBeforeTypeCheck()
    {
        // 'a' ^ 0x02 = 'c': still a well-formed type, now also an unexpected one. The signature is checked first.
        var envelope = Sign(_chair);
        var type = envelope.PayloadType.ToCharArray();
        var at = envelope.PayloadType.IndexOf('a', StringComparison.Ordinal);
        type[at] = (char)(type[at] ^ 0x02);
        envelope = envelope with { PayloadType = new string(type) };

        AssertRefused(RoundTrip(envelope), "SIGNATURE_INVALID");
    }

    [Fact]
    public void Verify_FlippedBitInSignature_SignatureInvalid()
    {
        var envelope = WithSignature(Sign(_chair), 0, s => s with { Signature = FlipBit(s.Signature, 40) });

        AssertRefused(RoundTrip(envelope), "SIGNATURE_INVALID");
    }

    [Fact]
    public void Verify_ChairSignatureInvalidCoSignatureValid_SignatureInvalid()
    {
        using var member = _pki.Issue(CertificateProfile.StationSigning, "ST-0001.member-1");
        var envelope = WithSignature(CoSign(Sign(_chair), member), 0, s => s with { Signature = FlipBit(s.Signature, 0) });

        AssertRefused(envelope, "SIGNATURE_INVALID");
    }

    [Fact]
    public void Verify_SignerFromAnotherCa_SignerUntrustedChain()
    {
        var other = new TestPki("Other Election Root");
        using var foreign = other.Issue(CertificateProfile.StationSigning, "ST-0001");

        AssertRefused(RoundTrip(Sign(foreign)), "SIGNER_UNTRUSTED", "UNTRUSTED_CHAIN");
        Assert.Equal(0, _cache.Count); // foreign certificates are not cached
    }

    [Fact]
    public void Verify_ExpiredAtTimeGiven_SignerUntrustedExpired()
    {
        var envelope = RoundTrip(Sign(_chair));

        AssertRefused(envelope, "SIGNER_UNTRUSTED", "EXPIRED", Now.AddDays(400));
    }

    [Fact]
    public void Verify_NotYetValidAtTimeGiven_SignerUntrustedNotYetValid()
    {
        AssertRefused(Sign(_chair), "SIGNER_UNTRUSTED", "NOT_YET_VALID", Now.AddDays(-1));
    }

    [Fact]
    public void Verify_RevokedBeforeTimeGiven_SignerUntrustedRevoked()
    {
        var trust = TrustRevoking(_chair, Now.AddHours(1));

        var result = new EnvelopeVerifier(trust, _cache).Verify(RoundTrip(Sign(_chair)), PayloadTypes.ResultProtocol, Now.AddHours(2));

        Assert.Equal(("SIGNER_UNTRUSTED", "REVOKED"), (result.ReasonCode, result.PkiReasonCode));
    }

    [Fact]
    public void Verify_RevokedAfterTimeGiven_Valid()
    {
        // Signed and received before the revocation: stays verifiable (design §3).
        var trust = TrustRevoking(_chair, Now.AddHours(1));

        var result = new EnvelopeVerifier(trust, _cache).Verify(RoundTrip(Sign(_chair)), PayloadTypes.ResultProtocol, Now.AddMinutes(30));

        Assert.True(result.IsValid, result.ToString());
    }

    [Fact]
    public void Verify_TlsCertificateUsedForSigning_SignerUntrustedWrongKeyUsage()
    {
        using var tls = _pki.Issue(CertificateProfile.StationTls, "ST-0001");

        AssertRefused(RoundTrip(Sign(tls)), "SIGNER_UNTRUSTED", "WRONG_KEY_USAGE");
    }

    [Fact]
    public void Verify_CentralSigningCertificateFirst_SignerNotStation()
    {
        using var central = _pki.Issue(CertificateProfile.CentralSigning, "central-1");

        AssertRefused(RoundTrip(Sign(central)), "SIGNER_NOT_STATION");
    }

    [Fact]
    public void Verify_SameCertificateTwice_DuplicateSigner()
    {
        var envelope = Sign(_chair);
        envelope = envelope with { Signatures = [envelope.Signatures[0], envelope.Signatures[0]] };

        AssertRefused(RoundTrip(envelope), "DUPLICATE_SIGNER");
    }

    [Fact]
    public void Verify_SameCertificateWithTrailingByte_EnvelopeMalformed()
    {
        // The same certificate with a byte appended has another digest; it must not pass as a second signer.
        var envelope = Sign(_chair);
        var first = envelope.Signatures[0];
        byte[] padded = [.. first.CertificateDer.Span, 0x00];
        var second = first with { CertificateDer = padded, KeyId = Convert.ToHexStringLower(SHA256.HashData(padded)) };
        envelope = envelope with { Signatures = [second] };

        AssertRefused(RoundTrip(envelope), "ENVELOPE_MALFORMED");
    }

    [Fact]
    public void Verify_PayloadTypeNotExpected_PayloadTypeUnknown()
    {
        var envelope = EnvelopeSigner.Sign(PayloadTypes.Receipt, Payload, Key(_chair), _chair);

        AssertRefused(RoundTrip(envelope), "PAYLOAD_TYPE_UNKNOWN");
        Assert.True(Verifier().Verify(envelope, PayloadTypes.Receipt, Now).IsValid);
    }

    [Fact]
    public void Verify_KeyIdNotCertificateDigest_EnvelopeMalformed()
    {
        var envelope = WithSignature(Sign(_chair), 0, s => s with { KeyId = new string('0', 64) });

        AssertRefused(RoundTrip(envelope), "ENVELOPE_MALFORMED");
    }

    [Fact]
    public void Verify_CertificateNotDer_EnvelopeMalformed()
    {
        byte[] garbage = [0x30, 0x03, 0x02, 0x01, 0x01];
        var envelope = WithSignature(Sign(_chair), 0, s => s with { CertificateDer = garbage, KeyId = Convert.ToHexStringLower(SHA256.HashData(garbage)) });

        AssertRefused(RoundTrip(envelope), "ENVELOPE_MALFORMED");
    }

    [Fact]
    public void Verify_PayloadTypeWithControlCharacter_EnvelopeMalformed()
    {
        AssertRefused(Sign(_chair) with { PayloadType = "application/x\n" }, "ENVELOPE_MALFORMED");
    }

    [Fact]
    public void Verify_TooManySignatures_EnvelopeMalformed()
    {
        var envelope = Sign(_chair);
        envelope = envelope with { Signatures = [.. Enumerable.Repeat(envelope.Signatures[0], EnvelopeVerifier.MaxSignatures + 1)] };

        AssertRefused(envelope, "ENVELOPE_MALFORMED");
    }

    [Fact]
    public void Verify_SecondVerification_UsesCachedCertificate()
    {
        var envelope = RoundTrip(Sign(_chair));
        var verifier = Verifier();

        Assert.True(verifier.Verify(envelope, PayloadTypes.ResultProtocol, Now).IsValid);
        Assert.True(_cache.TryGet(envelope.Signatures[0].KeyId, out var first));
        Assert.True(verifier.Verify(envelope, PayloadTypes.ResultProtocol, Now).IsValid);
        Assert.True(_cache.TryGet(envelope.Signatures[0].KeyId, out var second));
        Assert.Same(first, second);
        Assert.Equal(1, _cache.Count);
    }

    [Fact]
    public async Task Verify_ConcurrentCallers_AllValid()
    {
        using var other = _pki.Issue(CertificateProfile.StationSigning, "ST-0002");
        SignedEnvelope[] envelopes = [RoundTrip(Sign(_chair)), RoundTrip(Sign(other))];
        var verifier = Verifier();
        var failures = 0;

        var work = Task.Run(() => Parallel.For(0, 2_000, i =>
        {
            if (!verifier.Verify(envelopes[i % 2], PayloadTypes.ResultProtocol, Now).IsValid)
            {
                Interlocked.Increment(ref failures);
            }
        }));
        await work.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(0, failures);
    }

    [Fact]
    public void Sign_KeyOfAnotherCertificate_Throws()
    {
        using var other = _pki.Issue(CertificateProfile.StationSigning, "ST-0002");

        Assert.Throws<ArgumentException>(() => EnvelopeSigner.Sign(PayloadTypes.ResultProtocol, Payload, Key(other), _chair));
    }

    [Fact]
    public void AddCoSignature_SameCertificateTwice_Throws()
    {
        Assert.Throws<ArgumentException>(() => CoSign(Sign(_chair), _chair));
    }

    private EnvelopeVerifier Verifier() => new(new ElectionTrust(_pki.PublicRoot), _cache);

    private void AssertRefused(SignedEnvelope envelope, string reason, string? pkiReason = null, DateTimeOffset? at = null)
    {
        var result = Verifier().Verify(envelope, PayloadTypes.ResultProtocol, at ?? Now);

        Assert.False(result.IsValid);
        Assert.Equal(reason, result.ReasonCode);
        Assert.Equal(pkiReason, result.PkiReasonCode);
        Assert.Null(result.Signer);
    }

    private ElectionTrust TrustRevoking(X509Certificate2 certificate, DateTimeOffset revokedAt)
    {
        var der = _pki.Ca.BuildRevocationList([new RevocationEntry(RevocationEntry.CanonicalSerial(certificate), revokedAt, X509RevocationReason.KeyCompromise)], BigInteger.One);
        return new ElectionTrust(_pki.PublicRoot, RevocationList.Load(der, _pki.PublicRoot).Value);
    }

    private static ECDsa Key(X509Certificate2 certificate) => certificate.GetECDsaPrivateKey()!;

    private static SignedEnvelope Sign(X509Certificate2 signer)
    {
        using var key = Key(signer);
        return EnvelopeSigner.Sign(PayloadTypes.ResultProtocol, Payload, key, signer);
    }

    private static SignedEnvelope CoSign(SignedEnvelope envelope, X509Certificate2 signer)
    {
        using var key = Key(signer);
        return EnvelopeSigner.AddCoSignature(envelope, key, signer);
    }

    private static SignedEnvelope RoundTrip(SignedEnvelope envelope)
    {
        var parsed = EnvelopeMapping.Parse(EnvelopeMapping.ToBytes(envelope));
        Assert.True(parsed.IsSuccess, parsed.Detail);
        return parsed.Envelope;
    }

    private static SignedEnvelope WithSignature(SignedEnvelope envelope, int index, Func<EnvelopeSignature, EnvelopeSignature> change)
    {
        var signatures = envelope.Signatures.ToArray();
        signatures[index] = change(signatures[index]);
        return envelope with { Signatures = signatures };
    }

    private static byte[] FlipBit(ReadOnlyMemory<byte> bytes, int index)
    {
        var copy = bytes.ToArray();
        copy[index] ^= 0x01;
        return copy;
    }
}
