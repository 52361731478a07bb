using System.Globalization;
using System.Text.Json;
using Transmission.Audit.Bundle;
using Transmission.Core.Election;
using Transmission.Core.Tabulation;
using CoreReviewState = Transmission.Core.Review.ReviewState;

namespace Transmission.Audit.Verification;

/// <summary>
/// Compares Central's published exports (docs/exports.md) with what the log gives: <c>totals.json</c> number by number
/// against the totals recomputed by Core's <see cref="Tabulator"/> from the verified protocols and allowed decisions,
/// and <c>stations.json</c> revision by revision (review state, counted flags, envelope hash, log index, times, numbers).
/// </summary>
internal sealed class PublishedCheck(BundleReader bundle, ElectionDefinition definition, LogReplay replay, long logSize, Findings findings, AuditCounts counts, int maxFindings)
{
    public void Run()
    {
        if (replay.Tabulator is { } tabulator && Read<TotalsFile>(BundlePaths.Totals) is { } totals)
        {
            var listed = new Listed(BundlePaths.Totals, findings, maxFindings);
            Provenance(BundlePaths.Totals, totals.ElectionId, totals.DefinitionSha256, totals.Mode, totals.LogSize);
            CompareTotals(totals, tabulator.Snapshot(), listed);
            listed.Close();
        }

        if (Read<StationsFile>(BundlePaths.Stations) is { } stations)
        {
            var listed = new Listed(BundlePaths.Stations, findings, maxFindings);
            Provenance(BundlePaths.Stations, stations.ElectionId, stations.DefinitionSha256, stations.Mode, stations.LogSize);
            CompareStations(stations, listed);
            listed.Close();
        }
    }

    private T? Read<T>(string path)
        where T : class
    {
        var bytes = bundle.ReadAllBytes(path);
        if (bytes is null)
        {
            return null;
        }

        try
        {
            var document = JsonSerializer.Deserialize<T>(bytes, BundleJson.Options) ?? throw new JsonException("The document is null.");
            return HasNullElement(document) ? throw new JsonException("A list has a null element.") : document;
        }
        catch (JsonException e)
        {
            findings.Add(ReportSection.Published, new AuditFinding(FindingCodes.PublishedMalformed, $"The file is not the documented JSON (docs/exports.md): {e.Message}") { Path = path });
            return null;
        }
    }

    // System.Text.Json checks nullability of properties, not of list elements.
    private static bool HasNullElement(object document) => document switch
    {
        TotalsFile totals => totals.Areas.Any(a => a is null || a.Contests.Any(c => c is null || c.Choices.Any(k => k is null))),
        StationsFile stations => stations.Stations.Any(s => s is null || s.Revisions.Any(r => r is null || r.Contests.Any(c => c is null || c.Choices.Any(k => k is null)))),
        _ => false,
    };

    private void Provenance(string path, string electionId, string definitionSha256, string mode, long publishedLogSize)
    {
        void Check(string field, string published, string expected)
        {
            if (!string.Equals(published, expected, StringComparison.Ordinal))
            {
                findings.Add(ReportSection.Published, new AuditFinding(FindingCodes.PublishedProvenanceMismatch,
                    $"{field} is '{EntryAnalyzer.Printable(published)}'; the bundle's is '{expected}'.") { Path = path });
            }
        }

        Check("electionId", electionId, definition.ElectionId);
        Check("definitionSha256", definitionSha256, definition.Sha256Hex);
        Check("mode", mode, definition.Mode.ToJsonName());
        Check("logSize", publishedLogSize.ToString(CultureInfo.InvariantCulture), logSize.ToString(CultureInfo.InvariantCulture));
    }

