using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Transmission.Audit.Bundle;
using Transmission.Audit.Verification;
using Transmission.Central.Exports;
using DecisionEntries = Transmission.Central.Review.DecisionEntries;
using Transmission.Contracts.Mapping;
using LoggedRevocation = Transmission.Contracts.V1.LoggedRevocation;
using Transmission.Core.Election;
using Transmission.Core.Envelope;
using Transmission.Core.Log;
using Transmission.Core.Pki;
using Transmission.Core.Protocol;
using Transmission.Core.Review;
using Transmission.Core.Tabulation;
using CoreReviewState = Transmission.Core.Review.ReviewState;
using CoreResultProtocol = Transmission.Core.Protocol.ResultProtocol;

namespace Transmission.Audit.Tests.Fixtures;

/// <summary>What the fixture election looks like.</summary>
internal sealed record FixtureOptions
{
    /// <summary>Stations in the registry (at least 12); about nine in ten report.</summary>
    public int Stations { get; init; } = 40;

    public long Seed { get; init; } = 7;

    public bool IncludeAttachments { get; init; } = true;

    public string ElectionId { get; init; } = "xk-audit-1";
}

/// <summary>One stored submission of the story.</summary>
internal sealed record FixtureSubmission(string Station, int Revision, CoreResultProtocol Protocol, byte[] Envelope, string EnvelopeSha256Hex, DateTimeOffset At, IReadOnlyList<string> Flags, int Cosignatures, long Index)
{
    public CoreReviewState State { get; set; } = CoreReviewState.Pending;
}

/// <summary>
/// An election night told as a transparency log, from real data: a real election PKI (<see cref="FixturePki"/>), a
/// generated definition (<see cref="ElectionDefinitionGenerator"/>), protocols from <see cref="SampleProtocols"/> signed
/// into envelopes, decisions encoded by Central's <see cref="DecisionEntries"/>, a revocation with its CRL and log
/// entry, a checkpoint signed with <see cref="CheckpointNote.Sign"/>, and the published files written by Central's
/// <see cref="ResultsExport"/>. The story, in log order:
/// <list type="number">
/// <item>18:05–21:00 UTC: revision 1 of about nine stations in ten (two with broken arithmetic, explained; one with
/// two committee co-signatures; two with a scanned form attached). A conflicting revision 1 of one station is kept as
/// evidence, never logged.</item>
/// <item>22:00: decisions: most accepted, one rejected, one recount requested.</item>
/// <item>22:40: a correction (revision 2) of an accepted station, and the recounted station's revision 2.</item>
/// <item>23:00: the CA revokes one station's signing key (CRL 2); Central puts it in force at 23:05 (revocation entry).
/// That station's revision 1, signed before, stays valid.</item>
/// <item>23:10: the correction and the revoked station's revision 1 are accepted.</item>
/// </list>
/// </summary>
internal sealed class AuditFixture
{
    public const string VerifierUri = "urn:transmission:verifier:verifier-1";

    private readonly List<BundleEntry> _entries = [];
    private readonly List<FixtureSubmission> _submissions = [];
    private readonly List<BundleBlob> _attachments = [];
    private readonly List<BundleBlob> _evidence = [];
    private readonly List<BundleCrl> _crls = [];
    private readonly Dictionary<string, KeyedCertificate> _signers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _savedSizes = new(StringComparer.Ordinal);

    private AuditFixture(FixtureOptions options)
    {
        Options = options;
        DefinitionBytes = ElectionDefinitionGenerator.Generate(new ElectionDefinitionGeneratorOptions
        {
            ElectionId = options.ElectionId,
            Seed = options.Seed,
            Stations = options.Stations,
            Municipalities = Math.Max(3, Math.Min(38, options.Stations / 10)),
            Parties = 6,
            CandidatesPerParty = 3,
            MaxPreferences = 2,
        });
        Definition = ElectionDefinition.Parse(DefinitionBytes).Definition!;
        Pki = new FixturePki(new DateTimeOffset(2025, 12, 1, 9, 0, 0, TimeSpan.Zero));
        Origin = LogEntryTypes.Origin(Definition.ElectionId);
    }

