using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Google.Protobuf;
using Microsoft.EntityFrameworkCore;
using Transmission.Central.Storage;
using Transmission.Central.Tests.Hosting;
using Transmission.Central.Tests.Storage;
using Transmission.Central.Tests.Submission;
using Transmission.Contracts.V1;
using Transmission.Core.Log;
using Transmission.Grpc;
using Transmission.Testing;

namespace Transmission.Central.Tests.Scaling;

/// <summary>
/// Design §9: two built Central processes (same CA, election and signing key; two loopback ports, two data folders)
/// share one PostgreSQL database. Stations send to both at once; then one instance is SIGKILLed while stations are
/// streaming to it and they finish by re-sending to the survivor. Afterwards: one gap-free log, every checkpoint
/// consistent with the previous ones whichever instance signed it, no duplicate, every receipt a station holds
/// verifies and is byte for byte what the database keeps for that envelope.
/// </summary>
[Trait("Store", TestStore.PostgreSqlOnly)]
public sealed class TwoCentralsTests : IAsyncLifetime
{
    private const int Stations = 8;
    private const int Revisions = 4;
    private readonly DevelopmentPki _pki = new(Stations);
    private PostgreSqlTestDatabase? _database;

    public async Task InitializeAsync()
    {
        _database = TestStore.CreatePostgreSqlDatabase();
        await _pki.InitializeAsync();
    }

