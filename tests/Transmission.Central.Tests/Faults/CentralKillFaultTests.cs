using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Transmission.Central.Tests.Hosting;
using Transmission.Contracts.Receipts;
using Transmission.Core.Envelope;
using Transmission.Core.Pki;
using Transmission.Station.Outbox;
using Transmission.Station.Sending;
using Transmission.Testing;
using Xunit.Abstractions;
using StationOutbox = Transmission.Station.Outbox.Outbox;

namespace Transmission.Central.Tests.Faults;

/// <summary>
/// Issue 7, item 1 (design §11 "Central killed mid-stream"): an election night of <see cref="DefaultStations"/> stations
/// while the built Central is SIGKILLed <see cref="DefaultKills"/> times at random moments and started again each time
/// on the same data folder and port. The stations are the station's own sending code (<see cref="StationSender"/> over
/// each station's own folder, keys, outbox file and mutual-TLS channel), run in this process: they retry by themselves
/// with their own backoff; the test never re-sends for them. Afterwards the invariants of <see cref="FaultInvariants"/>
/// hold, and the auditor's offline verification of a bundle fetched from the last Central is clean with every checkpoint
/// any station was handed (across all the kills) as a saved checkpoint.
/// </summary>
/// <remarks>
/// Randomness is seeded and the seed is printed; a longer or different night: <c>TRANSMISSION_FAULT_SEED</c>,
/// <c>TRANSMISSION_FAULT_STATIONS</c>, <c>TRANSMISSION_FAULT_KILLS</c> (docs/reliability.md, "Fault injection").
/// </remarks>
public sealed class CentralKillFaultTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int DefaultStations = 1000;
    private const int DefaultKills = 20;

    // Stations sending at the same time (the rest wait their turn, as stations come in over an evening).
    private const int Concurrency = 64;

    private static readonly int Seed = Setting("TRANSMISSION_FAULT_SEED", RandomNumberGenerator.GetInt32(int.MaxValue));
    private static readonly int Stations = Setting("TRANSMISSION_FAULT_STATIONS", DefaultStations);
    private static readonly int Kills = Setting("TRANSMISSION_FAULT_KILLS", DefaultKills);

    private readonly DevelopmentPki _pki = new(Stations);

    public Task InitializeAsync() => _pki.InitializeAsync().DefaultTimeout(TimeSpan.FromMinutes(3));

    public Task DisposeAsync()
    {
        _pki.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Night_CentralKilledAtRandomAndRestarted_EveryReceiptStoredNoDuplicatesStationsFinishByThemselves()
    {
        output.WriteLine($"seed {Seed} (TRANSMISSION_FAULT_SEED={Seed} replays the kill schedule and the stations' jitter), {Stations} stations, {Kills} kills");
        var watch = Stopwatch.StartNew();
        var random = new Random(Seed);
        var stations = _pki.Stations.Select(code => (Code: code, Directory: _pki.StationDir(code))).ToList();
        await SignAllAsync(stations);
        output.WriteLine($"{watch.Elapsed.TotalSeconds:F1} s: {stations.Count} protocols signed into their outboxes (the PKI was made before)");

        await using var central = new FaultCentral(_pki);
        await central.StartAsync();

        // Each station: its own sender (outbox, channel, jitter seeded from the night's seed), sending until everything
        // it signed is receipted. Its events say which stations have a protocol on the wire at any moment.
        var inFlight = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        var outcomes = new ConcurrentDictionary<string, SendResult>(StringComparer.Ordinal);
        var retries = 0;
        var receipted = 0;
        // Stations come in over the evening: in Kills + 1 waves, the first at once and each next one right after a
        // restart, so the night is still going at every kill whatever the machine's speed.
        var waves = Enumerable.Range(0, Kills + 1).Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
        var waveSize = (Stations + Kills) / (Kills + 1);
        var released = 0;
        void Release(int wave)
        {
            Volatile.Write(ref released, Math.Min(Stations, (wave + 1) * waveSize));
            waves[wave].SetResult();
        }

        var night = Parallel.ForEachAsync(
            stations.Select((s, i) => (s.Code, s.Directory, Index: i)),
            new ParallelOptions { MaxDegreeOfParallelism = Concurrency },
            async (station, ct) =>
            {
                await waves[Math.Min(Kills, station.Index / waveSize)].Task;
                using var sender = FaultStations.Sender(_pki, station.Code, central.Address, Seed ^ station.Index);
                outcomes[station.Code] = await sender.SendAsync(
                    e =>
                    {
                        inFlight[station.Code] = e.Kind == SendEventKind.Sending;
                        if (e.Kind == SendEventKind.Receipted)
                        {
                            Interlocked.Increment(ref receipted);
                        }

                        if (e.Kind == SendEventKind.Retrying)
                        {
                            Interlocked.Increment(ref retries);
                        }
                    },
                    ct);
            });
        Release(0);

        // The kills. Each run of Central lasts until a random number of further receipts (1 to what the released
        // stations still wait for, less one) has reached the stations, so it dies while stations are sending and
        // batches are being received, verified and committed; it is SIGKILLed, stays down a random 0-500 ms (stations
        // meet a refused connection), and is started again on the same folder and port; then the next wave joins.
        var killedWithProtocolsOnTheWire = 0;
        var killedWithStationsWaiting = 0;
        var receiptedAtKills = new List<int>();
        for (var kill = 1; kill <= Kills; kill++)
        {
            var now = Volatile.Read(ref receipted);
            // At most a third of what the released stations still wait for: Central commits receipts in batches, and a
            // later target is often overtaken by one batch that receipts the whole wave.
            var target = now + random.Next(1, Math.Max(2, (Volatile.Read(ref released) - now) / 3));
            var deadline = DateTime.UtcNow + (2 * TestTimeouts.Default);
            while (Volatile.Read(ref receipted) < target)
            {
                Assert.True(DateTime.UtcNow < deadline, $"no progress before kill {kill}: {Volatile.Read(ref receipted)} receipted\n{central.Output}");
                Assert.False(night.IsCompleted, "the night ended early: " + night.Exception);
                await Task.Delay(5);
            }

            var onTheWire = inFlight.Count(p => p.Value);
            var waiting = Volatile.Read(ref released) - Volatile.Read(ref receipted);
            await central.KillAsync();
            killedWithStationsWaiting += waiting > 0 ? 1 : 0;
            killedWithProtocolsOnTheWire += onTheWire > 0 ? 1 : 0;
            receiptedAtKills.Add(Volatile.Read(ref receipted));
            await Task.Delay(TimeSpan.FromMilliseconds(random.Next(0, 500)));
            await central.StartAsync();
            Release(kill);
        }

        output.WriteLine($"{watch.Elapsed.TotalSeconds:F1} s: {Kills} kills done; {killedWithStationsWaiting} of them with released stations still waiting for a receipt, {killedWithProtocolsOnTheWire} with protocols on the wire; receipted at each kill: {string.Join(", ", receiptedAtKills)}");
        await night.DefaultTimeout(TimeSpan.FromMinutes(20));
        output.WriteLine($"{watch.Elapsed.TotalSeconds:F1} s: every station's sender returned; {retries} retries in all");

        Assert.Equal(Stations, outcomes.Count);
        Assert.All(outcomes, o => Assert.True(
            o.Value.Outcome == SendOutcome.AllReceipted,
            $"{o.Key}: {o.Value.Outcome}: " + string.Join(", ", o.Value.Items.Select(i => $"rev {i.Revision} {i.State} attempts {i.Attempts} {i.LastError}"))));
        Assert.True(killedWithProtocolsOnTheWire > 0, "no kill landed while a protocol was on the wire");
        // Every kill falls inside the night (later waves join only after it); most must also cut a wave short. A kill
        // that a batch overtook (the whole wave receipted at once) still kills a Central with stations to come.
        Assert.True(killedWithStationsWaiting >= Kills / 2, $"only {killedWithStationsWaiting} of {Kills} kills came while released stations waited");
        Assert.True(receiptedAtKills[^1] < Stations, "the last kill came after the night was over");

        // The auditor, offline, over a bundle from the last Central, holding every checkpoint the stations were handed
        // (signed by the many Central processes of the night): the log must be consistent with all of them.
        var saved = Path.Combine(_pki.Root, "station-checkpoints");
        var distinct = SaveReceiptCheckpoints(stations, saved);
        var bundle = Path.Combine(_pki.Root, "bundle");
        var fetch = await BuiltExecutable.Auditor("fetch", "--central", central.Address.ToString(), "--identity", _pki.AuditorDir, "--out", bundle, "--attachments");
        Assert.True(fetch.ExitCode == 0, fetch.ToString());
        var report = Path.Combine(_pki.Root, "audit.json");
        var verify = await BuiltExecutable.Auditor("verify", bundle, "--root", Path.Combine(_pki.Ca, "ca.cert.pem"), "--checkpoints", saved, "--json", report);
        Assert.True(verify.ExitCode == 0, verify.ToString());
        using (var json = JsonDocument.Parse(await File.ReadAllBytesAsync(report)))
        {
            Assert.Equal(0, json.RootElement.GetProperty("findings").GetArrayLength());
        }

        Assert.Equal(0, await central.StopAsync());
        var checkedProtocols = await FaultInvariants.AssertAsync(_pki, stations);
        Assert.Equal(Stations, checkedProtocols);
        Assert.Equal(Kills + 1, central.Starts);
        Assert.True(central.ErrorLines().Count == 0, string.Join('\n', central.ErrorLines()));
        output.WriteLine($"{watch.Elapsed.TotalSeconds:F1} s: {checkedProtocols} receipts checked against the database, audit clean with {distinct} saved checkpoints; nothing lost, nothing duplicated");
    }

    private async Task SignAllAsync(IReadOnlyList<(string Code, string Directory)> stations)
    {
        // Every tenth station sends a scan of its form with the numbers (several messages on the wire).
        var scan = RandomNumberGenerator.GetBytes(30_000);
        await Parallel.ForEachAsync(
            stations.Select((s, i) => (s.Code, Index: i)),
            new ParallelOptions { MaxDegreeOfParallelism = 2 },
            async (station, ct) => await FaultStations.SignAsync(_pki, station.Code, scan: station.Index % 10 == 0 ? scan : null))
            .DefaultTimeout(TimeSpan.FromMinutes(4));
    }

    /// <summary>Writes each distinct checkpoint note found in the stations' receipts to its own file; returns how many.</summary>
    private int SaveReceiptCheckpoints(IReadOnlyList<(string Code, string Directory)> stations, string folder)
    {
        Directory.CreateDirectory(folder);
        using var root = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(_pki.Ca, "ca.cert.pem"));
        var verifier = new EnvelopeVerifier(new ElectionTrust(root), new SignerCertificateCache());
        var notes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (code, directory) in stations)
        {
            using var outbox = StationOutbox.Open(directory, code, TimeProvider.System);
            foreach (var entry in outbox.Status().Where(e => e.HasReceipt))
            {
                var check = Receipts.Verify(outbox.ReadReceipt(entry.Revision)!, verifier, DateTimeOffset.UtcNow);
                notes.Add(check.Body!.Checkpoint.ToStringUtf8());
            }
        }

        var n = 0;
        foreach (var note in notes)
        {
            File.WriteAllText(Path.Combine(folder, $"checkpoint-{n++:D5}.txt"), note);
        }

        return notes.Count;
    }

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : fallback;
}
