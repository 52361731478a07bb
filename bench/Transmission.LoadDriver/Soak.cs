using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using Google.Protobuf;
using Transmission.Contracts.V1;
using Transmission.Core.Envelope;
using Transmission.Core.Pki;
using Transmission.Contracts.Receipts;
using Transmission.Grpc;

namespace Transmission.LoadDriver;

/// <summary>One sample of Central's process over a soak: resident memory, open file descriptors, threads.</summary>
internal sealed record SoakSample(double Seconds, long RssBytes, int Handles, int Threads, long Receipted, long Decisions, double CpuSeconds);

/// <summary>How a resource moved over a soak, after the warm-up (see <see cref="Soak.Judge"/>).</summary>
internal sealed record SoakTrend(string Resource, double Start, double End, double Max, double Growth, double Allowed, bool Flat);

/// <summary>What the soak did and whether Central's resources stayed flat.</summary>
internal sealed class SoakOutcome
{
    public List<SoakSample> Samples { get; } = [];

    public ConcurrentDictionary<string, long> Failures { get; } = new();

    public long Receipted;

    public long Duplicates;

    public long Sessions;

    public long Abandoned;

    public long Decisions;

    public long DecisionsRefused;

    public void Fail(string reason) => Failures.AddOrUpdate(reason, 1, (_, n) => n + 1);
}

/// <summary>
/// The soak (issue 7): a long night against one Central. Stations join (their own mTLS connection), send their next
/// revision or two (corrections) and sometimes resend one already receipted (a station that lost its receipt), then
/// leave; a verifier reviews the queue (accepting and rejecting) all the while; Central's memory, open handles and
/// threads are sampled from /proc over the whole run and judged flat or growing.
/// </summary>
internal sealed class Soak(CentralProcess central, X509Certificate2 root, X509Certificate2 verifier)
{
    private readonly EnvelopeVerifier _receiptVerifier = new(new ElectionTrust(root), new SignerCertificateCache(capacity: 64));

    public async Task<SoakOutcome> RunAsync(IReadOnlyList<CachedStation> stations, int workers, double protocolsPerSecond, TimeSpan duration, TimeSpan sampleEvery, TextWriter log)
    {
        var outcome = new SoakOutcome();
        using var stop = new CancellationTokenSource(duration);
        var watch = Stopwatch.StartNew();
        var next = new int[stations.Count];
        var sampler = Task.Run(async () =>
        {
            log.WriteLine("  seconds   rss MiB  handles  threads  receipted  decisions");
            while (true)
            {
                var sample = Sample(watch.Elapsed.TotalSeconds, outcome);
                outcome.Samples.Add(sample);
                log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {sample.Seconds,7:F0}  {sample.RssBytes / 1048576.0,8:F1}  {sample.Handles,7}  {sample.Threads,7}  {sample.Receipted,9}  {sample.Decisions,9}"));
                if (stop.IsCancellationRequested)
                {
                    return;
                }

                try
                {
                    await Task.Delay(sampleEvery, stop.Token);
                }
                catch (OperationCanceledException)
                {
                    // One last sample at the end of the run.
                }
            }
        });

        // Each worker owns the stations whose index it is congruent to, so one station never sends twice at once and
        // its revisions go out in order. The pace spreads the target rate over the workers: a visit sends 1.35 new
        // protocols on average (nine in ten send one or two, one in ten resends an old one).
        var pause = TimeSpan.FromSeconds(workers * 1.35 / protocolsPerSecond);
        var stationWorkers = Enumerable.Range(0, workers).Select(w => Task.Run(async () =>
        {
            var random = new Random(w);
            var mine = Enumerable.Range(0, stations.Count).Where(i => i % workers == w).ToArray();
            while (!stop.IsCancellationRequested && mine.Length > 0)
            {
                var index = mine[random.Next(mine.Length)];
                await SessionAsync(stations[index], next, index, random, outcome);
                await Delay(pause * (0.5 + random.NextDouble()), stop.Token);
            }
        })).ToList();
        var reviewer = Task.Run(() => ReviewAsync(outcome, stop.Token));

        await Task.WhenAll(stationWorkers);
        await reviewer;
        await sampler;
        return outcome;
    }