    public FixtureOptions Options { get; }

    public byte[] DefinitionBytes { get; }

    public ElectionDefinition Definition { get; }

    public FixturePki Pki { get; }

    public string Origin { get; }

    public IReadOnlyList<BundleEntry> Entries => _entries;

    public IReadOnlyList<FixtureSubmission> Submissions => _submissions;

    public IReadOnlyDictionary<string, KeyedCertificate> Signers => _signers;

    /// <summary>The station whose signing certificate is revoked after it reported.</summary>
    public string RevokedStation { get; private set; } = string.Empty;

    /// <summary>When the CRL says that certificate was revoked.</summary>
    public DateTimeOffset RevokedAt { get; private set; }

    /// <summary>The station that sent a correction (revision 2) after its revision 1 was accepted.</summary>
    public string CorrectedStation { get; private set; } = string.Empty;

    /// <summary>The station whose conflicting revision 1 is kept as evidence.</summary>
    public string ConflictStation { get; private set; } = string.Empty;

    /// <summary>The signed checkpoint note of the whole log.</summary>
    public string Checkpoint { get; private set; } = string.Empty;

    /// <summary>Checkpoints an auditor saved earlier in the night (name → note).</summary>
    public IReadOnlyList<SavedCheckpoint> SavedCheckpoints { get; private set; } = [];

    public ExportData Export { get; private set; } = null!;

    public static AuditFixture Build(FixtureOptions? options = null)
    {
        var fixture = new AuditFixture(options ?? new FixtureOptions());
        fixture.Tell();
        return fixture;
    }

    /// <summary>The writer's model of the bundle.</summary>
    public BundleContent Content() => new()
    {
        ElectionId = Definition.ElectionId,
        Mode = Definition.Mode,
        Definition = DefinitionBytes,
        RootCertificatePem = System.Text.Encoding.ASCII.GetBytes(Pki.RootPem),
        CentralSigningCertificatePem = System.Text.Encoding.ASCII.GetBytes(FixturePki.Pem(Pki.CentralSigning.Certificate)),
        Crls = _crls,
        LogSize = _entries.Count,
        Entries = _ => _entries.Streamed(),
        Checkpoint = Checkpoint,
        Evidence = _ => _evidence.Streamed(),
        IncludesAttachments = Options.IncludeAttachments,
        Attachments = Options.IncludeAttachments ? _ => _attachments.Streamed() : null,
        WriteTotals = (stream, ct) => ResultsExport.WriteAsync(Export, ExportKind.Totals, ExportFormat.Json, stream, ct),
        WriteStations = (stream, ct) => ResultsExport.WriteAsync(Export, ExportKind.Stations, ExportFormat.Json, stream, ct),
    };

    /// <summary>Writes the bundle into <paramref name="folder"/> through <see cref="BundleWriter"/> and a <see cref="FolderBundleSink"/>.</summary>
    public async Task WriteAsync(string folder)
    {
        await using var sink = new FolderBundleSink(folder);
        await BundleWriter.WriteAsync(Content(), sink);
    }

    /// <summary>Writes the saved checkpoints into <paramref name="folder"/>, one file each.</summary>
    public void WriteSavedCheckpoints(string folder)
    {
        Directory.CreateDirectory(folder);
        foreach (var saved in SavedCheckpoints)
        {
            File.WriteAllText(Path.Combine(folder, saved.Name), saved.Note);
        }
    }

