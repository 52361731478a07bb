using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using BenchmarkDotNet.Attributes;
using Transmission.Contracts.Mapping;
using Transmission.Core.Envelope;
using Transmission.Core.Pki;

namespace Transmission.Benchmarks;

/// <summary>
/// Central's signature check of one submission: PAE + ECDSA P-256 verify, with the signer cache warm (the certificate
/// parsed and its chain built once) and, for contrast, cold (a fresh cache and trust each time: parse the
/// certificate DER, build the chain, import the key, verify) — the cost of every first sighting of a station.
/// </summary>
[MemoryDiagnoser]
public class EnvelopeBenchmarks
{
    private BenchmarkFixture _fixture = null!;
    private EnvelopeVerifier _warm = null!;
    private ECDsa _publicKey = null!;
    private DateTimeOffset _at;

    [GlobalSetup]
    public void Setup()
    {
        _fixture = new BenchmarkFixture();
        _warm = new EnvelopeVerifier(new ElectionTrust(_fixture.Root), new SignerCertificateCache());
        _publicKey = _fixture.SigningCertificate.GetECDsaPublicKey()!;
        _at = DateTimeOffset.UtcNow;
        if (!_warm.Verify(_fixture.Envelope, PayloadTypes.ResultProtocol, _at).IsValid)
        {
            throw new InvalidOperationException("the benchmark envelope does not verify");
        }
    }

    /// <summary>PAE encoding alone.</summary>
    [Benchmark]
    public byte[] Pae_Encode() => Pae.Encode(PayloadTypes.ResultProtocol, _fixture.Payload);

    /// <summary>The raw ECDSA P-256 verify over the PAE with an already imported key (the floor).</summary>
    [Benchmark]
    public bool Ecdsa_Verify_CachedKey() => EcdsaP256.Verify(_publicKey, _fixture.Pae, _fixture.Signature);

    /// <summary>The wire envelope parsed and verified as Central does, signer cache warm.</summary>
    [Benchmark(Baseline = true)]
    public bool Envelope_ParseAndVerify_SignerCached()
    {
        var parsed = EnvelopeMapping.Parse(_fixture.EnvelopeBytes);
        return _warm.Verify(parsed.Envelope!, PayloadTypes.ResultProtocol, _at).IsValid;
    }

    /// <summary>The same with no cache: certificate parsed, chain built and key imported for this one envelope.</summary>
    [Benchmark]
    public bool Envelope_ParseAndVerify_NoSignerCache()
    {
        var parsed = EnvelopeMapping.Parse(_fixture.EnvelopeBytes);
        var cold = new EnvelopeVerifier(new ElectionTrust(_fixture.Root), new SignerCertificateCache(capacity: 16));
        return cold.Verify(parsed.Envelope!, PayloadTypes.ResultProtocol, _at).IsValid;
    }
}
