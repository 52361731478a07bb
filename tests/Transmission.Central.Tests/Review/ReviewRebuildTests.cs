using Transmission.Central.Tests.Hosting;
using Transmission.Central.Tests.Submission;
using Transmission.Contracts.V1;
using Transmission.Testing;

namespace Transmission.Central.Tests.Review;

/// <summary>
/// The review board is a function of the log: a Central restarted on the same database rebuilds the same queue, totals
/// and byte-identical exports from the stored envelopes and decisions.
/// </summary>
public sealed class ReviewRebuildTests
{
    [Fact]
    public async Task Restart_SameDatabase_SameTotalsAndByteIdenticalExports()
    {
        using var pki = new DevelopmentPki(3);
        await pki.InitializeAsync();
        var first = new Dictionary<(ExportKind, ExportFormat), byte[]>();
        Totals before;
        await using (var central = new RunningCentral(pki, pkiOwnedByCaller: true))
        {
            await central.InitializeAsync();
            var submitter = new StationSubmitter(central);
            var one = submitter.Sign(submitter.Protocol("ST-0001", 1, seed: 3));
            var two = submitter.Sign(submitter.Protocol("ST-0002", 1, seed: 4));
            var twoCorrected = submitter.Sign(submitter.Protocol("ST-0002", 2, seed: 9));
            foreach (var signed in new[] { one, two, twoCorrected })
            {
                Assert.Null((await submitter.SubmitAsync(signed)).Error);
            }

            using var channel = central.ChannelFor(pki.VerifierDir);
            await ReviewCentral.Call(channel, ReviewMethods.Decide, new DecideRequest { EnvelopeSha256 = ReviewCentral.Sha(one.EnvelopeSha256), Decision = Decision.Accept, Reason = "Matches the form." });
            await ReviewCentral.Call(channel, ReviewMethods.Decide, new DecideRequest { EnvelopeSha256 = ReviewCentral.Sha(twoCorrected.EnvelopeSha256), Decision = Decision.Reject, Reason = "Scan unreadable." });
            before = await ReviewCentral.Call(channel, ReviewMethods.GetTotals, new GetTotalsRequest());
            foreach (var kind in new[] { ExportKind.Stations, ExportKind.Totals })
            {
                foreach (var format in new[] { ExportFormat.Csv, ExportFormat.Json })
                {
                    first[(kind, format)] = (await ReviewServiceTests.ExportAsync(channel, kind, format)).Bytes;
                }
            }

            central.Logs.AssertNoUnexpectedErrors();
        }

        await using (var restarted = new RunningCentral(pki, pkiOwnedByCaller: true))
        {
            await restarted.InitializeAsync();
            using var channel = restarted.ChannelFor(pki.VerifierDir);

            var after = await ReviewCentral.Call(channel, ReviewMethods.GetTotals, new GetTotalsRequest());

            Assert.Equal(before.Contests, after.Contests);
            Assert.Equal(before.StationsReported, after.StationsReported);
            Assert.Equal(before.StationsCertified, after.StationsCertified);
            Assert.Equal(5ul, after.EventsApplied);
            foreach (var ((kind, format), bytes) in first)
            {
                Assert.Equal(bytes, (await ReviewServiceTests.ExportAsync(channel, kind, format)).Bytes);
            }

            var st2 = await ReviewCentral.Call(channel, ReviewMethods.GetSubmission, new GetSubmissionRequest { StationCode = "ST-0002" });
            Assert.Equal(ReviewState.Rejected, st2.Summary.State);
            Assert.Equal(2, st2.Revisions.Count);
            restarted.Logs.AssertNoUnexpectedErrors();
        }
    }
}