    private void Tell()
    {
        var opens = Definition.NightWindow.OpensAt.ToUniversalTime();
        var stations = Definition.Stations.Select(s => s.Code).Order(StringComparer.Ordinal).ToList();
        var reporting = stations.Take(Math.Max(12, stations.Count * 9 / 10)).ToList();
        var (revoked, corrected, explained, rejected, recounted, cosigned, scanned1, scanned2, conflict) =
            (reporting[0], reporting[1], reporting[2], reporting[3], reporting[4], reporting[5], reporting[6], reporting[7], reporting[8]);
        (RevokedStation, CorrectedStation, ConflictStation) = (revoked, corrected, conflict);
        foreach (var code in reporting)
        {
            _signers[code] = Pki.Issue(CertificateProfile.StationSigning, code);
        }

        var (crl1Der, crl1Pem) = Pki.Crl(1);
        _crls.Add(new BundleCrl(1, crl1Pem));
        _ = crl1Der;

        // 1. Revision 1 of every reporting station, in the order Central received them.
        var first = new List<(CoreResultProtocol Protocol, DateTimeOffset At, IReadOnlyList<KeyedCertificate> CoSigners, IReadOnlyList<byte[]> Scans)>();
        for (var i = 0; i < reporting.Count; i++)
        {
            var code = reporting[i];
            var protocol = SampleProtocols.Create(Definition, code, Options.Seed);
            IReadOnlyList<KeyedCertificate> coSigners = [];
            IReadOnlyList<byte[]> scans = [];
            if (code == explained)
            {
                // Breaks valid + invalid = used (the chair explains a miscount in the invalid pile).
                protocol = protocol with { Ballots = protocol.Ballots with { Invalid = protocol.Ballots.Invalid + 1 }, Explanation = "One extra invalid ballot was found in the box after the form was filled in." };
            }
            else if (code == rejected)
            {
                var contest = protocol.Contests[0];
                var moved = contest.Choices.Select((c, k) => k == 0 ? c with { Votes = c.Votes + 5 } : c).ToList();
                protocol = protocol with { Contests = [contest with { Choices = moved }, .. protocol.Contests.Skip(1)], Explanation = "Votes as counted." };
            }
            else if (code == cosigned)
            {
                coSigners = [Pki.Issue(CertificateProfile.StationSigning, code + ".m1"), Pki.Issue(CertificateProfile.StationSigning, code + ".m2")];
            }
            else if (code == scanned1 || code == scanned2)
            {
                scans = [Scan(code, 1), .. code == scanned2 ? [Scan(code, 2)] : Array.Empty<byte[]>()];
                protocol = protocol with { Attachments = [.. scans.Select((s, k) => AttachmentDigest.Of($"form-page-{k + 1}.png", "image/png", s))] };
            }

            var at = protocol.SignedAt!.Value.ToUniversalTime() + TimeSpan.FromSeconds(20 + (i % 40));
            first.Add((protocol, at, coSigners, scans));
        }

        foreach (var (protocol, at, coSigners, scans) in first.OrderBy(f => f.At))
        {
            Submit(protocol, at, coSigners, scans);
        }

        // The conflicting revision 1 of one station: signed by it, refused by Central, kept as evidence.
        var logged = _submissions.Single(s => s.Station == conflict);
        var other = Moved(logged.Protocol);
        var evidence = Sign(other, _signers[conflict], []);
        _evidence.Add(new BundleBlob(Convert.ToHexStringLower(SHA256.HashData(evidence)), evidence));
        _savedSizes["after-first-reports.checkpoint"] = _entries.Count;

        // 2. Decisions on revision 1.
        var decideAt = opens + TimeSpan.FromHours(4);
        foreach (var submission in _submissions.ToList())
        {
            decideAt += TimeSpan.FromSeconds(30);
            if (submission.Station == rejected)
            {
                Decide(submission, CoreReviewState.Rejected, "The party votes do not add up to the valid ballots and the explanation does not account for it.", decideAt);
            }
            else if (submission.Station == recounted)
            {
                Decide(submission, CoreReviewState.RecountRequested, "Turnout far from the neighbouring stations; recount the ballots.", decideAt);
            }
            else if (submission.Station == corrected || submission.Station == explained || submission.Station == cosigned || submission.Station == scanned1
                || (submission.Station != revoked && _submissions.IndexOf(submission) % 4 != 3))
            {
                Decide(submission, CoreReviewState.Accepted, "Numbers match the scanned form.", decideAt);
            }
        }

        // 3. A correction of an accepted protocol, and the recounted station's new revision.
        var correctionAt = opens + TimeSpan.FromHours(4) + TimeSpan.FromMinutes(40);
        foreach (var (code, reason) in new[] { (corrected, "Two votes were entered for the wrong party."), (recounted, "Recount as requested by the commission.") })
        {
            var previous = _submissions.Last(s => s.Station == code).Protocol;
            var correction = Moved(previous) with { Revision = 2, CorrectionReason = reason, SignedAt = correctionAt - TimeSpan.FromSeconds(40) };
            Submit(correction, correctionAt, [], []);
            correctionAt += TimeSpan.FromMinutes(2);
        }

        _savedSizes["after-corrections.checkpoint"] = _entries.Count;

        // 4. The CA revokes one station's signing key; Central puts CRL 2 in force five minutes later.
        RevokedAt = opens + TimeSpan.FromHours(5);
        Pki.Clock.Now = RevokedAt;
        var revokedCertificate = _signers[revoked];
        var (crl2Der, crl2Pem) = Pki.Crl(2, new RevocationEntry(revokedCertificate.Serial, RevokedAt, X509RevocationReason.KeyCompromise));
        _crls.Add(new BundleCrl(2, crl2Pem));
        var observedAt = RevokedAt + TimeSpan.FromMinutes(5);
        var revocation = new LoggedRevocation
        {
            ElectionId = Definition.ElectionId,
            SerialNumber = ByteString.CopyFrom(revokedCertificate.Certificate.SerialNumberBytes.Span),
            SubjectUri = revokedCertificate.Uri,
            RevokedAt = Timestamp.FromDateTimeOffset(RevokedAt),
            Reason = (uint)X509RevocationReason.KeyCompromise,
            CrlNumber = 2,
            CrlSha256 = ByteString.CopyFrom(SHA256.HashData(crl2Der)),
            ObservedAt = Timestamp.FromDateTimeOffset(observedAt),
        };
        _entries.Add(new BundleEntry(BundleEntryKind.Revocation, Pae.Encode(LogEntryTypes.Revocation, revocation.ToByteArray()), observedAt));

        // 5. The correction and the revoked station's revision 1 (signed before the revocation) are accepted.
        var lateAt = observedAt + TimeSpan.FromMinutes(5);
        Decide(_submissions.Single(s => s.Station == corrected && s.Revision == 2), CoreReviewState.Accepted, "Correction checked against the scanned form.", lateAt);
        Decide(_submissions.Single(s => s.Station == revoked), CoreReviewState.Accepted, "Signed before the key was revoked; numbers match the form.", lateAt + TimeSpan.FromMinutes(1));

        Seal();
    }