    /// <summary>
    /// One station's visit: join, send one or two new revisions (or resend an old one), leave. One visit in twenty
    /// leaves abruptly after writing, without waiting for the receipt (the station comes back for it later).
    /// </summary>
    private async Task SessionAsync(CachedStation station, int[] next, int index, Random random, SoakOutcome outcome)
    {
        var sent = next[index];
        var batch = new List<int>();
        if (sent > 0 && random.Next(10) == 0)
        {
            batch.Add(random.Next(sent));
        }
        else
        {
            for (var k = 0; k < 1 + random.Next(2) && sent + k < station.Envelopes.Count; k++)
            {
                batch.Add(sent + k);
            }
        }

        if (batch.Count == 0)
        {
            return;
        }

        Interlocked.Increment(ref outcome.Sessions);
        try
        {
            using var certificate = StationIdentity.TlsCertificate(station);
            using var channel = GrpcChannel.ForAddress(central.Address, new GrpcChannelOptions { ClientCertificate = certificate, TrustedRoots = [root] });
            using var call = channel.AsyncDuplexStreamingCall(TransmissionMethods.Submit, new CallOptions(Deadline: DateTime.UtcNow.AddMinutes(2)));
            foreach (var r in batch)
            {
                var id = r.ToString(CultureInfo.InvariantCulture);
                await call.RequestStream.WriteAsync(new SubmitRequest { Start = new SubmissionStart { CorrelationId = id, Envelope = ByteString.CopyFrom(station.Envelopes[r]) } }, CancellationToken.None);
                await call.RequestStream.WriteAsync(new SubmitRequest { End = new SubmissionEnd { CorrelationId = id } }, CancellationToken.None);
            }

            if (random.Next(20) == 0)
            {
                Interlocked.Increment(ref outcome.Abandoned);
                return;
            }

            await call.RequestStream.CompleteAsync();
            while (await call.ResponseStream.MoveNext(CancellationToken.None))
            {
                var response = call.ResponseStream.Current;
                var r = int.Parse(response.CorrelationId, CultureInfo.InvariantCulture);
                if (response.Receipt is null)
                {
                    outcome.Fail($"refused {response.Rejection?.Code}");
                    continue;
                }

                var check = Receipts.VerifyFor(response.Receipt.Envelope.Span, _receiptVerifier, DateTimeOffset.UtcNow, station.Envelopes[r], station.Code, checked((uint)(r + 1)));
                if (!check.IsValid)
                {
                    outcome.Fail($"receipt {check.ReasonCode}");
                }
                else if (r < sent)
                {
                    Interlocked.Increment(ref outcome.Duplicates);
                }
                else
                {
                    Interlocked.Increment(ref outcome.Receipted);
                }
            }

            next[index] = Math.Max(sent, batch.Max() + 1);
        }
        catch (RpcException e)
        {
            // As a station would, it comes back later and sends what has no receipt yet.
            outcome.Fail($"rpc {e.StatusCode}");
        }
        catch (HttpRequestException e)
        {
            outcome.Fail("connection: " + e.HttpRequestError);
        }
    }

    /// <summary>The verifier: every few seconds, decide on some of the queue (mostly accept, some reject).</summary>
    private async Task ReviewAsync(SoakOutcome outcome, CancellationToken stop)
    {
        var random = new Random(7);
        using var channel = GrpcChannel.ForAddress(central.Address, new GrpcChannelOptions { ClientCertificate = verifier, TrustedRoots = [root] });
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var pending = await channel.AsyncUnaryCall(ReviewMethods.ListSubmissions, new ListSubmissionsRequest { State = ReviewState.Pending, PageSize = 50 },
                    new CallOptions(Deadline: DateTime.UtcNow.AddSeconds(60))).ResponseAsync;
                foreach (var row in pending.Submissions.Take(20))
                {
                    var reject = random.Next(5) == 0;
                    try
                    {
                        await channel.AsyncUnaryCall(ReviewMethods.Decide, new DecideRequest
                        {
                            EnvelopeSha256 = row.EnvelopeSha256,
                            Decision = reject ? Decision.Reject : Decision.Accept,
                            Reason = reject ? "Soak: scripted rejection." : "Soak: scripted acceptance.",
                        }, new CallOptions(Deadline: DateTime.UtcNow.AddSeconds(60))).ResponseAsync;
                        Interlocked.Increment(ref outcome.Decisions);
                    }
                    catch (RpcException)
                    {
                        // Superseded by a newer revision or decided already: the queue moved on, as it does at night.
                        Interlocked.Increment(ref outcome.DecisionsRefused);
                    }
                }
            }
            catch (RpcException e)
            {
                outcome.Fail($"review rpc {e.StatusCode}");
            }

            await Delay(TimeSpan.FromSeconds(2), stop);
        }
    }

    private SoakSample Sample(double seconds, SoakOutcome outcome) =>
        new(seconds, central.RssBytes(), central.Handles(), central.Threads(), Interlocked.Read(ref outcome.Receipted), Interlocked.Read(ref outcome.Decisions), central.CpuSeconds());

    /// <summary>
    /// Flat means: after the first fifth of the run (warm-up: JIT, pools, caches filling), the mean of the last fifth
    /// of the samples is within the allowance of the mean of the second fifth (memory: 15 % and at least 32 MiB;
    /// handles and threads: 16 each). A leak of one handle or thread per session, or memory that keeps every protocol,
    /// fails this over 30 minutes; noise from GC and the thread pool does not.
    /// </summary>
    public static IReadOnlyList<SoakTrend> Judge(IReadOnlyList<SoakSample> samples)
    {
        if (samples.Count < 10)
        {
            return [];
        }

        var fifth = samples.Count / 5;
        var early = samples.Skip(fifth).Take(fifth).ToList();
        var late = samples.Skip(samples.Count - fifth).ToList();
        SoakTrend Trend(string name, Func<SoakSample, double> value, Func<double, double> allowance)
        {
            var start = early.Average(value);
            var end = late.Average(value);
            var allowed = allowance(start);
            return new SoakTrend(name, start, end, samples.Max(value), end - start, allowed, end - start <= allowed);
        }

        return
        [
            Trend("rssMiB", s => s.RssBytes / 1048576.0, start => Math.Max(32, start * 0.15)),
            Trend("handles", s => s.Handles, _ => 16),
            Trend("threads", s => s.Threads, _ => 16),
        ];
    }

    private static async Task Delay(TimeSpan delay, CancellationToken stop)
    {
        try
        {
            await Task.Delay(delay, stop);
        }
        catch (OperationCanceledException)
        {
            // The soak's time is up.
        }
    }
}
