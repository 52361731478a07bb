using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using FsCheck;
using FsCheck.Fluent;
using Google.Protobuf;
using Transmission.Contracts.Mapping;
using Transmission.Core.Election;
using Transmission.Core.Envelope;
using Transmission.Core.Pki;
using Transmission.Core.Protocol;
using Transmission.Core.Tabulation;
using Transmission.Core.Tests.Pki;
using Transmission.Testing.Properties;

namespace Transmission.Core.Tests.Properties;

/// <summary>
/// Property-based checks of the signed-protocol pipeline with FsCheck (issue 7, item 3): random valid protocols
/// round-trip through sign → bytes → parse → verify → map → validate → tabulate, and random byte-level and structural
/// mutations of envelope bytes are always refused, never throw, and are never accepted as another protocol.
/// </summary>
public sealed class EnvelopePropertyTests : IDisposable
{
    // A generated election big enough for variety (several municipalities, a preference contest) and small enough
    // to build per test class.
    private static readonly ElectionDefinition Definition = ElectionDefinition.Parse(ElectionDefinitionGenerator.Generate(
        new ElectionDefinitionGeneratorOptions { Seed = 7, Stations = 40, Municipalities = 4, Parties = 5, CandidatesPerParty = 3, MaxPreferences = 2 })).Definition!;

    private readonly TestPki _pki = new();
    private readonly Dictionary<string, X509Certificate2> _chairs = new(StringComparer.Ordinal);
    private readonly SignerCertificateCache _cache = new();

    public void Dispose()
    {
        foreach (var chair in _chairs.Values)
        {
            chair.Dispose();
        }
    }

    [Fact]
    public void SignVerifyMapTabulate_RandomValidProtocols_RoundTripUnchanged()
    {
        var verifier = Verifier();
        var property = Prop.ForAll(Arb.From(BatchOfProtocols()), protocols =>
        {
            var tabulator = new Tabulator(Definition);
            foreach (var protocol in protocols)
            {
                var contract = protocol.ToContract();
                Assert.True(contract.IsSuccess, contract.Detail);
                var payload = contract.Value!.ToByteArray();
                var bytes = EnvelopeMapping.ToBytes(Sign(payload, protocol.StationCode));

                var parsed = EnvelopeMapping.Parse(bytes);
                Assert.True(parsed.IsSuccess, parsed.Detail);
                var verification = verifier.Verify(parsed.Envelope, PayloadTypes.ResultProtocol, _pki.Clock.Now);
                Assert.True(verification.IsValid, verification.ToString());
                Assert.Equal(TestPki.Station(protocol.StationCode), verification.Signer);

                var domain = Transmission.Contracts.V1.ResultProtocol.Parser.ParseFrom(parsed.Envelope.Payload.Span).ToDomain();
                Assert.True(domain.IsSuccess, domain.Detail);
                Assert.Equal(payload, domain.Value!.ToContract().Value!.ToByteArray());
                Assert.True(ProtocolValidator.Validate(domain.Value, Definition).IsClean);
                tabulator.Apply(new SubmissionAccepted(protocol.StationCode, protocol.Revision, domain.Value, []));
            }

            AssertTotalsAreSums(tabulator.Snapshot(), protocols);
        });

        Check.One(PropertyRuns.Config(ciRuns: 60), property);
    }

    [Fact]
    public void ParseVerify_RandomMutationOfEnvelopeBytes_RefusedOrSameProtocolNeverThrows()
    {
        var verifier = Verifier();
        var originals = Definition.Stations.Take(4)
            .Select((station, i) => SignedBytes(SampleProtocols.Create(Definition, station.Code, seed: i + 1)))
            .ToArray();
        var property = Prop.ForAll(Arb.From(Mutations(originals)), mutation =>
        {
            var (original, mutated, _) = mutation;
            var outcome = Outcome(verifier, mutated);
            if (outcome.Accepted is { } accepted)
            {
                // A mutation may only be accepted when it changed nothing that is signed: the same payload type,
                // payload and signer (e.g. a different unsigned key id). Never another protocol.
                var before = Outcome(verifier, original).Accepted!;
                Assert.Equal(before.PayloadType, accepted.PayloadType);
                Assert.Equal(before.Payload, accepted.Payload);
                Assert.Equal(before.Signer, accepted.Signer);
            }
            else
            {
                Assert.False(string.IsNullOrEmpty(outcome.ReasonCode));
            }
        });

        Check.One(PropertyRuns.Config(ciRuns: 2_000), property);
    }