    private void Submit(CoreResultProtocol protocol, DateTimeOffset at, IReadOnlyList<KeyedCertificate> coSigners, IReadOnlyList<byte[]> scans)
    {
        var envelope = Sign(protocol, _signers[protocol.StationCode], coSigners);
        var flags = ProtocolValidator.Validate(protocol, Definition).FlagCodes;
        var submission = new FixtureSubmission(protocol.StationCode, protocol.Revision, protocol, envelope, Convert.ToHexStringLower(SHA256.HashData(envelope)), at, flags, coSigners.Count, _entries.Count);
        _submissions.Add(submission);
        var attachments = protocol.Attachments.Select(a => new AttachmentFacts { Name = a.Name, MediaType = a.MediaType, Size = a.Size, Sha256 = Convert.ToHexStringLower(a.Sha256.Span) }).ToList();
        _entries.Add(new BundleEntry(BundleEntryKind.Submission, envelope, at, new SubmissionFacts(protocol.StationCode, protocol.Revision, flags, coSigners.Count, attachments)));
        foreach (var scan in scans)
        {
            _attachments.Add(new BundleBlob(Convert.ToHexStringLower(SHA256.HashData(scan)), scan));
        }
    }

    private void Decide(FixtureSubmission submission, CoreReviewState state, string reason, DateTimeOffset at)
    {
        var decision = new ReviewDecision(new SubmissionKey(submission.Station, submission.Revision, submission.EnvelopeSha256Hex), state, reason, new Uri(VerifierUri), at);
        _entries.Add(new BundleEntry(BundleEntryKind.Decision, DecisionEntries.Create(Definition.ElectionId, decision), at));
        submission.State = state;
    }