    public Task DisposeAsync()
    {
        _pki.Dispose();
        _database?.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task TwoCentralsOneDatabase_ConcurrentStationsThenOneKilled_OneGapFreeLogNothingLostNothingDuplicated()
    {
        var submitter = new StationSubmitter(_pki, null);
        var signed = _pki.Stations.ToDictionary(
            station => station,
            station => Enumerable.Range(1, Revisions).Select(revision => submitter.Sign(submitter.Protocol(station, revision))).ToArray(),
            StringComparer.Ordinal);
        var receipts = new ConcurrentDictionary<(string Station, int Revision), ByteString>();

        // Both start at once on the empty database, as nodes of one deployment do: migrations and the start-up
        // checkpoint must not trip over each other.
        var starting = new[] { StartAsync("a"), StartAsync("b") };
        await using var a = await starting[0];
        await using var b = await starting[1];

        // 1. Both alive: revisions 1 and 2 of every station, each to the instance (station + revision) picks, all stations
        // at once; revision 1 then goes again to the other instance (a retry through the load balancer): same receipt.
        await Task.WhenAll(_pki.Stations.Select((station, s) => Task.Run(async () =>
        {
            for (var revision = 1; revision <= 2; revision++)
            {
                var target = (s + revision) % 2 == 0 ? a : b;
                var result = await SubmitAsync(target, station, signed[station][revision - 1], revision);
                receipts[(station, revision)] = Assert.Single(result.Responses).Receipt.Envelope;
            }

            var again = await SubmitAsync((s + 1) % 2 == 0 ? b : a, station, signed[station][0], 1);
            Assert.Equal(receipts[(station, 1)], Assert.Single(again.Responses).Receipt.Envelope);
        }))).DefaultTimeout();

        // 2. Every station streams revisions 3..Revisions-1 to instance a, which is SIGKILLed once a few receipts are back;
        // each station writes its last revision only after the kill, so at least that one is always left to re-send.
        var phaseTwo = 0;
        var killed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await Task.WhenAll(_pki.Stations.Select(station => Task.Run(async () =>
        {
            using var channel = StationSubmitter.ChannelTo(a.Address, _pki.StationDir(station));
            using var call = channel.AsyncDuplexStreamingCall(TransmissionMethods.Submit);
            var reading = Task.Run(async () =>
            {
                try
                {
                    while (await call.ResponseStream.MoveNext(CancellationToken.None))
                    {
                        var response = call.ResponseStream.Current;
                        receipts[(station, int.Parse(response.CorrelationId, CultureInfo.InvariantCulture))] = response.Receipt.Envelope;
                        if (Interlocked.Increment(ref phaseTwo) == Stations / 2)
                        {
                            // SIGKILL: no shutdown, no flush, as a crashed node looks to the load balancer.
                            a.Central.Process.Kill();
                            // One waiter only: several concurrent WaitForExitAsync calls on this Process hung here.
                            a.Central.Process.WaitForExit();
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
                for (var revision = 3; revision <= Revisions; revision++)
                {
                    if (revision == Revisions)
                    {
                        await killed.Task.DefaultTimeout();
                    }

                    foreach (var item in signed[station][revision - 1].Items(revision.ToString(CultureInfo.InvariantCulture)))
                    {
                        await call.RequestStream.WriteAsync(item).DefaultTimeout();
                    }
                }

                await call.RequestStream.CompleteAsync().DefaultTimeout();
            }
            catch (Exception e) when (e is RpcException or IOException or InvalidOperationException or OperationCanceledException)
            {
                // Writing fails once the instance is gone.
            }

            await reading.DefaultTimeout();
        }))).DefaultTimeout();
        await a.Central.Process.WaitForExitAsync().DefaultTimeout();
        var heldBeforeResend = receipts.Count;
        Assert.InRange(heldBeforeResend, (Stations * 2) + (Stations / 2), Stations * (Revisions - 1));
        Assert.DoesNotContain(receipts.Keys, k => k.Revision == Revisions);

        // 3. Each station re-sends, in order, every revision it holds no receipt for, to the surviving instance.
        await Task.WhenAll(_pki.Stations.Select(station => Task.Run(async () =>
        {
            for (var revision = 3; revision <= Revisions; revision++)
            {
                if (!receipts.ContainsKey((station, revision)))
                {
                    var result = await SubmitAsync(b, station, signed[station][revision - 1], revision);
                    receipts[(station, revision)] = Assert.Single(result.Responses).Receipt.Envelope;
                }
            }
        }))).DefaultTimeout();

        // Every receipt verifies as the station checks it, and is what the survivor returns for that envelope.
        Assert.Equal(Stations * Revisions, receipts.Count);
        foreach (var ((station, revision), receipt) in receipts)
        {
            var protocol = signed[station][revision - 1];
            Assert.True(submitter.VerifyReceipt(new SubmitResponse { Receipt = new Receipt { Envelope = receipt } }, protocol).IsValid, $"{station} r{revision}");
            using var channel = StationSubmitter.ChannelTo(b.Address, _pki.StationDir(station));
            var stored = await channel.AsyncUnaryCall(TransmissionMethods.GetReceipt,
                new GetReceiptRequest { EnvelopeSha256 = ByteString.CopyFrom(protocol.EnvelopeSha256) }).ResponseAsync.DefaultTimeout();
            Assert.Equal(receipt, stored.Receipt.Envelope);
        }

        await using var db = new CentralDbContext(PostgreSqlDatabase.CreateOptions(_database!.ConnectionString));
        var submissions = await db.Submissions.AsNoTracking().ToListAsync().DefaultTimeout();
        Assert.Equal(Stations * Revisions, submissions.Count);
        Assert.Equal(Stations * Revisions, submissions.Select(s => Convert.ToHexString(s.PayloadSha256)).Distinct().Count());
        Assert.All(submissions, s => Assert.Equal(SubmissionStatus.Accepted, s.Status));

        // One gap-free log: the submissions, plus any revocation entries (none here).
        var leaves = await db.LogEntries.AsNoTracking().OrderBy(e => e.Index).Select(e => new { e.Index, e.EntrySha256 }).ToListAsync().DefaultTimeout();
        Assert.Equal(Enumerable.Range(0, Stations * Revisions).Select(i => (long)i), leaves.Select(l => l.Index));
        var tree = new MerkleTree();
        foreach (var leaf in leaves)
        {
            tree.AppendLeafHash(leaf.EntrySha256);
        }

        // Checkpoints from both instances form one history: each has the tree's root at its size and is consistent with
        // the one before it.
        var checkpoints = await db.Checkpoints.AsNoTracking().OrderBy(c => c.TreeSize).ToListAsync().DefaultTimeout();
        Assert.Equal(Stations * Revisions, checkpoints[^1].TreeSize);
        CheckpointRow? previous = null;
        foreach (var checkpoint in checkpoints)
        {
            Assert.Equal(tree.Root(checkpoint.TreeSize), checkpoint.RootHash);
            if (previous is not null)
            {
                Assert.True(MerkleProofs.VerifyConsistency(previous.TreeSize, checkpoint.TreeSize, tree.ConsistencyProof(previous.TreeSize, checkpoint.TreeSize), previous.RootHash, checkpoint.RootHash).IsValid);
            }

            previous = checkpoint;
        }

        Assert.Equal(0, await b.Central.TerminateAsync());
    }

    private static async Task<SubmitResult> SubmitAsync(StartedCentral central, string station, SignedProtocol protocol, int revision)
    {
        using var channel = StationSubmitter.ChannelTo(central.Address, central.StationDir(station));
        var result = await StationSubmitter.SubmitAsync(channel, protocol.Items(revision.ToString(CultureInfo.InvariantCulture)));
        // As the station's outbox does: UNAVAILABLE (the log's lock not free within BusyTimeout on a loaded machine)
        // means send again; a bounded number of times here.
        for (var attempt = 1; attempt < 5 && result.Error is { StatusCode: StatusCode.Unavailable }; attempt++)
        {
            await Task.Delay(500);
            result = await StationSubmitter.SubmitAsync(channel, protocol.Items(revision.ToString(CultureInfo.InvariantCulture)));
        }

        Assert.True(result.Error is null, $"{station} r{revision}: {result.Error}\n{central.Central.Output}");
        return result;
    }

    private async Task<StartedCentral> StartAsync(string name)
    {
        var options = _pki.CentralOptions();
        options.DataDirectory = Path.Combine(_pki.Root, "central-" + name);
        options.Storage = new StorageOptions { Provider = StorageProvider.PostgreSql, ConnectionString = _database!.ConnectionString };
        var config = Path.Combine(_pki.Root, $"central-{name}.json");
        File.WriteAllText(config, JsonSerializer.Serialize(new { Central = options }));
        var ready = Path.Combine(_pki.Root, $"ready-{name}.url");
        var process = BuiltExecutable.Start("transmission-central", _pki.Root, "serve", "--config", config, "--ready-file", ready);
        // Three default timeouts: two processes start and migrate at once, on a machine shared with other builds.
        var deadline = DateTime.UtcNow + (3 * TestTimeouts.Default);
        while (DateTime.UtcNow < deadline)
        {
            if (File.Exists(ready) && File.ReadAllText(ready).Trim() is { Length: > 0 } url)
            {
                return new StartedCentral(process, new Uri(url.Replace("127.0.0.1", "localhost", StringComparison.Ordinal)), _pki);
            }

            Assert.False(process.Process.HasExited, "Central exited early:\n" + process.Output);
            await Task.Delay(100);
        }

        var output = process.Output;
        await process.DisposeAsync();
        throw new TimeoutException($"Central {name} did not write its ready file:\n{output}");
    }

    private sealed record StartedCentral(RunningProcess Central, Uri Address, DevelopmentPki Pki) : IAsyncDisposable
    {
        public string StationDir(string station) => Pki.StationDir(station);

        public ValueTask DisposeAsync() => Central.DisposeAsync();
    }
}
