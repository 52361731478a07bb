using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Google.Protobuf;
using Transmission.Central.Tests.Hosting;
using Transmission.Central.Tests.Submission;
using Transmission.Contracts.V1;
using Transmission.Core.Pki;
using Transmission.Grpc;
using Transmission.Testing;

namespace Transmission.Central.Tests.Hostile;

/// <summary>
/// Issue 7 item 2, certificates: signer certificates that the election root really issued (or that chain to it) but
/// that are odd — unknown critical or huge extensions, huge serials, other key types, out of their validity, issued
/// through intermediates, odd names — in a correctly signed envelope from station ST-0001's own connection; and a
/// TLS client certificate presented with a 100-certificate chain. Each case pins the code and PKI reason, that
/// nothing was stored, and that Central then takes an honest protocol.
/// </summary>
[Collection(HostileCollection.Name)]
public sealed class CertificateHostileTests(RunningCentral central)
{
    private const string StationUri = "urn:transmission:station:ST-0001";

    private readonly HostileChecks _checks = new(central);

    [Fact]
    public async Task Submit_SignerWithAnUnknownCriticalExtension_SignerUntrustedUntrustedChain()
    {
        using var signer = Issue(extra: [new X509Extension("1.3.6.1.4.1.99999.1", [0x05, 0x00], critical: true)]);

        await AssertSignerRefusedAsync(signer, "SIGNER_UNTRUSTED", "UNTRUSTED_CHAIN");
    }