    /// <summary>Signs <paramref name="protocol"/> as its station's chair, with co-signatures.</summary>
    public byte[] Sign(CoreResultProtocol protocol, KeyedCertificate chair, IReadOnlyList<KeyedCertificate> coSigners)
    {
        var payload = protocol.ToContract().Value!.ToByteArray();
        var envelope = EnvelopeSigner.Sign(PayloadTypes.ResultProtocol, payload, chair.Key, chair.Certificate);
        foreach (var coSigner in coSigners)
        {
            envelope = EnvelopeSigner.AddCoSignature(envelope, coSigner.Key, coSigner.Certificate);
        }

        return EnvelopeMapping.ToBytes(envelope);
    }

    /// <summary>The same protocol with one vote moved between the first two choices of the first contest (still adds up).</summary>
    public static CoreResultProtocol Moved(CoreResultProtocol protocol)
    {
        var contest = protocol.Contests[0];
        var choices = contest.Choices.ToList();
        var from = choices.FindIndex(c => c.Votes > 0);
        var to = from == 0 ? 1 : 0;
        choices[from] = choices[from] with { Votes = choices[from].Votes - 1 };
        choices[to] = choices[to] with { Votes = choices[to].Votes + 1 };
        return protocol with { Contests = [contest with { Choices = choices }, .. protocol.Contests.Skip(1)] };
    }

    private void Seal()
    {
        var tree = new MerkleTree();
        foreach (var entry in _entries)
        {
            tree.Append(entry.Bytes.Span);
        }

        Checkpoint = SignCheckpoint(_entries.Count, tree.Root());
        SavedCheckpoints = [.. _savedSizes.Select(s => new SavedCheckpoint(s.Key, SignCheckpoint(s.Value, tree.Root(s.Value))))];

        // What Central's review board computes from the same log, handed to Central's export writers.
        var tabulator = new Tabulator(Definition);
        foreach (var submission in _submissions)
        {
            tabulator.Apply(new SubmissionAccepted(submission.Station, submission.Revision, submission.Protocol, submission.Flags));
            if (submission.State != CoreReviewState.Pending)
            {
                tabulator.Apply(new DecisionRecorded(submission.Station, submission.Revision, submission.State));
            }
        }

        var stations = new List<StationExport>();
        foreach (var group in _submissions.GroupBy(s => s.Station))
        {
            var latest = group.MaxBy(s => s.Revision)!;
            var certified = group.Where(s => s.State == CoreReviewState.Accepted).MaxBy(s => s.Revision);
            var revisions = new List<RevisionExport>();
            if (certified is not null && certified != latest)
            {
                revisions.Add(Row(certified, false, true));
            }

            revisions.Add(Row(latest, true, certified == latest));
            Definition.TryGetStation(group.Key, out var entry);
            stations.Add(new StationExport(entry!, revisions));
        }

        Export = new ExportData(Definition, _entries.Count, stations, tabulator.Snapshot());
    }

    private static RevisionExport Row(FixtureSubmission s, bool provisional, bool certified) =>
        new(s.Revision, s.State, provisional, certified, s.EnvelopeSha256Hex, s.Index, s.At, s.Protocol.SignedAt, s.Protocol);

    /// <summary>A checkpoint note for <paramref name="size"/> entries with <paramref name="root"/>, signed with Central's key.</summary>
    public string SignCheckpoint(long size, byte[] root) =>
        CheckpointNote.Sign(new Checkpoint(Origin, size, root), Origin, Pki.CentralSigning.Key);

    private byte[] Scan(string code, int page)
    {
        // A PNG signature and header chunk, then bytes that are the same for the same station and page.
        var random = new Random(BitConverter.ToInt32(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{Options.Seed}/{code}/{page}"))));
        var bytes = new byte[2048 + (page * 100)];
        random.NextBytes(bytes);
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
        png.CopyTo(bytes, 0);
        return bytes;
    }
}

internal static class AsyncEnumerableExtensions
{
    public static async IAsyncEnumerable<T> Streamed<T>(this IEnumerable<T> items)
    {
        foreach (var item in items)
        {
            await Task.Yield();
            yield return item;
        }
    }
}
