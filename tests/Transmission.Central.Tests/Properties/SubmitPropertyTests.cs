using System.Security.Cryptography;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.EntityFrameworkCore;
using Transmission.Central.Tests.Hosting;
using Transmission.Central.Tests.Submission;
using Transmission.Contracts.V1;
using Transmission.Grpc;
using Transmission.Testing;
using Transmission.Testing.Properties;

namespace Transmission.Central.Tests.Properties;

/// <summary>
/// Property-based checks against the real Central over mutual TLS (issue 7, item 3): random valid protocols (with
/// random scans) are stored byte for byte and receipted; random damage to a signed envelope is always refused in-band
/// with a specific code, stores nothing, writes no error, and leaves Central serving.
/// </summary>
public sealed class SubmitPropertyTests(RunningCentral central) : IClassFixture<RunningCentral>
{
    private static readonly string[] Stations = ["ST-0001", "ST-0002"];

    private readonly StationSubmitter _station = new(central);

    [Fact]
    public async Task Submit_RandomValidProtocols_StoredByteForByteAndReceipted()
    {
        var cases =
            from station in Gen.Elements(Stations)
            from seed in Gen.Choose(1, int.MaxValue)
            from count in Gen.Choose(0, 2)
            from scans in Gen.ArrayOf(Gen.Choose(1, 70_000), count)
            select (Station: station, Seed: seed, ScanSizes: scans);
        var property = Prop.ForAll(Arb.From(cases), input =>
        {
            var scans = input.ScanSizes.Select(RandomNumberGenerator.GetBytes).ToArray();
            var protocol = StationSubmitter.WithAttachments(_station.Protocol(input.Station, StationSubmitter.NextRevision(), input.Seed), scans);
            var signed = _station.Sign(protocol, scans);

            var result = _station.SubmitAsync(signed).GetAwaiter().GetResult();

            Assert.Null(result.Error);
            Assert.True(_station.VerifyReceipt(result.Single(), signed).IsValid);
            using var db = central.OpenDatabase();
            var stored = db.Submissions.Include(s => s.Attachments).Single(s => s.EnvelopeSha256 == signed.EnvelopeSha256);
            Assert.Equal((input.Station, protocol.Revision), (stored.StationCode, stored.Revision));
            Assert.Equal(signed.Envelope, db.Blobs.Single(b => b.Sha256 == signed.EnvelopeSha256).Bytes);
            Assert.Equal(scans.Length, stored.Attachments.Count);
            foreach (var attachment in stored.Attachments)
            {
                Assert.Equal(scans[attachment.Index], db.Blobs.Single(b => b.Sha256 == attachment.BlobSha256).Bytes);
            }
        });

        // The property body blocks on the real gRPC call; run it off xunit's synchronisation context.
        await Task.Run(() => Check.One(PropertyRuns.Config(ciRuns: 20), property)).DefaultTimeout();
        central.Logs.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task Submit_RandomDamageToASignedEnvelope_RefusedInBandNothingStoredCentralKeepsServing()
    {
        var signed = _station.Sign(_station.Protocol("ST-0001", StationSubmitter.NextRevision()));
        var before = await _station.CountsAsync();
        using var channel = central.ChannelFor(central.Pki.StationDir("ST-0001"));
        var property = Prop.ForAll(Arb.From(ByteMutations.Of(signed.Envelope)), mutation =>
        {
            var damaged = signed with { Envelope = mutation.Bytes };

            var result = StationSubmitter.SubmitAsync(channel, damaged.Items("p1")).GetAwaiter().GetResult();

            Assert.True(result.Error is null, $"{mutation.Kind}: the call failed with {result.Error?.Status}");
            var response = result.Single();
            Assert.True(response.OutcomeCase == SubmitResponse.OutcomeOneofCase.Rejection, $"{mutation.Kind} was accepted");
            Assert.Equal((int)StatusCode.InvalidArgument, response.Rejection.Status);
            Assert.Contains(response.Rejection.Code, RefusalCodes);
        });

        await Task.Run(() => Check.One(PropertyRuns.Config(ciRuns: 150), property)).DefaultTimeout();

        (await _station.CountsAsync()).AssertNothingStoredSince(before);
        var undamaged = await _station.SubmitAsync(signed);
        Assert.True(_station.VerifyReceipt(undamaged.Single(), signed).IsValid);
        central.Logs.AssertNoUnexpectedErrors();
    }

    // What damage to the envelope can turn into: unparsable, a broken signature block, or a signer that is no
    // longer the station's certificate. Anything else (above all a receipt) is a failure of the property.
    private static readonly string[] RefusalCodes =
        ["ENVELOPE_MALFORMED", "SIGNATURE_MISSING", "SIGNATURE_ALGORITHM_UNKNOWN", "SIGNATURE_INVALID", "SIGNER_UNTRUSTED", "PAYLOAD_TYPE_UNKNOWN"];
}
