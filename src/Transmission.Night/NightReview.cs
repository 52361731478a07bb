using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using Transmission.Cli;
using Transmission.Contracts.V1;
using Transmission.Grpc;

namespace Transmission.Night;

/// <summary>
/// The verifiers' part of the demonstration night, over the Review service with verifier-1's certificate: the queue as
/// a verifier sees it, a scripted verifier that accepts most clean protocols (a demonstration only: a real verifier
/// decides each one, on the dashboard or with transmission-verifier) and leaves the flagged ones for a human, and
/// timings of the totals and exports on this night's data.
/// </summary>
internal sealed class NightReview(Uri central, string verifierFolder, string outputFolder, TextWriter output)
{
    /// <summary>Every this-many'th clean protocol is left pending, so provisional and certified totals differ.</summary>
    private const int LeavePendingEvery = 5;

    private const int TotalsCalls = 20;

    public async Task<bool> RunAsync(CancellationToken cancellationToken)
    {
        using var certificate = KeyFiles.LoadTlsCertificate(Path.Combine(verifierFolder, "tls.cert.pem"), Path.Combine(verifierFolder, "tls.key.pem"));
        using var root = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(verifierFolder, "ca.cert.pem"));
        using var channel = GrpcChannel.ForAddress(central, new GrpcChannelOptions { ClientCertificate = certificate, TrustedRoots = [root] });
        await output.WriteLineAsync();
        await output.WriteLineAsync("== Review (verifier-1 over the Review service)");

        var pending = await ListAsync(channel, new ListSubmissionsRequest { State = ReviewState.Pending, PageSize = 500 }, cancellationToken);
        var flagged = pending.Where(s => s.Flags.Count > 0).ToList();
        await output.WriteLineAsync($"  queue:      {pending.Count} pending, {flagged.Count} of them flagged");
        foreach (var row in flagged.Take(5))
        {
            await output.WriteLineAsync($"    {row.StationCode} r{row.Revision}: {string.Join("; ", row.Flags.Select(f => f.Message))}");
        }

        var accepted = 0;
        var refused = 0;
        var clean = pending.Where(s => s.Flags.Count == 0).ToList();
        for (var i = 0; i < clean.Count; i++)
        {
            if (i % LeavePendingEvery == LeavePendingEvery - 1)
            {
                continue;
            }

            try
            {
                await channel.AsyncUnaryCall(ReviewMethods.Decide, new DecideRequest
                {
                    EnvelopeSha256 = clean[i].EnvelopeSha256,
                    Decision = Decision.Accept,
                    Reason = "Demonstration night: scripted acceptance of an unflagged protocol.",
                }, Deadline(cancellationToken)).ResponseAsync;
                accepted++;
            }
            catch (RpcException ex)
            {
                refused++;
                await output.WriteLineAsync($"  decision on {clean[i].StationCode} refused: {ex.Status.Detail}");
            }
        }

        await output.WriteLineAsync($"  scripted:   accepted {accepted} clean protocols (demonstration only); {clean.Count - accepted - refused} clean and {flagged.Count} flagged left pending for the dashboard");

        var times = new List<double>(TotalsCalls);
        Totals totals = null!;
        for (var i = 0; i < TotalsCalls; i++)
        {
            var started = Stopwatch.GetTimestamp();
            totals = await channel.AsyncUnaryCall(ReviewMethods.GetTotals, new GetTotalsRequest(), Deadline(cancellationToken)).ResponseAsync;
            times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        times.Sort();
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"  totals:     {totals.StationsReported} of {totals.StationsRegistered} stations reported, {totals.StationsCertified} certified, {totals.EventsApplied} log entries; GetTotals over mTLS: median {times[times.Count / 2]:F1} ms, max {times[^1]:F1} ms ({TotalsCalls} calls)"));
        foreach (var contest in totals.Contests.Take(1))
        {
            foreach (var (provisional, certified) in contest.Provisional.Zip(contest.Certified).Take(4))
            {
                await output.WriteLineAsync($"    {contest.ContestId} {provisional.ChoiceId}: provisional {provisional.Votes:N0}, certified {certified.Votes:N0}");
            }
        }

        foreach (var (kind, format) in new[] { (ExportKind.Stations, ExportFormat.Csv), (ExportKind.Totals, ExportFormat.Csv), (ExportKind.Stations, ExportFormat.Json) })
        {
            var started = Stopwatch.GetTimestamp();
            var (name, bytes) = await ExportAsync(channel, kind, format, cancellationToken);
            var path = Path.Combine(outputFolder, name);
            await File.WriteAllBytesAsync(path, bytes, cancellationToken);
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"  export:     {Path.GetRelativePath(Directory.GetCurrentDirectory(), path)} ({bytes.Length:N0} bytes) in {Stopwatch.GetElapsedTime(started).TotalMilliseconds:F0} ms"));
        }

        return refused == 0;
    }

    private static CallOptions Deadline(CancellationToken cancellationToken) => new(Deadline: DateTime.UtcNow.AddMinutes(1), CancellationToken: cancellationToken);

    private static async Task<List<SubmissionSummary>> ListAsync(GrpcChannel channel, ListSubmissionsRequest request, CancellationToken cancellationToken)
    {
        var rows = new List<SubmissionSummary>();
        do
        {
            var page = await channel.AsyncUnaryCall(ReviewMethods.ListSubmissions, request, Deadline(cancellationToken)).ResponseAsync;
            rows.AddRange(page.Submissions);
            request = new ListSubmissionsRequest(request) { PageToken = page.NextPageToken };
        }
        while (request.PageToken.Length > 0);
        return rows;
    }

    private static async Task<(string Name, byte[] Bytes)> ExportAsync(GrpcChannel channel, ExportKind kind, ExportFormat format, CancellationToken cancellationToken)
    {
        using var call = channel.AsyncServerStreamingCall(ReviewMethods.Export, new ExportRequest { Kind = kind, Format = format }, Deadline(cancellationToken));
        using var buffer = new MemoryStream();
        var name = "export";
        while (await call.ResponseStream.MoveNext(cancellationToken))
        {
            if (call.ResponseStream.Current.FileName.Length > 0)
            {
                name = call.ResponseStream.Current.FileName;
            }

            call.ResponseStream.Current.Data.WriteTo(buffer);
        }

        return (name, buffer.ToArray());
    }
}