    [Fact]
    public async Task Submit_SignerWithAnUnknownNonCriticalExtension_AcceptedTheRootIssuedIt()
    {
        // RFC 5280 §4.2: an unrecognised non-critical extension may be ignored. The root signed this certificate,
        // so it is the station's signing certificate like any other.
        using var signer = Issue(extra: [new X509Extension("1.3.6.1.4.1.99999.2", [0x04, 0x05, .. "hello"u8], critical: false)]);

        var signed = Sign(signer);
        var result = await _checks.Station.SubmitAsync(signed);

        Assert.Null(result.Error);
        Assert.True(_checks.Station.VerifyReceipt(result.Single(), signed).IsValid);
        central.Logs.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task Submit_SignerWithA600KilobyteExtension_AcceptedWithinTheEnvelopeLimit()
    {
        using var signer = Issue(extra: [new X509Extension("1.3.6.1.4.1.99999.3", OctetString(new byte[600_000]), critical: false)]);

        var signed = Sign(signer);
        var result = await _checks.Station.SubmitAsync(signed);

        Assert.Null(result.Error);
        Assert.True(_checks.Station.VerifyReceipt(result.Single(), signed).IsValid);
        central.Logs.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task Submit_SignerWithATwoMegabyteExtension_EnvelopeTooLarge()
    {
        using var signer = Issue(extra: [new X509Extension("1.3.6.1.4.1.99999.4", OctetString(new byte[2 * 1024 * 1024]), critical: false)]);

        await AssertSignerRefusedAsync(signer, "ENVELOPE_TOO_LARGE", pkiReason: null, StatusCode.ResourceExhausted);
    }

    [Theory]
    [InlineData(20)]
    [InlineData(21)]
    [InlineData(1000)]
    public async Task Submit_SignerWithAHugeSerial_ItsOutcome(int serialBytes)
    {
        // RFC 5280 §4.1.2.2 allows at most 20 octets; the election root would never issue more, but a certificate it
        // signed with a longer serial is still its certificate. Central accepts it (the serial is only used to look
        // up revocations, as text) and stores the serial as given.
        var serial = RandomNumberGenerator.GetBytes(serialBytes);
        serial[0] = 0x42;
        using var signer = Issue(serial: serial);

        var signed = Sign(signer);
        var result = await _checks.Station.SubmitAsync(signed);

        Assert.Null(result.Error);
        Assert.True(_checks.Station.VerifyReceipt(result.Single(), signed).IsValid);
        central.Logs.AssertNoUnexpectedErrors();
    }

    [Theory]
    [InlineData("rsa-2048")]
    [InlineData("p-384")]
    [InlineData("p-521")]
    public async Task Submit_SignerWithAnotherKeyType_SignerUntrustedKeyUnsupported(string keyType)
    {
        // .NET on this machine cannot create Ed25519 keys or certificates, so that case is not here.
        using AsymmetricAlgorithm key = keyType switch
        {
            "rsa-2048" => RSA.Create(2048),
            "p-384" => ECDsa.Create(ECCurve.NamedCurves.nistP384),
            _ => ECDsa.Create(ECCurve.NamedCurves.nistP521),
        };
        using var signer = Issue(key: key);

        await AssertSignerRefusedAsync(signer, "SIGNER_UNTRUSTED", "KEY_UNSUPPORTED");
    }

    [Theory]
    [InlineData("expired", "EXPIRED")]
    [InlineData("not yet valid", "NOT_YET_VALID")]
    public async Task Submit_SignerOutsideItsValidity_SignerUntrustedWithTheReason(string what, string reason)
    {
        var now = DateTimeOffset.UtcNow;
        using var signer = what == "expired"
            ? Issue(notBefore: now.AddDays(-10), notAfter: now.AddDays(-1))
            : Issue(notBefore: now.AddDays(1), notAfter: now.AddDays(10));

        await AssertSignerRefusedAsync(signer, "SIGNER_UNTRUSTED", reason);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(10)]
    public async Task Submit_SignerIssuedThroughIntermediates_SignerUntrustedUntrustedChain(int depth)
    {
        // The envelope carries exactly one certificate, so intermediates cannot even be supplied; the election root
        // issues end entities directly (protocol.md §2).
        var chain = Intermediates(depth);
        using var signer = Issue(issuer: chain[^1]);

        await AssertSignerRefusedAsync(signer, "SIGNER_UNTRUSTED", "UNTRUSTED_CHAIN");
        chain.ForEach(c => c.Dispose());
    }

    [Fact]
    public async Task Submit_CertificateFieldWithAThousandCertificates_EnvelopeMalformed()
    {
        // The leaf and 999 more certificates concatenated in the one certificate field (keyid over all of it).
        using var signer = Issue();
        var extra = Enumerable.Range(0, 999).Select(_ => signer.RawData).SelectMany(b => b);
        var der = signer.RawData.Concat(extra).ToArray();

        await AssertSignerRefusedAsync(signer, "ENVELOPE_MALFORMED", pkiReason: null, certificateField: der);
    }

    public static TheoryData<string, string> OddNames => new()
    {
        { "two station URIs", "IDENTITY_MULTIPLE" },
        { "no subject alternative name", "IDENTITY_MISSING" },
        { "a URI of another scheme", "IDENTITY_MALFORMED" },
        { "a station code of 10,000 characters", "IDENTITY_MALFORMED" },
        { "a station code with a slash", "IDENTITY_MALFORMED" },
        { "a verifier identity", "IDENTITY_WRONG_ROLE" },
    };

    [Theory]
    [MemberData(nameof(OddNames))]
    public async Task Submit_SignerWithAnOddName_RefusedWithTheIdentityReason(string what, string reason)
    {
        X509Extension? san = what switch
        {
            "two station URIs" => San(StationUri, "urn:transmission:station:ST-0002"),
            "no subject alternative name" => null,
            "a URI of another scheme" => San("https://station.example/ST-0001"),
            "a station code of 10,000 characters" => San("urn:transmission:station:" + new string('A', 10_000)),
            "a station code with a slash" => San("urn:transmission:station:ST-0001/../ST-0002"),
            _ => San("urn:transmission:verifier:verifier-1"),
        };
        using var signer = Issue(san: san, noSan: san is null);

        await AssertSignerRefusedAsync(signer, "SIGNER_UNTRUSTED", reason);
    }

    [Fact]
    public async Task Connect_ClientCertificateWithAHundredCertificateChain_RefusedAtTheHandshakeUntrustedChain()
    {
        // A TLS client certificate issued at the end of 100 intermediates, all sent in the handshake. The election
        // root issues station certificates directly, so Central refuses the connection and logs the security event.
        var chain = Intermediates(100);
        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var leafPublic = Issue(issuer: chain[^1], key: leafKey, tls: true);
        using var leaf = leafPublic.CopyWithPrivateKey(leafKey);
        var before = await _checks.Station.CountsAsync();
        var logged = central.Logs.Records.Count;

        using var tcp = new TcpClient();
        await tcp.ConnectAsync(central.Address.Host, central.Address.Port).DefaultTimeout();
        await using var tls = new SslStream(tcp.GetStream());
        var failure = await Record.ExceptionAsync(async () =>
        {
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "localhost",
                ApplicationProtocols = [SslApplicationProtocol.Http2],
                ClientCertificateContext = SslStreamCertificateContext.Create(leaf, [.. chain.AsEnumerable().Reverse()], offline: true),
                RemoteCertificateValidationCallback = (_, _, _, _) => true,
            }).DefaultTimeout();
            // With TLS 1.3 the client learns of the refusal only when it reads.
            var buffer = new byte[1];
            if (await tls.ReadAsync(buffer).AsTask().DefaultTimeout() == 0)
            {
                throw new IOException("closed by Central");
            }
        });

        Assert.True(failure is IOException or System.Security.Authentication.AuthenticationException, failure?.ToString() ?? "the connection was accepted");
        await WaitForAsync(() => central.Logs.Records.Skip(logged).Any(r => r.EventId.Id == 4100 && r.Message.Contains("UNTRUSTED_CHAIN", StringComparison.Ordinal)));
        chain.ForEach(c => c.Dispose());
        await _checks.AssertNothingStoredAndStillServingAsync(before);
    }

