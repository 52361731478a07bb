using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Google.Protobuf;
using Transmission.Contracts.Mapping;
using Transmission.Core.Election;
using Transmission.Core.Envelope;
using Transmission.Core.Pki;
using Transmission.Core.Protocol;

namespace Transmission.Benchmarks;

/// <summary>
/// What the benchmarks measure against: a generated election root, one station's signing certificate and a
/// realistic signed protocol (the Kosovo-shaped generated election: 15 party lists and an open-list preference
/// contest), made in memory with the product's own CA and signer.
/// </summary>
public sealed class BenchmarkFixture
{
    public BenchmarkFixture()
    {
        var time = TimeProvider.System;
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        Root = ElectionCa.CreateRoot(rootKey, "Benchmark Root", time);
        var ca = new ElectionCa(Root, time);
        SigningKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var identity = CallerIdentity.Create(Role.Station, "ST-0001").Value!;
        SigningCertificate = ca.Issue(new PublicKey(SigningKey), CertificateProfile.StationSigning, identity).Value!;

        var definitionBytes = ElectionDefinitionGenerator.Generate(new ElectionDefinitionGeneratorOptions
        {
            Stations = 2500,
            StationCodes = Enumerable.Range(1, 2500).Select(i => $"ST-{i:D4}").ToArray(),
            NightOpensAt = time.GetUtcNow().AddHours(-1),
            NightDuration = TimeSpan.FromHours(24),
            Indented = false,
        });
        Definition = ElectionDefinition.Parse(definitionBytes).Definition!;
        var protocol = SampleProtocols.Create(Definition, "ST-0001", seed: 2025) with { SignedAt = time.GetUtcNow() };
        Payload = protocol.ToContract().Value!.ToByteArray();
        Envelope = EnvelopeSigner.Sign(PayloadTypes.ResultProtocol, Payload, SigningKey, SigningCertificate);
        EnvelopeBytes = EnvelopeMapping.ToBytes(Envelope);
        Pae = Core.Envelope.Pae.Encode(PayloadTypes.ResultProtocol, Payload);
        Signature = Envelope.Signatures[0].Signature.ToArray();
    }

    public X509Certificate2 Root { get; }

    public ECDsa SigningKey { get; }

    public X509Certificate2 SigningCertificate { get; }

    public ElectionDefinition Definition { get; }

    /// <summary>The serialized transmission.v1.ResultProtocol, as signed.</summary>
    public byte[] Payload { get; }

    public SignedEnvelope Envelope { get; }

    /// <summary>The envelope as it travels (transmission.v1.Envelope).</summary>
    public byte[] EnvelopeBytes { get; }

    public byte[] Pae { get; }

    public byte[] Signature { get; }
}
