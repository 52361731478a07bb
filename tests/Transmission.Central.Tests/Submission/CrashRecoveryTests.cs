using System.Security.Cryptography;
using System.Text.Json;
using Google.Protobuf;
using Microsoft.EntityFrameworkCore;
using Transmission.Central.Storage;
using Transmission.Central.Tests.Hosting;
using Transmission.Contracts.V1;
using Transmission.Grpc;
using Transmission.Testing;

namespace Transmission.Central.Tests.Submission;

/// <summary>
/// Design §11 "Central killed mid-stream": the built Central is SIGKILLed while a station streams protocols; after a
/// restart every receipt the station already holds matches a stored submission (byte for byte via GetReceipt), and
/// re-sending everything without a receipt completes with no duplicate rows.
/// </summary>
public sealed class CrashRecoveryTests : IAsyncLifetime
{
    private const int Protocols = 40;
    private readonly DevelopmentPki _pki = new();

    public Task InitializeAsync() => _pki.InitializeAsync();

    public Task DisposeAsync()
    {
        _pki.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Submit_CentralKilledMidStream_ReceiptsHeldAreStoredAndResendingTheRestLeavesNoDuplicates()
    {
        var station = new StationSubmitter(_pki, null);
        var signed = Enumerable.Range(1, Protocols).Select(revision =>
        {
            var scan = RandomNumberGenerator.GetBytes(40_000);
            return station.Sign(StationSubmitter.WithAttachments(station.Protocol("ST-0001", revision), scan), [scan]);
        }).ToList();
        var config = WriteConfig();
        var receipts = new Dictionary<string, ByteString>();

        await using (var first = await StartAsync(config, "ready-1.url"))
        {
            using var channel = StationSubmitter.ChannelTo(first.Address, _pki.StationDir("ST-0001"));
            using var call = channel.AsyncDuplexStreamingCall(TransmissionMethods.Submit);
            var killed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var reading = Task.Run(async () =>
            {
                try
                {
                    while (await call.ResponseStream.MoveNext(CancellationToken.None))
                    {
                        var response = call.ResponseStream.Current;
                        lock (receipts)
                        {
                            receipts[response.CorrelationId] = response.Receipt.Envelope;
                        }

                        if (receipts.Count == Protocols / 4)
                        {
                            // SIGKILL: no shutdown, no flush, exactly as a power cut looks to the process.
                            first.Central.Process.Kill();
                            first.Central.Process.WaitForExit();
                            killed.TrySetResult();
                        }
                    }
                }
                catch (RpcException)
                {
                    // The connection died with the process.
                }
            });
            try
            {
                for (var i = 0; i < signed.Count; i++)
                {
                    if (i == Protocols / 2)
                    {
                        // The second half goes only after the kill, so some protocols are always left to re-send.
                        await killed.Task.DefaultTimeout();
                    }

                    foreach (var item in signed[i].Items(i.ToString(System.Globalization.CultureInfo.InvariantCulture), chunkSize: 8000))
                    {
                        await call.RequestStream.WriteAsync(item).DefaultTimeout();
                    }
                }

                await call.RequestStream.CompleteAsync().DefaultTimeout();
            }
            catch (Exception e) when (e is RpcException or IOException or InvalidOperationException or OperationCanceledException)
            {
                // Writing fails once Central is gone.
            }

            await reading.DefaultTimeout();
            await first.Central.Process.WaitForExitAsync().DefaultTimeout();
        }

        Assert.InRange(receipts.Count, Protocols / 4, Protocols / 2);

        await using (var second = await StartAsync(config, "ready-2.url"))
        {
            using var channel = StationSubmitter.ChannelTo(second.Address, _pki.StationDir("ST-0001"));
            foreach (var (id, receipt) in receipts)
            {
                var protocol = signed[int.Parse(id, System.Globalization.CultureInfo.InvariantCulture)];
                var stored = await channel.AsyncUnaryCall(TransmissionMethods.GetReceipt,
                    new GetReceiptRequest { EnvelopeSha256 = ByteString.CopyFrom(protocol.EnvelopeSha256) }).ResponseAsync.DefaultTimeout();
                Assert.Equal(receipt, stored.Receipt.Envelope);
            }

            var rest = Enumerable.Range(0, Protocols).Where(i => !receipts.ContainsKey(i.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToList();
            var resent = await StationSubmitter.SubmitAsync(channel, rest.SelectMany(i => signed[i].Items(i.ToString(System.Globalization.CultureInfo.InvariantCulture))));

            Assert.Null(resent.Error);
            Assert.Equal(rest.Count, resent.Responses.Count);
            for (var k = 0; k < rest.Count; k++)
            {
                Assert.True(station.VerifyReceipt(resent.Responses[k], signed[rest[k]]).IsValid);
            }

            Assert.Equal(0, await second.Central.TerminateAsync());
        }

        await using var context = new CentralDbContext(CentralDatabase.ForConfiguration(_pki.DataDirectory, _pki.StorageOptions()));
        var db = context.Database.GetDbConnection();
        await db.OpenAsync();
        await using var count = db.CreateCommand();
        count.CommandText = "SELECT COUNT(*), COUNT(DISTINCT \"PayloadSha256\"), MAX(\"LogIndex\") FROM \"Submissions\"";
        await using var reader = await count.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(Protocols, reader.GetInt64(0));
        Assert.Equal(Protocols, reader.GetInt64(1));
        Assert.Equal(Protocols - 1, reader.GetInt64(2));
    }

    private async Task<StartedCentral> StartAsync(string config, string readyName)
    {
        var ready = Path.Combine(_pki.Root, readyName);
        var process = BuiltExecutable.Start("transmission-central", _pki.Root, "serve", "--config", config, "--ready-file", ready);
        try
        {
            return new StartedCentral(process, new Uri(await process.WaitForReadyFileAsync(ready)));
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    private string WriteConfig()
    {
        var path = Path.Combine(_pki.Root, "central-crash.json");
        File.WriteAllText(path, JsonSerializer.Serialize(new { Central = _pki.CentralOptions() }));
        return path;
    }

    private sealed record StartedCentral(RunningProcess Central, Uri Address) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Central.DisposeAsync();
    }
}