    private async Task AssertSignerRefusedAsync(X509Certificate2 signer, string code, string? pkiReason, StatusCode status = StatusCode.InvalidArgument, byte[]? certificateField = null)
    {
        var signed = Sign(signer, certificateField);
        var before = await _checks.Station.CountsAsync();

        var rejection = await _checks.RefusedInBandAsync(signed.Items("p1"));

        Assert.True((code, (int)status) == (rejection.Code, rejection.Status), $"got {rejection.Code} {rejection.Status}: {rejection.Message}");
        if (pkiReason is not null)
        {
            Assert.Contains($"({pkiReason})", rejection.Message, StringComparison.Ordinal);
        }

        await _checks.AssertNothingStoredAndStillServingAsync(before);
    }

    /// <summary>A valid ST-0001 protocol in an envelope signed by <paramref name="signer"/> (an ECDSA P-256 key) or, for other key types, with a signature that cannot matter.</summary>
    private SignedProtocol Sign(X509Certificate2 signer, byte[]? certificateField = null)
    {
        var protocol = _checks.Station.Protocol("ST-0001", StationSubmitter.NextRevision());
        var payload = protocol.ToContractBytes();
        var type = Core.Envelope.PayloadTypes.ResultProtocol;
        var pae = Encoding.ASCII.GetBytes($"DSSEv1 {type.Length} {type} {payload.Length} ").Concat(payload).ToArray();
        using var ec = signer.GetECDsaPrivateKey();
        var signature = ec is not null && ec.KeySize == 256 ? ec.SignData(pae, HashAlgorithmName.SHA256) : RandomNumberGenerator.GetBytes(64);
        var der = certificateField ?? signer.RawData;
        var envelope = new Envelope { PayloadType = type, Payload = ByteString.CopyFrom(payload) };
        envelope.Signatures.Add(new Contracts.V1.EnvelopeSignature
        {
            Algorithm = Core.Envelope.EcdsaP256.AlgorithmName,
            Sig = ByteString.CopyFrom(signature),
            Certificate = ByteString.CopyFrom(der),
            Keyid = Convert.ToHexStringLower(SHA256.HashData(der)),
        });
        return new SignedProtocol(protocol, envelope.ToByteArray(), []);
    }

