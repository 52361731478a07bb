using Microsoft.EntityFrameworkCore;
using Transmission.Central.Tests.Hosting;
using Transmission.Testing;

namespace Transmission.Central.Tests.Submission;

/// <summary>
/// A station whose call stalled sends the same envelope again on a new call while the first copy is still on its way:
/// both copies can reach the same storage batch. Central's commit window is made long here so that they always do.
/// </summary>
public sealed class RetryRaceTests : IAsyncLifetime
{
    private readonly RunningCentral _central = new(new DevelopmentPki(), configure: options => options.Storage.BatchWait = TimeSpan.FromMilliseconds(800));

    public Task InitializeAsync() => _central.InitializeAsync();

    public Task DisposeAsync() => _central.DisposeAsync();

    [Fact]
    public async Task Submit_SameEnvelopeOnTwoCallsInOneBatch_BothCallsGetTheOneStoredReceipt()
    {
        var station = new StationSubmitter(_central);
        var signed = station.Sign(station.Protocol("ST-0001", 1));
        var before = await station.CountsAsync();

        var results = await Task.WhenAll(station.SubmitAsync(signed), station.SubmitAsync(signed)).DefaultTimeout();

        Assert.All(results, r => Assert.Null(r.Error));
        var receipts = results.Select(r => r.Single().Receipt.Envelope).ToList();
        Assert.True(station.VerifyReceipt(results[0].Single(), signed).IsValid);
        Assert.Equal(receipts[0], receipts[1]);
        await using var db = _central.OpenDatabase();
        var row = await db.Submissions.SingleAsync(s => s.EnvelopeSha256 == signed.EnvelopeSha256);
        Assert.Equal(receipts[0].ToByteArray(), row.ReceiptBytes);
        var after = await station.CountsAsync();
        Assert.Equal(before.Submissions + 1, after.Submissions);
        Assert.Equal(1, _central.Logs.Records.Count(r => r.EventId.Name == "SubmissionDuplicate"));
        _central.Logs.AssertNoUnexpectedErrors();
    }
}
