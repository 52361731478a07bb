using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Channels;
using Google.Protobuf;
using Transmission.Contracts.Receipts;
using Transmission.Contracts.V1;
using Transmission.Core.Envelope;
using Transmission.Core.Pki;
using Transmission.Grpc;

namespace Transmission.LoadDriver;

/// <summary>What one ingestion phase did: counts, latencies (send → verified receipt) and failures by reason.</summary>
internal sealed class IngestionOutcome
{
    public long Receipted;
    public long Released;
    public long Retries;
    public readonly ConcurrentDictionary<string, long> Failures = new(StringComparer.Ordinal);
    public readonly ConcurrentBag<double[]> LatencyBatches = [];
    public TimeSpan Elapsed;

    public void Fail(string reason) => Failures.AddOrUpdate(reason, 1, (_, n) => n + 1);

    public double[] SortedLatenciesMs()
    {
        var all = LatencyBatches.SelectMany(b => b).ToArray();
        Array.Sort(all);
        return all;
    }
}

/// <summary>
/// Drives stations against Central as stations do: open a mutual-TLS HTTP/2 connection with the station's own TLS
/// certificate, Submit the pre-signed envelope(s), check each receipt with <see cref="Receipts.VerifyFor"/>.
/// </summary>
internal sealed class Ingestion(Uri central, X509Certificate2 root, bool verifyReceipts)
{
    private const int MaxAttempts = 8;
    private readonly EnvelopeVerifier _receiptVerifier = new(new ElectionTrust(root), new SignerCertificateCache(capacity: 16));