    private void CompareTotals(TotalsFile totals, TabulationSnapshot snapshot, Listed listed)
    {
        var expected = new List<(string Area, string? Code, AreaTally Provisional, AreaTally Certified)>
        {
            ("overall", null, snapshot.Provisional.Overall, snapshot.Certified.Overall),
        };
        for (var m = 0; m < snapshot.Provisional.Municipalities.Count; m++)
        {
            expected.Add(("municipality", snapshot.Provisional.Municipalities[m].MunicipalityCode, snapshot.Provisional.Municipalities[m], snapshot.Certified.Municipalities[m]));
        }

        var expectedKeys = expected.Select(e => $"{e.Area}/{e.Code}").ToList();
        var publishedKeys = totals.Areas.Select(a => $"{a.Area}/{a.MunicipalityCode}").ToList();
        if (!expectedKeys.SequenceEqual(publishedKeys, StringComparer.Ordinal))
        {
            listed.Add(FindingCodes.TotalsMismatch, $"The areas are not 'overall' and then every municipality of the definition by code ({expectedKeys.Count} areas expected, {publishedKeys.Count} published).");
        }

        var published = new Dictionary<string, TotalsArea>(StringComparer.Ordinal);
        foreach (var area in totals.Areas)
        {
            published.TryAdd($"{area.Area}/{area.MunicipalityCode}", area);
        }

        foreach (var (kind, code, provisional, certified) in expected)
        {
            var name = code is null ? "overall" : $"municipality {code}";
            if (!published.TryGetValue($"{kind}/{code}", out var area))
            {
                continue;
            }

            void Number(string field, long value, long recomputed)
            {
                counts.TotalsNumbersCompared++;
                if (value != recomputed)
                {
                    listed.Add(FindingCodes.TotalsMismatch, $"{name}: {field} is published as {N(value)}; the log gives {N(recomputed)}.");
                }
            }

            Number("stationsRegistered", area.StationsRegistered, provisional.StationsRegistered);
            Number("stationsReportedProvisional", area.StationsReportedProvisional, provisional.StationsReported);
            Number("stationsReportedCertified", area.StationsReportedCertified, certified.StationsReported);
            Number("registeredVoters", area.RegisteredVoters, provisional.RegisteredVotersAll);
            Number("ballotsUsedProvisional", area.BallotsUsedProvisional, provisional.BallotsUsed);
            Number("ballotsUsedCertified", area.BallotsUsedCertified, certified.BallotsUsed);
            if (!area.Contests.Select(c => c.ContestId).SequenceEqual(definition.Contests.Select(c => c.Id), StringComparer.Ordinal))
            {
                listed.Add(FindingCodes.TotalsMismatch, $"{name}: the contests are not the definition's in ballot order.");
            }

            for (var c = 0; c < provisional.Contests.Count; c++)
            {
                var contest = provisional.Contests[c];
                var choices = area.Contests.FirstOrDefault(p => p.ContestId == contest.ContestId)?.Choices ?? [];
                if (!choices.Select(p => p.ChoiceId).SequenceEqual(contest.Choices.Select(k => k.ChoiceId), StringComparer.Ordinal))
                {
                    listed.Add(FindingCodes.TotalsMismatch, $"{name}, contest {contest.ContestId}: the choices are not the definition's in ballot order.");
                }

                for (var k = 0; k < contest.Choices.Count; k++)
                {
                    var choiceId = contest.Choices[k].ChoiceId;
                    if (choices.FirstOrDefault(p => p.ChoiceId == choiceId) is { } choice)
                    {
                        Number($"contest {contest.ContestId} choice {choiceId} votesProvisional", choice.VotesProvisional, contest.Choices[k].Votes);
                        Number($"contest {contest.ContestId} choice {choiceId} votesCertified", choice.VotesCertified, certified.Contests[c].Choices[k].Votes);
                    }
                }
            }
        }
    }

    private void CompareStations(StationsFile file, Listed listed)
    {
        var codes = file.Stations.Select(s => s.StationCode).ToList();
        if (!codes.SequenceEqual(codes.Order(StringComparer.Ordinal), StringComparer.Ordinal) || codes.Distinct(StringComparer.Ordinal).Count() != codes.Count)
        {
            listed.Add(FindingCodes.StationsMismatch, "The stations are not listed once each by code (ordinal).");
        }

        var published = new Dictionary<string, PublishedStation>(StringComparer.Ordinal);
        foreach (var station in file.Stations)
        {
            published.TryAdd(station.StationCode, station);
        }

        foreach (var (code, replayed) in replay.Stations.Where(s => s.Value.Revisions.Count > 0).OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            counts.StationsReported++;
            var latest = replayed.Revisions[replayed.Highest];
            if (!published.Remove(code, out var station))
            {
                listed.Add(FindingCodes.StationsMismatch, $"Station {code} reported (revision {latest.Revision}, entry {latest.Index}) but is not in the file.", code);
                continue;
            }

            var entry = definition.TryGetStation(code, out var registered) ? registered : null;
            if (entry is not null && (station.MunicipalityCode != entry.MunicipalityCode || station.PollingCentre != entry.PollingCentre.Default))
            {
                listed.Add(FindingCodes.StationsMismatch, $"Station {code}: municipality or polling centre is not the definition's.", code);
            }

            var certified = replayed.Revisions.Values.LastOrDefault(r => r.State == CoreReviewState.Accepted);
            var expected = new List<CountedRevision>(2);
            if (certified is not null && certified != latest)
            {
                expected.Add(certified);
            }

            expected.Add(latest);
            var listedNumbers = station.Revisions.Select(r => r.Revision).ToList();
            if (!listedNumbers.SequenceEqual(expected.Select(r => r.Revision)))
            {
                listed.Add(FindingCodes.StationsMismatch,
                    $"Station {code}: revisions {string.Join(", ", listedNumbers)} are published; the log gives {string.Join(", ", expected.Select(r => r.Revision))} (the latest and the latest accepted).", code);
            }

            foreach (var revision in expected)
            {
                if (station.Revisions.FirstOrDefault(r => r.Revision == revision.Revision) is { } row)
                {
                    counts.StationRevisionsCompared++;
                    CompareRevision(code, row, revision, revision == latest, revision == certified, listed);
                }
            }
        }

        foreach (var extra in published.Keys.Order(StringComparer.Ordinal))
        {
            listed.Add(FindingCodes.StationsMismatch, $"Station {EntryAnalyzer.Printable(extra)} is in the file, but the log has no verified protocol of it.", EntryAnalyzer.Printable(extra));
        }
    }

