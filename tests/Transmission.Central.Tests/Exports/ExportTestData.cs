using System.Text;
using Transmission.Central.Exports;
using Transmission.Core.Election;
using Transmission.Core.Protocol;
using Transmission.Core.Review;
using Transmission.Core.Tabulation;
using Transmission.Testing;

namespace Transmission.Central.Tests.Exports;

/// <summary>
/// A tiny hand-written election (2 municipalities listed out of order, 3 stations, a party and a preference contest)
/// and a night on it whose every number is worked out by hand in the known-answer tests:
/// <list type="bullet">
/// <item>log 0: 01-0001-01 revision 1 (accepted at log 2);</item>
/// <item>log 1: 02-0001-01 revision 1 (pending; leaves the candidate out, so 0 votes);</item>
/// <item>log 3: 01-0001-01 revision 2, a correction (pending).</item>
/// </list>
/// 01-0001-02 does not report. Totals come from the real <see cref="Tabulator"/>.
/// </summary>
internal static class ExportTestData
{
    public const string DefinitionJson = """
        {
          "electionId": "xk-export-1",
          "name": "Export test",
          "mode": "test",
          "nightWindow": { "opensAt": "2025-12-28T19:00:00+01:00", "closesAt": "2025-12-29T07:00:00+01:00" },
          "contests": [
            { "id": "parties", "name": "Parties", "kind": "single-choice",
              "choices": [ { "id": "P01", "name": "Aleanca Qytetare" }, { "id": "P02", "name": "Lista e Gjelbër" } ] },
            { "id": "candidates", "name": "Candidates", "kind": "preference", "maxPreferences": 1,
              "choices": [ { "id": "P01-C01", "name": "Arben Berisha", "party": "P01" } ] }
          ],
          "municipalities": [
            { "code": "02", "name": "Prizren" },
            { "code": "01", "name": { "sq": "Prishtinë", "sr-Latn": "Priština" } }
          ],
          "stations": [
            { "code": "02-0001-01", "pollingCentre": { "sq": "Shkolla \"Migjeni\"", "en": "Migjeni school" }, "municipality": "02", "registeredVoters": 500 },
            { "code": "01-0001-01", "pollingCentre": "Shkolla \"Naim Frashëri\", Prishtinë", "municipality": "01", "registeredVoters": 800 },
            { "code": "01-0001-02", "pollingCentre": "Shkolla \"Naim Frashëri\", Prishtinë", "municipality": "01", "registeredVoters": 600 }
          ]
        }
        """;

    public const string Hash0 = "0c1f8e2a7d4b6c3e9f0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60";
    public const string Hash1 = "1d2e3f405162738495a6b7c8d9eaf00112233445566778899aabbccddeeff001";
    public const string Hash3 = "3a3b3c3d3e3f404142434445464748494a4b4c4d4e4f50515253545556575859";

    public static readonly DateTimeOffset Opens = new(2025, 12, 28, 19, 0, 0, TimeSpan.FromHours(1));

    public static ElectionDefinition Definition => Parse(DefinitionJson);

    public static ElectionDefinition Parse(string json)
    {
        var result = ElectionDefinition.Parse(Encoding.UTF8.GetBytes(json));
        Assert.True(result.IsSuccess, result.ToString());
        return result.Definition;
    }

    /// <summary>The night described on the type, as the read model would hand it over (stations in registry order).</summary>
    public static ExportData Night()
    {
        var definition = Definition;
        var a1 = Protocol(definition, "01-0001-01", 1, new BallotCounts(800, 810, 500, 305, 5, 10, 490), 300, 190, 120)
            with { SignedAt = Opens.AddMinutes(65) };
        var a2 = Protocol(definition, "01-0001-01", 2, new BallotCounts(800, 810, 500, 305, 5, 8, 492), 301, 191, 121)
            with { SignedAt = Opens.AddMinutes(190).AddTicks(4_567) };
        var b1 = Protocol(definition, "02-0001-01", 1, new BallotCounts(500, 505, 250, 253, 2, 5, 245), 100, 145, candidate: null)
            with { SignedAt = null };

        var tabulator = new Tabulator(definition);
        tabulator.Apply(new SubmissionAccepted("01-0001-01", 1, a1, []));
        tabulator.Apply(new SubmissionAccepted("02-0001-01", 1, b1, []));
        tabulator.Apply(new DecisionRecorded("01-0001-01", 1, ReviewState.Accepted));
        tabulator.Apply(new SubmissionAccepted("01-0001-01", 2, a2, []));

        // received_at in another offset than UTC on purpose: the export writes UTC.
        var stations = new List<StationExport>
        {
            new(StationOf(definition, "02-0001-01"),
            [
                new RevisionExport(1, ReviewState.Pending, true, false, Hash1, 1,
                    new DateTimeOffset(2025, 12, 28, 21, 40, 7, 9, TimeSpan.FromHours(1)), b1.SignedAt, b1),
            ]),
            new(StationOf(definition, "01-0001-01"),
            [
                new RevisionExport(2, ReviewState.Pending, true, false, Hash3.ToUpperInvariant(), 3,
                    new DateTimeOffset(2025, 12, 28, 21, 10, 30, 250, TimeSpan.Zero), a2.SignedAt, a2),
                new RevisionExport(1, ReviewState.Accepted, false, true, Hash0, 0,
                    new DateTimeOffset(2025, 12, 28, 20, 6, 0, 123, TimeSpan.FromHours(1)), a1.SignedAt, a1),
            ]),
        };
        return new ExportData(definition, 4, stations, tabulator.Snapshot());
    }

    public static StationEntry StationOf(ElectionDefinition definition, string code)
    {
        Assert.True(definition.TryGetStation(code, out var station));
        return station;
    }

    /// <summary>A protocol of the tiny definition's shape; a <see langword="null"/> candidate is left out of the protocol.</summary>
    public static ResultProtocol Protocol(ElectionDefinition definition, string station, int revision, BallotCounts ballots, long p01, long p02, long? candidate) =>
        new()
        {
            ElectionId = definition.ElectionId,
            DefinitionSha256 = definition.Sha256.ToArray(),
            Mode = definition.Mode,
            StationCode = station,
            Revision = revision,
            CorrectionReason = revision > 1 ? "recounted" : string.Empty,
            Ballots = ballots,
            Contests =
            [
                new ContestResult("parties", [new("P01", p01), new("P02", p02)]),
                new ContestResult("candidates", candidate is { } votes ? [new("P01-C01", votes)] : []),
            ],
        };

    public static async Task<byte[]> WriteAsync(ExportData data, ExportKind kind, ExportFormat format)
    {
        using var output = new MemoryStream();
        await ResultsExport.WriteAsync(data, kind, format, output, CancellationToken.None).DefaultTimeout();
        return output.ToArray();
    }

    public static async Task<string> WriteTextAsync(ExportData data, ExportKind kind, ExportFormat format) =>
        Encoding.UTF8.GetString(await WriteAsync(data, kind, format));
}