    /// <summary>
    /// The night: every station on its own connection (handshake, Submit, receipt, close), <paramref name="concurrency"/>
    /// stations at a time. Latency runs from the start of the station's connection to its verified receipt. With
    /// <paramref name="releaseFor"/>, no station is released (queued) after that long; the ones released finish.
    /// </summary>
    public async Task<IngestionOutcome> NightAsync(IngestionOutcome outcome, IEnumerable<CachedStation> stations, int concurrency, TimeSpan? releaseFor, Action<long>? progress, CancellationToken cancellationToken)
    {
        var queue = Channel.CreateBounded<CachedStation>(new BoundedChannelOptions(concurrency * 4) { SingleWriter = true });
        var watch = Stopwatch.StartNew();
        var producer = Task.Run(async () =>
        {
            foreach (var station in stations)
            {
                if (releaseFor is { } cap && watch.Elapsed >= cap)
                {
                    break;
                }

                await queue.Writer.WriteAsync(station, cancellationToken);
                Interlocked.Increment(ref outcome.Released);
            }

            queue.Writer.Complete();
        }, cancellationToken);
        var workers = Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            var latencies = new List<double>();
            await foreach (var station in queue.Reader.ReadAllAsync(cancellationToken))
            {
                for (var attempt = 1; ; attempt++)
                {
                    var started = Stopwatch.GetTimestamp();
                    var failure = await SubmitOnOwnConnectionAsync(station, cancellationToken);
                    if (failure is null)
                    {
                        latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                        var n = Interlocked.Increment(ref outcome.Receipted);
                        progress?.Invoke(n);
                        break;
                    }

                    if (attempt == MaxAttempts || failure.StartsWith("refused", StringComparison.Ordinal) || failure.StartsWith("receipt", StringComparison.Ordinal))
                    {
                        outcome.Fail(failure);
                        break;
                    }

                    // As a station does: back off exponentially with jitter and try again (a connection refused or timed
                    // out under load is not the end): 0.25-0.5 s, 0.5-1 s, ... up to 16-32 s.
                    Interlocked.Increment(ref outcome.Retries);
                    await Task.Delay(TimeSpan.FromMilliseconds(250 * Math.Pow(2, attempt - 1) * (1 + Random.Shared.NextDouble())), cancellationToken);
                }
            }

            outcome.LatencyBatches.Add([.. latencies]);
        }, cancellationToken)).ToList();
        await producer;
        await Task.WhenAll(workers);
        outcome.Elapsed = watch.Elapsed;
        return outcome;
    }

    private async Task<string?> SubmitOnOwnConnectionAsync(CachedStation station, CancellationToken cancellationToken)
    {
        try
        {
            using var certificate = StationIdentity.TlsCertificate(station);
            using var channel = GrpcChannel.ForAddress(central, new GrpcChannelOptions { ClientCertificate = certificate, TrustedRoots = [root] });
            using var call = channel.AsyncDuplexStreamingCall(TransmissionMethods.Submit, new CallOptions(
                Deadline: DateTime.UtcNow.AddMinutes(2), CancellationToken: cancellationToken));
            var envelope = station.Envelopes[0];
            await call.RequestStream.WriteAsync(new SubmitRequest { Start = new SubmissionStart { CorrelationId = "1", Envelope = ByteString.CopyFrom(envelope) } }, cancellationToken);
            await call.RequestStream.WriteAsync(new SubmitRequest { End = new SubmissionEnd { CorrelationId = "1" } }, cancellationToken);
            await call.RequestStream.CompleteAsync();
            if (!await call.ResponseStream.MoveNext(cancellationToken))
            {
                return "no response";
            }

            var failure = Check(call.ResponseStream.Current, station.Code, envelope, 1);
            while (await call.ResponseStream.MoveNext(cancellationToken))
            {
                // Drain to the trailers (status OK).
            }

            return failure;
        }
        catch (RpcException e)
        {
            return $"rpc {e.StatusCode}";
        }
        catch (HttpRequestException e)
        {
            return "connection: " + e.HttpRequestError;
        }
        catch (InvalidOperationException e) when (e.Message.StartsWith("Can't write the message", StringComparison.Ordinal))
        {
            // The call ended (UNAVAILABLE: the connection failed or the handshake timed out) before the envelope was written.
            return "call ended before the write";
        }
    }

    private string? Check(SubmitResponse response, string code, byte[] envelope, uint revision)
    {
        if (response.Receipt is null)
        {
            return $"refused {response.Rejection?.Code}";
        }

        if (!verifyReceipts)
        {
            return null;
        }

        var check = Receipts.VerifyFor(response.Receipt.Envelope.Span, _receiptVerifier, DateTimeOffset.UtcNow, envelope, code, revision);
        return check.IsValid ? null : $"receipt {check.ReasonCode}";
    }

    /// <summary>
    /// Ingestion over open station streams: each station keeps one connection and one Submit stream open and sends its
    /// revisions 1..R one after the other, writing ahead of the receipts. Latency runs from writing a protocol to its
    /// verified receipt.
    /// </summary>
    public async Task<IngestionOutcome> StreamsAsync(IngestionOutcome outcome, IReadOnlyList<CachedStation> stations, CancellationToken cancellationToken)
    {
        var channels = stations.Select(s =>
        {
            var certificate = StationIdentity.TlsCertificate(s);
            return (Station: s, Certificate: certificate, Channel: GrpcChannel.ForAddress(central, new GrpcChannelOptions { ClientCertificate = certificate, TrustedRoots = [root] }));
        }).ToList();
        try
        {
            // Connections are opened (and handshaken) before the clock starts: this phase measures ingestion only.
            await Task.WhenAll(channels.Select(async c =>
            {
                using var handshake = c.Channel.AsyncUnaryCall(TransmissionMethods.Handshake, new HandshakeRequest(), new CallOptions(Deadline: DateTime.UtcNow.AddMinutes(1), CancellationToken: cancellationToken));
                await handshake.ResponseAsync;
            }));

            var watch = Stopwatch.StartNew();
            await Task.WhenAll(channels.Select(c => Task.Run(() => OneStreamAsync(c.Station, c.Channel, outcome, cancellationToken), cancellationToken)));
            outcome.Elapsed = watch.Elapsed;
        }
        finally
        {
            foreach (var c in channels)
            {
                c.Channel.Dispose();
                c.Certificate.Dispose();
            }
        }

        return outcome;
    }

    private async Task OneStreamAsync(CachedStation station, GrpcChannel channel, IngestionOutcome outcome, CancellationToken cancellationToken)
    {
        var sentAt = new long[station.Envelopes.Count];
        var latencies = new List<double>(station.Envelopes.Count);
        using var call = channel.AsyncDuplexStreamingCall(TransmissionMethods.Submit, new CallOptions(
            Deadline: DateTime.UtcNow.AddMinutes(30), CancellationToken: cancellationToken));
        var writer = Task.Run(async () =>
        {
            for (var r = 0; r < station.Envelopes.Count; r++)
            {
                var id = (r + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
                Volatile.Write(ref sentAt[r], Stopwatch.GetTimestamp());
                await call.RequestStream.WriteAsync(new SubmitRequest { Start = new SubmissionStart { CorrelationId = id, Envelope = ByteString.CopyFrom(station.Envelopes[r]) } }, cancellationToken);
                await call.RequestStream.WriteAsync(new SubmitRequest { End = new SubmissionEnd { CorrelationId = id } }, cancellationToken);
            }

            await call.RequestStream.CompleteAsync();
        }, cancellationToken);
        try
        {
            while (await call.ResponseStream.MoveNext(cancellationToken))
            {
                var response = call.ResponseStream.Current;
                var r = int.Parse(response.CorrelationId, System.Globalization.CultureInfo.InvariantCulture) - 1;
                var failure = Check(response, station.Code, station.Envelopes[r], checked((uint)(r + 1)));
                if (failure is null)
                {
                    latencies.Add(Stopwatch.GetElapsedTime(Volatile.Read(ref sentAt[r])).TotalMilliseconds);
                    Interlocked.Increment(ref outcome.Receipted);
                }
                else
                {
                    outcome.Fail(failure);
                }
            }

            await writer;
        }
        catch (RpcException e)
        {
            outcome.Fail($"rpc {e.StatusCode}: {e.Status.Detail}");
        }

        outcome.LatencyBatches.Add([.. latencies]);
    }

    /// <summary>Polls Central's totals (Review.GetTotals as a verifier) until <paramref name="expected"/> stations have reported.</summary>
    public static async Task<(bool Reached, uint Reported)> WaitForReportedAsync(Uri central, X509Certificate2 root, X509Certificate2 verifier, long expected, TimeSpan timeout)
    {
        using var channel = GrpcChannel.ForAddress(central, new GrpcChannelOptions { ClientCertificate = verifier, TrustedRoots = [root] });
        var watch = Stopwatch.StartNew();
        uint reported = 0;
        while (watch.Elapsed < timeout)
        {
            using var call = channel.AsyncUnaryCall(ReviewMethods.GetTotals, new GetTotalsRequest(), new CallOptions(Deadline: DateTime.UtcNow.AddSeconds(30)));
            var totals = await call.ResponseAsync;
            reported = totals.StationsReported;
            if (reported >= expected)
            {
                return (true, reported);
            }

            await Task.Delay(50);
        }

        return (false, reported);
    }
}