    [Fact]
    public void ParseVerify_StructuralMutationsOfRandomProtocols_EachRefusedWithItsReason()
    {
        var verifier = Verifier();
        var foreignPki = new TestPki("Foreign Root");
        var stations = Definition.Stations.Select(s => s.Code).ToArray();
        var pairs =
            from a in Gen.Elements(stations)
            from b in Gen.Elements(stations).Where(b => b != a)
            from seed in Gen.Choose(1, int.MaxValue)
            select (A: a, B: b, Seed: seed);
        var property = Prop.ForAll(Arb.From(pairs), pair =>
        {
            var protocol = SampleProtocols.Create(Definition, pair.A, pair.Seed);
            var envelope = EnvelopeMapping.Parse(SignedBytes(protocol)).Envelope!;
            var other = EnvelopeMapping.Parse(SignedBytes(SampleProtocols.Create(Definition, pair.B, pair.Seed))).Envelope!;
            // The same payload signed by a certificate for the same station from another election's PKI.
            using var foreignChair = foreignPki.Issue(CertificateProfile.StationSigning, pair.A);
            using var foreignKey = foreignChair.GetECDsaPrivateKey()!;
            var foreign = EnvelopeSigner.Sign(PayloadTypes.ResultProtocol, envelope.Payload, foreignKey, foreignChair);

            foreach (var (mutated, expectedReason, name) in StructuralMutations(envelope, other, foreign))
            {
                var outcome = Outcome(verifier, EnvelopeMapping.ToBytes(mutated));
                Assert.True(outcome.Accepted is null, name + " was accepted");
                Assert.True(expectedReason == outcome.ReasonCode, $"{name}: expected {expectedReason}, got {outcome.ReasonCode}");
            }
        });

        Check.One(PropertyRuns.Config(ciRuns: 25), property);
    }

    private static void AssertTotalsAreSums(TabulationSnapshot snapshot, IReadOnlyList<ResultProtocol> protocols)
    {
        foreach (var contest in snapshot.Provisional.Overall.Contests)
        {
            foreach (var choice in contest.Choices)
            {
                var expected = protocols.Sum(p => p.Contests.Where(c => c.ContestId == contest.ContestId)
                    .SelectMany(c => c.Choices).Where(v => v.ChoiceId == choice.ChoiceId).Sum(v => v.Votes));
                Assert.Equal(expected, choice.Votes);
            }
        }

        Assert.Equal(protocols.Sum(p => p.Ballots.Used), snapshot.Provisional.Overall.BallotsUsed);
        Assert.Equal(protocols.Count, snapshot.Provisional.Overall.StationsReported);
    }

    // Distinct stations (one revision each), each protocol from its own seed.
    private static Gen<ResultProtocol[]> BatchOfProtocols() =>
        from stations in Gen.SubListOf(Definition.Stations.Select(s => s.Code).ToArray())
        from seeds in Gen.ArrayOf(Gen.Choose(1, int.MaxValue), stations.Count)
        select stations.Select((code, i) => SampleProtocols.Create(Definition, code, seeds[i])).ToArray();

    private static Gen<(byte[] Original, byte[] Mutated, string Kind)> Mutations(byte[][] originals) =>
        from original in Gen.Elements(originals)
        from mutation in ByteMutations.Of(original)
        select (original, mutation.Bytes, mutation.Kind);

