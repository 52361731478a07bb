using Microsoft.Extensions.DependencyInjection;
using Transmission.Central.Review;
using Transmission.Central.Tests.Hosting;
using Transmission.Central.Tests.Review;
using Transmission.Central.Tests.Submission;
using Transmission.Contracts.V1;
using Domain = Transmission.Core.Protocol;

namespace Transmission.Central.Tests.Dashboard;

/// <summary>
/// A real Central with <see cref="StationCount"/> stations and a real Chromium, for the dashboard's review pages. The
/// fixture first gives the election a plausible election-night state through the real services (stations that
/// reported, accepted, rejected, sent back for recount, flagged, corrected; others silent), so the pages and their
/// screenshots show something to read. Stations <see cref="TestStations"/> are left alone for the tests: each test
/// uses its own, so no test depends on another's data.
/// </summary>
public sealed class ReviewBrowserCentral : BrowserCentral
{
    /// <summary>40 stations over the generator's 38 municipalities.</summary>
    public const int StationCount = 40;

    /// <summary>The verifier's identity in its certificate.</summary>
    public const string VerifierUri = "urn:transmission:verifier:verifier-1";

    public ReviewBrowserCentral()
        : base(new RunningCentral(new DevelopmentPki(StationCount)))
    {
    }

    /// <summary>ST-0001 to ST-0010: never touched by the fixture, one per test.</summary>
    public static IReadOnlyList<string> TestStations { get; } = [.. Enumerable.Range(1, 10).Select(i => $"ST-{i:D4}")];

    public ReviewBoard Board => Central.Services.GetRequiredService<ReviewBoard>();

    private StationSubmitter Submitter => new(Central);

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await SeedAsync();
    }

    /// <summary>A clean protocol of <paramref name="station"/> (SampleProtocols, seed 7 as the other review tests).</summary>
    internal Domain.ResultProtocol Protocol(string station, int revision = 1) => Submitter.Protocol(station, revision);

    /// <summary>
    /// <paramref name="clean"/> with one invalid ballot more than the form's used count allows
    /// (VALID_INVALID_NOT_USED), the chair's explanation, and <paramref name="scan"/> attached as a PNG.
    /// </summary>
    internal static Domain.ResultProtocol Flagged(Domain.ResultProtocol clean, byte[] scan) =>
        StationSubmitter.WithAttachments(clean, scan) with
        {
            Ballots = clean.Ballots with { Invalid = clean.Ballots.Invalid + 1 },
            Explanation = "One ballot was counted twice; the commission knows.",
        };

    /// <summary>Signs and submits <paramref name="protocol"/> as its station; asserts a receipt came back.</summary>
    internal async Task<SignedProtocol> SubmitAsync(Domain.ResultProtocol protocol, IReadOnlyList<byte[]>? attachments = null)
    {
        var submitter = Submitter;
        var signed = submitter.Sign(protocol, attachments);
        var result = await submitter.SubmitAsync(signed);
        Assert.Null(result.Error);
        Assert.Equal(SubmitResponse.OutcomeOneofCase.Receipt, result.Single().OutcomeCase);
        return signed;
    }

    /// <summary>A decision over the gRPC Review service with the verifier's certificate.</summary>
    internal async Task<DecideResponse> DecideAsync(SignedProtocol signed, Decision decision, string reason)
    {
        using var channel = Central.ChannelFor(Central.Pki.VerifierDir);
        return await ReviewCentral.Call(channel, ReviewMethods.Decide, new DecideRequest
        {
            EnvelopeSha256 = ReviewCentral.Sha(signed.EnvelopeSha256),
            Decision = decision,
            Reason = reason,
        });
    }

    /// <summary>The municipality of <paramref name="station"/> in the registry.</summary>
    public string MunicipalityOf(string station) => Central.Pki.Election.Stations.Single(s => s.Code == station).MunicipalityCode;

    // ST-0011..ST-0034 report; of those 14 are accepted, one rejected, one sent back for recount, one flagged and one
    // corrected after acceptance wait for review, the rest are pending and clean; ST-0035..ST-0040 stay silent.
    private async Task SeedAsync()
    {
        var reported = Enumerable.Range(11, 24).Select(i => $"ST-{i:D4}").ToList();
        var signed = new Dictionary<string, SignedProtocol>(StringComparer.Ordinal);
        foreach (var station in reported)
        {
            var protocol = Protocol(station);
            if (station == "ST-0027")
            {
                // More ballots received than used + unused + spoiled: BALLOTS_NOT_BALANCED, explained by the chair.
                protocol = protocol with
                {
                    Ballots = protocol.Ballots with { Received = protocol.Ballots.Received + 2 },
                    Explanation = "Two ballots were found unstamped in the box and set aside.",
                };
            }

            signed[station] = await SubmitAsync(protocol);
        }

        foreach (var station in reported.Take(14))
        {
            await DecideAsync(signed[station], Decision.Accept, "Numbers match the scanned form.");
        }

        await DecideAsync(signed["ST-0025"], Decision.Reject, "The form is signed by one member only; the scan is unreadable.");
        await DecideAsync(signed["ST-0026"], Decision.RequestRecount, "Votes for P03 differ from the scan by 10.");
        await DecideAsync(signed["ST-0028"], Decision.Accept, "Numbers match the scanned form.");
        await SubmitAsync(Protocol("ST-0028", revision: 2));
    }
}