    private X509Certificate2 Root() =>
        X509Certificate2.CreateFromPemFile(Path.Combine(central.Pki.Ca, "ca.cert.pem"), Path.Combine(central.Pki.Ca, "ca.key.pem"));

    /// <summary>
    /// A station-signing certificate for ST-0001 (or a TLS client one with <paramref name="tls"/>) issued by
    /// <paramref name="issuer"/> (default: the election root) with whatever the test changes. Returned with its
    /// private key when the key is ECDSA.
    /// </summary>
    private X509Certificate2 Issue(
        X509Extension[]? extra = null,
        byte[]? serial = null,
        AsymmetricAlgorithm? key = null,
        DateTimeOffset? notBefore = null,
        DateTimeOffset? notAfter = null,
        X509Certificate2? issuer = null,
        X509Extension? san = null,
        bool noSan = false,
        bool tls = false)
    {
        using var root = issuer is null ? Root() : null;
        var ca = issuer ?? root!;
        using var fresh = key is null ? ECDsa.Create(ECCurve.NamedCurves.nistP256) : null;
        var subjectKey = key ?? fresh!;
        var request = subjectKey switch
        {
            ECDsa ecdsa => new CertificateRequest("CN=ST-0001", ecdsa, HashAlgorithmName.SHA256),
            RSA rsa => new CertificateRequest("CN=ST-0001", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            _ => throw new ArgumentException("key type", nameof(key)),
        };
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(tls
            ? new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true)
            : new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(tls ? PkiOids.ClientAuth : PkiOids.DocumentSigning)], false));
        if (!noSan)
        {
            request.CertificateExtensions.Add(san ?? San(StationUri));
        }

        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        foreach (var extension in extra ?? [])
        {
            request.CertificateExtensions.Add(extension);
        }

        var now = DateTimeOffset.UtcNow;
        // Signed with the issuer's key directly, so that .NET does not hold the validity inside the issuer's or
        // the key types equal (what a real, careless or compromised CA could sign).
        using var caKey = ca.GetECDsaPrivateKey()!;
        using var certificate = request.Create(ca.SubjectName, X509SignatureGenerator.CreateForECDsa(caKey), notBefore ?? now.AddMinutes(-5), notAfter ?? now.AddDays(1), serial ?? RandomNumberGenerator.GetBytes(16));
        return subjectKey is ECDsa ec && fresh is not null ? certificate.CopyWithPrivateKey(ec) : X509CertificateLoader.LoadCertificate(certificate.RawData);
    }

    /// <summary><paramref name="depth"/> CA certificates, the first issued by the election root, each next by the one before; each with its key.</summary>
    private List<X509Certificate2> Intermediates(int depth)
    {
        var chain = new List<X509Certificate2>();
        using var root = Root();
        var now = DateTimeOffset.UtcNow;
        for (var i = 0; i < depth; i++)
        {
            var issuer = i == 0 ? root : chain[^1];
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest($"CN=Intermediate {i + 1}", key, HashAlgorithmName.SHA256);
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
            request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
            request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
            using var issuerKey = issuer.GetECDsaPrivateKey()!;
            using var issued = request.Create(issuer.SubjectName, X509SignatureGenerator.CreateForECDsa(issuerKey), now.AddMinutes(-5), now.AddDays(1), RandomNumberGenerator.GetBytes(16));
            chain.Add(issued.CopyWithPrivateKey(key));
        }

        return chain;
    }

    private static X509Extension San(params string[] uris)
    {
        var builder = new SubjectAlternativeNameBuilder();
        foreach (var uri in uris)
        {
            builder.AddUri(new Uri(uri));
        }

        return builder.Build();
    }

    /// <summary>A DER OCTET STRING around <paramref name="content"/> (long-form length).</summary>
    private static byte[] OctetString(byte[] content)
    {
        var writer = new System.Formats.Asn1.AsnWriter(System.Formats.Asn1.AsnEncodingRules.DER);
        writer.WriteOctetString(content);
        return writer.Encode();
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TestTimeouts.Default);
        while (!condition())
        {
            await Task.Delay(50, timeout.Token);
        }
    }
}