    private static IEnumerable<(SignedEnvelope Envelope, string ExpectedReason, string Name)> StructuralMutations(
        SignedEnvelope envelope, SignedEnvelope other, SignedEnvelope foreign)
    {
        var signature = envelope.Signatures[0];
        var truncatedCertificate = signature.CertificateDer[..^1];
        yield return (envelope with { Signatures = [] }, "SIGNATURE_MISSING", "no signature");
        yield return (envelope with { PayloadType = "application/vnd.other+protobuf" }, "SIGNATURE_INVALID", "other payload type");
        yield return (envelope with { PayloadType = "" }, "ENVELOPE_MALFORMED", "empty payload type");
        yield return (envelope with { Payload = other.Payload }, "SIGNATURE_INVALID", "another station's payload");
        yield return (envelope with { Payload = ReadOnlyMemory<byte>.Empty }, "SIGNATURE_INVALID", "empty payload");
        yield return (envelope with { Signatures = [other.Signatures[0]] }, "SIGNATURE_INVALID", "another station's signature");
        yield return (envelope with { Signatures = [signature with { Signature = other.Signatures[0].Signature }] }, "SIGNATURE_INVALID", "signature bytes of another envelope");
        yield return (envelope with { Signatures = [signature with { Signature = signature.Signature[..^1] }] }, "SIGNATURE_INVALID", "truncated signature");
        yield return (envelope with { Signatures = [signature with { Algorithm = "ed25519" }] }, "SIGNATURE_ALGORITHM_UNKNOWN", "other algorithm");
        yield return (envelope with { Signatures = [signature with { KeyId = other.Signatures[0].KeyId }] }, "ENVELOPE_MALFORMED", "key id of another certificate");
        yield return (envelope with
        {
            Signatures = [signature with { CertificateDer = truncatedCertificate, KeyId = Convert.ToHexStringLower(SHA256.HashData(truncatedCertificate.Span)) }],
        }, "ENVELOPE_MALFORMED", "truncated certificate");
        yield return (foreign, "SIGNER_UNTRUSTED", "signed under a foreign root");
        yield return (envelope with { Signatures = [signature, signature] }, "DUPLICATE_SIGNER", "the same signature twice");
        yield return (envelope with { Signatures = Enumerable.Repeat(signature, EnvelopeVerifier.MaxSignatures + 1).ToArray() }, "ENVELOPE_MALFORMED", "one signature over the limit");
        yield return (envelope with { Signatures = Enumerable.Repeat(signature, 5_000).ToArray() }, "ENVELOPE_MALFORMED", "5,000 co-signatures");
    }

    private (SignedEnvelope? Accepted, string? ReasonCode) OutcomeCore(EnvelopeVerifier verifier, byte[] bytes)
    {
        var parsed = EnvelopeMapping.Parse(bytes);
        if (!parsed.IsSuccess)
        {
            return (null, parsed.ReasonCode);
        }

        var verification = verifier.Verify(parsed.Envelope, PayloadTypes.ResultProtocol, _pki.Clock.Now);
        return verification.IsValid ? (parsed.Envelope, null) : (null, verification.ReasonCode);
    }

    private (Accepted? Accepted, string? ReasonCode) Outcome(EnvelopeVerifier verifier, byte[] bytes)
    {
        var (envelope, reason) = OutcomeCore(verifier, bytes);
        if (envelope is null)
        {
            return (null, reason);
        }

        var signer = verifier.Verify(envelope, PayloadTypes.ResultProtocol, _pki.Clock.Now).Signer!;
        return (new Accepted(envelope.PayloadType, envelope.Payload.ToArray(), signer), null);
    }

    private byte[] SignedBytes(ResultProtocol protocol) =>
        EnvelopeMapping.ToBytes(Sign(protocol.ToContract().Value!.ToByteArray(), protocol.StationCode));

    private SignedEnvelope Sign(byte[] payload, string stationCode)
    {
        if (!_chairs.TryGetValue(stationCode, out var chair))
        {
            chair = _pki.Issue(CertificateProfile.StationSigning, stationCode);
            _chairs.Add(stationCode, chair);
        }

        using var key = chair.GetECDsaPrivateKey()!;
        return EnvelopeSigner.Sign(PayloadTypes.ResultProtocol, payload, key, chair);
    }

    private EnvelopeVerifier Verifier() => new(new ElectionTrust(_pki.PublicRoot), _cache);

    private sealed record Accepted(string PayloadType, byte[] Payload, CallerIdentity Signer)
    {
        public bool Equals(Accepted? other) =>
            other is not null && PayloadType == other.PayloadType && Payload.AsSpan().SequenceEqual(other.Payload) && Signer == other.Signer;

        public override int GetHashCode() => HashCode.Combine(PayloadType, Payload.Length, Signer);
    }
}
