using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Transmission.Contracts.Mapping;
using Transmission.Contracts.V1;
using Transmission.Core.Envelope;
using Transmission.Core.Pki;
using Transmission.Core.Tests.Pki;

namespace Transmission.Core.Tests.Envelope;

/// <summary>
/// docs/test-vectors/envelope-example.json: a worked example for other implementations (public key and certificates,
/// payload, PAE, its SHA-256, signature, envelope bytes). Written once by <see cref="Write"/> (run the tests with
/// TRANSMISSION_WRITE_TEST_VECTORS=1) and from then on only checked: the committed file must verify.
/// It holds no private key.
/// </summary>
public sealed class EnvelopeExampleTests
{
    private const string RelativePath = "docs/test-vectors/envelope-example.json";

    [Fact]
    public void EnvelopeExample_CommittedFile_Verifies()
    {
        var path = TestVectorFiles.PathOf(RelativePath);
        if (TestVectorFiles.Regenerate)
        {
            Write(path);
        }

        Assert.True(File.Exists(path), $"{RelativePath} is missing; run the tests once with {TestVectorFiles.RegenerateVariable}=1");
        var text = File.ReadAllText(path);
        Assert.DoesNotContain("PRIVATE KEY", text, StringComparison.Ordinal);
        using var document = JsonDocument.Parse(text);
        var example = document.RootElement;
        string Get(string name) => example.GetProperty(name).GetString()!;
        byte[] Hex(string name) => Convert.FromHexString(Get(name));

        Assert.Equal(EcdsaP256.AlgorithmName, Get("algorithm"));
        Assert.Equal(PayloadTypes.ResultProtocol, Get("payloadType"));
        var payload = Hex("payloadHex");
        var pae = Pae.Encode(Get("payloadType"), payload);
        Assert.Equal(Hex("paeHex"), pae);
        Assert.Equal(Get("paeText"), Encoding.ASCII.GetString(pae[..(pae.Length - payload.Length)]) + "<payload>");
        Assert.Equal(Hex("paeSha256Hex"), SHA256.HashData(pae));

        using var publicKey = ECDsa.Create();
        publicKey.ImportFromPem(Get("signerPublicKeyPem"));
        Assert.True(EcdsaP256.Verify(publicKey, pae, Hex("signatureHex")));

        using var certificate = X509Certificate2.CreateFromPem(Get("signerCertificatePem"));
        Assert.Equal(publicKey.ExportSubjectPublicKeyInfo(), certificate.PublicKey.ExportSubjectPublicKeyInfo());
        Assert.Equal(Get("keyId"), Convert.ToHexStringLower(SHA256.HashData(certificate.RawData)));

        var parsed = EnvelopeMapping.Parse(Hex("envelopeHex"));
        Assert.True(parsed.IsSuccess, parsed.Detail);
        var signature = Assert.Single(parsed.Envelope.Signatures);
        Assert.Equal(Hex("signatureHex"), signature.Signature.ToArray());
        Assert.Equal(payload, parsed.Envelope.Payload.ToArray());

        using var root = X509Certificate2.CreateFromPem(Get("rootCertificatePem"));
        var at = DateTimeOffset.Parse(Get("verifiedAt"), System.Globalization.CultureInfo.InvariantCulture);
        var result = new EnvelopeVerifier(new ElectionTrust(root), new SignerCertificateCache()).Verify(parsed.Envelope, PayloadTypes.ResultProtocol, at);
        Assert.True(result.IsValid, result.ToString());
        Assert.Equal(Get("signerIdentity"), result.Signer.Uri);
        Assert.Equal(Get("keyId"), result.SignerCertificateSha256);

        // Only after verification is the payload parsed.
        Assert.Equal(result.Signer.Id, ResultProtocol.Parser.ParseFrom(payload).StationCode);
    }

    /// <summary>Generates a fresh example (new keys, so new bytes) and writes it to <paramref name="path"/>. Relaxed escaping: a document for people, never embedded in HTML.</summary>
    private static void Write(string path)
    {
        var pki = new TestPki("Example Election Root");
        using var signer = pki.Issue(CertificateProfile.StationSigning, "ST-0001");
        using var key = signer.GetECDsaPrivateKey()!;
        var payload = new ResultProtocol
        {
            ElectionId = "example-2025",
            DefinitionSha256 = ByteString.CopyFrom(SHA256.HashData("example election definition"u8)),
            Mode = ElectionMode.Test,
            StationCode = "ST-0001",
            Revision = 1,
            SignedAt = Timestamp.FromDateTimeOffset(pki.Clock.Now),
            Ballots = new BallotCounts { RegisteredVoters = 500, Received = 500, Used = 300, Unused = 195, Spoiled = 5, Invalid = 10, Valid = 290 },
            Contests = { new ContestResult { ContestId = "parliament", Choices = { new ChoiceVotes { ChoiceId = "p1", Votes = 190 }, new ChoiceVotes { ChoiceId = "p2", Votes = 100 } } } },
        }.ToByteArray();

        var envelope = EnvelopeSigner.Sign(PayloadTypes.ResultProtocol, payload, key, signer);
        var pae = Pae.Encode(PayloadTypes.ResultProtocol, payload);
        var entry = envelope.Signatures[0];

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var stream = File.Create(path);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        json.WriteStartObject();
        json.WriteString("description", "A station result protocol signed as a DSSE envelope (docs/protocol.md, section 6). Generated by tests/Transmission.Core.Tests/Envelope/EnvelopeExampleTests.cs and checked by it on every test run. Public material only.");
        json.WriteString("algorithm", EcdsaP256.AlgorithmName);
        json.WriteString("signatureEncoding", "IEEE P1363: r || s, each 32 bytes big-endian");
        json.WriteString("payloadType", PayloadTypes.ResultProtocol);
        json.WriteString("payloadHex", Convert.ToHexStringLower(payload));
        json.WriteString("paeText", Encoding.ASCII.GetString(pae[..(pae.Length - payload.Length)]) + "<payload>");
        json.WriteString("paeHex", Convert.ToHexStringLower(pae));
        json.WriteString("paeSha256Hex", Convert.ToHexStringLower(SHA256.HashData(pae)));
        json.WriteString("signatureHex", Convert.ToHexStringLower(entry.Signature.Span));
        json.WriteString("signerPublicKeyPem", PemEncoding.WriteString("PUBLIC KEY", signer.PublicKey.ExportSubjectPublicKeyInfo()));
        json.WriteString("signerCertificatePem", signer.ExportCertificatePem());
        json.WriteString("keyId", entry.KeyId);
        json.WriteString("signerIdentity", "urn:transmission:station:ST-0001");
        json.WriteString("rootCertificatePem", pki.Root.ExportCertificatePem());
        json.WriteString("verifiedAt", pki.Clock.Now.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture));
        json.WriteString("envelopeHex", Convert.ToHexStringLower(EnvelopeMapping.ToBytes(envelope)));
        json.WriteEndObject();
    }
}