    private void CompareRevision(string code, PublishedRevision row, CountedRevision revision, bool isLatest, bool isCertified, Listed listed)
    {
        var number = revision.Revision;
        void Field(string field, string published, string? expected, string findingCode = FindingCodes.StationsMismatch)
        {
            if (!string.Equals(published, expected, StringComparison.Ordinal))
            {
                listed.Add(findingCode, $"Station {code} revision {number}: {field} is published as '{EntryAnalyzer.Printable(published)}'; the log gives '{expected ?? "(unknown)"}'.", code, number, revision.Index);
            }
        }

        Field("reviewState", row.ReviewState, LogReplay.Name(revision.State), FindingCodes.ReviewStateMismatch);
        Field("countedProvisional", Bool(row.CountedProvisional), Bool(isLatest));
        Field("countedCertified", Bool(row.CountedCertified), Bool(isCertified));
        Field("envelopeSha256", row.EnvelopeSha256, revision.EnvelopeSha256Hex);
        Field("logIndex", N(row.LogIndex), N(revision.Index));
        Field("receivedAt", row.ReceivedAt, revision.AtText);
        Field("signedAt", row.SignedAt ?? "null", revision.Protocol.SignedAt is { } signedAt ? BundleFormat.FormatTime(signedAt) : "null");

        var b = revision.Protocol.Ballots;
        var p = row.Ballots;
        Field("ballots", $"{p.RegisteredVoters}/{p.Received}/{p.Used}/{p.Unused}/{p.Spoiled}/{p.Invalid}/{p.Valid}",
            $"{b.RegisteredVoters}/{b.Received}/{b.Used}/{b.Unused}/{b.Spoiled}/{b.Invalid}/{b.Valid}");

        var votes = revision.Protocol.Contests
            .SelectMany(c => c.Choices.Select(k => (Key: $"{c.ContestId}/{k.ChoiceId}", k.Votes)))
            .GroupBy(v => v.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First().Votes, StringComparer.Ordinal);
        var expected = definition.Contests.SelectMany(c => c.Choices.Select(k => $"{c.Id}/{k.Id}={N(votes.GetValueOrDefault($"{c.Id}/{k.Id}"))}")).ToList();
        var actual = row.Contests.SelectMany(c => c.Choices.Select(k => $"{c.ContestId}/{k.ChoiceId}={N(k.Votes)}")).ToList();
        var differences = expected.Zip(actual).Where(pair => pair.First != pair.Second).Select(pair => pair.Second).ToList();
        if (differences.Count > 0 || expected.Count != actual.Count)
        {
            listed.Add(FindingCodes.StationsMismatch,
                $"Station {code} revision {number}: the votes are not the signed protocol's ({(differences.Count > 0 ? "first difference " + EntryAnalyzer.Printable(differences[0]) : "another number of choices")}).", code, number, revision.Index);
        }
    }

    private static string Bool(bool value) => value ? "true" : "false";

    private static string N(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Adds findings of one file up to a limit, then one finding that counts the rest.</summary>
    private sealed class Listed(string path, Findings findings, int limit)
    {
        private int _added;
        private int _suppressed;

        public void Add(string code, string message, string? station = null, int? revision = null, long? index = null)
        {
            if (_added < limit)
            {
                _added++;
                findings.Add(ReportSection.Published, new AuditFinding(code, message) { Path = path, Station = station, Revision = revision, Index = index });
            }
            else
            {
                _suppressed++;
            }
        }

        public void Close()
        {
            if (_suppressed > 0)
            {
                var code = path == BundlePaths.Totals ? FindingCodes.TotalsMismatch : FindingCodes.StationsMismatch;
                findings.Add(ReportSection.Published, new AuditFinding(code, $"{_suppressed} further difference(s) in this file are not listed.") { Path = path });
            }
        }
    }
}
