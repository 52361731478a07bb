using System.Globalization;
using Transmission.Contracts.V1;
using Transmission.Core.Election;
using Transmission.Core.Review;
using Transmission.Core.Tabulation;
using CoreResultProtocol = Transmission.Core.Protocol.ResultProtocol;
using CoreReviewState = Transmission.Core.Review.ReviewState;

namespace Transmission.Audit.Verification;

/// <summary>A revision the replay counts: a verified submission whose revision increased.</summary>
internal sealed class CountedRevision(long index, string envelopeSha256Hex, string? atText, CoreResultProtocol protocol)
{
    public long Index { get; } = index;

    public string EnvelopeSha256Hex { get; } = envelopeSha256Hex;

    public string? AtText { get; } = atText;

    public CoreResultProtocol Protocol { get; } = protocol;

    public int Revision => Protocol.Revision;

    public CoreReviewState State { get; set; } = CoreReviewState.Pending;
}

/// <summary>A station's counted revisions, by revision number.</summary>
internal sealed class StationReplay
{
    public SortedDictionary<int, CountedRevision> Revisions { get; } = [];

    public int Highest => Revisions.Count == 0 ? 0 : Revisions.Keys.Max();
}

/// <summary>
/// The checks that depend on what came earlier in the log, applied entry by entry in index order: duplicates,
/// increasing revisions, decisions against the review state machine, revocation order and the signer's revocation,
/// co-signatures; and the recomputed totals (Core's <see cref="Tabulator"/>) and review states for the exports.
/// </summary>
internal sealed class LogReplay
{
    private readonly CrlSet _crls;
    private readonly Findings _findings;
    private readonly List<AuditNote> _notes;
    private readonly AuditCounts _counts;
    private readonly Dictionary<string, long> _payloads = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (long Index, string? Station, int? Revision, CountedRevision? Counted)> _envelopes = new(StringComparer.Ordinal);
    private ulong? _lastCrlNumber;

    public LogReplay(ElectionDefinition? definition, CrlSet crls, Findings findings, List<AuditNote> notes, AuditCounts counts)
    {
        _crls = crls;
        _findings = findings;
        _notes = notes;
        _counts = counts;
        Tabulator = definition is null ? null : new Tabulator(definition);
    }

    /// <summary>The totals of the verified submissions and allowed decisions; <see langword="null"/> without a usable definition.</summary>
    public Tabulator? Tabulator { get; }

    /// <summary>Counted revisions per station.</summary>
    public Dictionary<string, StationReplay> Stations { get; } = new(StringComparer.Ordinal);

    /// <summary>The first revision entry of each serial, by canonical serial.</summary>
    public Dictionary<string, (long Index, RevocationResult Revocation)> RevocationEntries { get; } = new(StringComparer.Ordinal);

    /// <summary>Identity URIs of the chairs' certificates seen, by serial.</summary>
    public Dictionary<string, string> SignerIdentities { get; } = new(StringComparer.Ordinal);

    /// <summary>Attachment digests (hex) declared by the logged protocols.</summary>
    public HashSet<string> DeclaredAttachments { get; } = new(StringComparer.Ordinal);

    /// <summary>Payload SHA-256 (hex) of each verified station revision, for the evidence check.</summary>
    public Dictionary<(string Station, int Revision), string> Payloads { get; } = [];

    /// <summary>The latest time of an entry.</summary>
    public DateTimeOffset? LastAt { get; private set; }

    /// <summary>Entries applied.</summary>
    public long Count { get; private set; }

    public void Apply(EntryResult entry)
    {
        Count++;
        foreach (var finding in entry.Findings)
        {
            _findings.Add(ReportSection.Entries, finding);
        }

        if (entry.At is { } at && (LastAt is null || at > LastAt))
        {
            LastAt = at;
        }

        switch (entry.Kind)
        {
            case Bundle.BundleEntryKind.Submission:
                _counts.Submissions++;
                if (entry.Submission is { } submission)
                {
                    ApplySubmission(entry, submission);
                }

                break;
            case Bundle.BundleEntryKind.Decision:
                _counts.Decisions++;
                if (entry.Decision is { } decision)
                {
                    ApplyDecision(entry, decision);
                }

                break;
            case Bundle.BundleEntryKind.Revocation:
                _counts.Revocations++;
                if (entry.Revocation is { } revocation)
                {
                    ApplyRevocation(entry, revocation);
                }

                break;
        }
    }

    private void ApplySubmission(EntryResult entry, SubmissionResult submission)
    {
        var index = entry.Index;
        var protocol = submission.Protocol;
        var station = protocol?.StationCode ?? entry.Facts?.StationCode;
        var revision = protocol?.Revision ?? entry.Facts?.Revision;
        if (submission.ChairSerial is { } chairSerial && submission.ChairUri is { } chairUri)
        {
            SignerIdentities.TryAdd(chairSerial, chairUri);
        }

        if (protocol is not null)
        {
            foreach (var attachment in protocol.Attachments)
            {
                DeclaredAttachments.Add(Convert.ToHexStringLower(attachment.Sha256.Span));
            }
        }

        var countable = submission.Authentic && protocol is not null;
        if (submission.PayloadSha256Hex is { } payload && protocol is not null)
        {
            if (_payloads.TryGetValue(payload, out var first))
            {
                Add(FindingCodes.PayloadDuplicate, $"The same protocol (payload SHA-256 {payload}) was already logged at entry {first}.", index, station, revision);
                countable = false;
            }
            else
            {
                _payloads.Add(payload, index);
            }
        }

        if (submission.ChairUri is not null && protocol is not null)
        {
            CheckRevocation(entry, submission, protocol);
            CheckCosignatures(entry, submission, protocol);
        }

        CountedRevision? counted = null;
        if (countable)
        {
            _counts.SubmissionsVerified++;
            _counts.CoSignaturesVerified += submission.CoSignerSerials.Count;
            if (submission.Flags is { Count: > 0 })
            {
                _counts.SubmissionsFlagged++;
            }

            counted = CountRevision(entry, submission, protocol!);
        }

        _envelopes.TryAdd(submission.EnvelopeSha256Hex, (index, station, revision, counted));
    }

    private CountedRevision? CountRevision(EntryResult entry, SubmissionResult submission, CoreResultProtocol protocol)
    {
        var code = protocol.StationCode;
        if (!Stations.TryGetValue(code, out var station))
        {
            station = new StationReplay();
            Stations.Add(code, station);
        }

        if (protocol.Revision <= station.Highest)
        {
            Add(FindingCodes.RevisionNotIncreasing,
                $"Revision {protocol.Revision} is logged after revision {station.Highest} of the same station (entry {station.Revisions[station.Highest].Index}); revisions must increase.",
                entry.Index, code, protocol.Revision);
            return null;
        }

        try
        {
            Tabulator?.Apply(new SubmissionAccepted(code, protocol.Revision, protocol, submission.Flags ?? []));
        }
        catch (OverflowException)
        {
            Add(FindingCodes.ProtocolRejected, "Counting this protocol would overflow the totals.", entry.Index, code, protocol.Revision, "COUNT_OVERFLOW");
            return null;
        }

        var counted = new CountedRevision(entry.Index, submission.EnvelopeSha256Hex, entry.AtText, protocol);
        station.Revisions.Add(protocol.Revision, counted);
        Payloads[(code, protocol.Revision)] = submission.PayloadSha256Hex!;

        return counted;
    }

    // The chair's certificate against the revocations: the log's revocation entries (what Central knew when it logged)
    // and the CRLs (the revocation date, which a station cannot move).
    private void CheckRevocation(EntryResult entry, SubmissionResult submission, CoreResultProtocol protocol)
    {
        if (submission.ChairSerial is not { } serial)
        {
            return;
        }

        var logged = RevocationEntries.TryGetValue(serial, out var revocationEntry);
        DateTimeOffset? revokedAt = _crls.Revoked.TryGetValue(serial, out var revoked) ? revoked.RevokedAt : null;
        if (logged && (revokedAt is null || revocationEntry.Revocation.RevokedAt < revokedAt))
        {
            revokedAt = revocationEntry.Revocation.RevokedAt;
        }

        if (revokedAt is not { } date)
        {
            return;
        }

        var station = protocol.StationCode;
        var problem = false;
        if (logged)
        {
            Add(FindingCodes.SubmittedAfterRevocation,
                $"Central logged this protocol after it logged the revocation of its signer's certificate (serial {serial}, entry {revocationEntry.Index}).",
                entry.Index, station, protocol.Revision, serial: serial);
            problem = true;
        }

        if (protocol.SignedAt is { } signedAt && signedAt >= date)
        {
            Add(FindingCodes.SignedAfterRevocation,
                $"The protocol says it was signed at {BundleFormat(signedAt)}, at or after its signing certificate (serial {serial}) was revoked at {BundleFormat(date)}.",
                entry.Index, station, protocol.Revision, serial: serial);
            problem = true;
        }

        if (entry.At is { } at && at >= date)
        {
            Add(FindingCodes.ReceivedAfterRevocation,
                $"Central received the protocol at {BundleFormat(at)}, at or after its signing certificate (serial {serial}) was revoked at {BundleFormat(date)}.",
                entry.Index, station, protocol.Revision, serial: serial);
            problem = true;
        }

        if (!problem)
        {
            var signed = protocol.SignedAt is { } s ? $"signed {BundleFormat(s)}" : "not dated by the station";
            _notes.Add(new AuditNote(AuditNoteKinds.SignedBeforeRevocation,
                $"{Capitalized(signed)}, received {(entry.At is { } r ? BundleFormat(r) : "at an unknown time")}; its certificate (serial {serial}) was revoked later, at {BundleFormat(date)}: signed before revocation, valid.")
            { Index = entry.Index, Station = station, Revision = protocol.Revision, Serial = serial, Facts = new(AuditNoteTopics.SignedBeforeRevocation) { SignedAt = protocol.SignedAt, ReceivedAt = entry.At, RevokedAt = date } });
        }
    }

    private void CheckCosignatures(EntryResult entry, SubmissionResult submission, CoreResultProtocol protocol)
    {
        if (entry.Facts?.VerifiedCosignatures is not { } recorded)
        {
            return;
        }

        // A co-signer whose revocation Central had logged, dated at or before the receive time, did not count for Central.
        var expected = submission.CoSignerSerials.Count(serial =>
            !(RevocationEntries.TryGetValue(serial, out var revocation) && entry.At is { } at && revocation.Revocation.RevokedAt <= at));
        if (recorded != expected)
        {
            Add(FindingCodes.CosignaturesMismatch,
                $"Central recorded {recorded} verified co-signature(s); {expected} verify.",
                entry.Index, protocol.StationCode, protocol.Revision);
        }
    }

    private void ApplyDecision(EntryResult entry, DecisionResult decision)
    {
        var logged = decision.Logged;
        var station = logged.StationCode;
        var revision = (int)logged.Revision;
        if (!_envelopes.TryGetValue(decision.EnvelopeSha256Hex, out var target))
        {
            Add(FindingCodes.DecisionTargetUnknown, $"The decision names envelope {decision.EnvelopeSha256Hex}, which no earlier entry logged.", entry.Index, station, revision);
            return;
        }

        if (!string.Equals(target.Station, station, StringComparison.Ordinal) || target.Revision != revision)
        {
            Add(FindingCodes.DecisionTargetMismatch,
                $"The decision is for station {station} revision {revision}, but the envelope it names (entry {target.Index}) is station {target.Station} revision {target.Revision?.ToString(CultureInfo.InvariantCulture)}.",
                entry.Index, station, revision);
            return;
        }

        if (target.Counted is not { } counted)
        {
            // The submission itself has a finding; a decision on it cannot be judged.
            return;
        }

        var state = logged.Decision switch
        {
            Decision.Accept => CoreReviewState.Accepted,
            Decision.Reject => CoreReviewState.Rejected,
            Decision.RequestRecount => CoreReviewState.RecountRequested,
            _ => CoreReviewState.Pending,
        };
        var request = new ReviewDecision(new SubmissionKey(station, revision, decision.EnvelopeSha256Hex), state, logged.Reason, new Uri(logged.VerifierUri), decision.DecidedAt);
        var transition = ReviewStateMachine.Decide(counted.State, request, Stations[station].Highest);
        if (!transition.IsAllowed)
        {
            Add(FindingCodes.DecisionNotAllowed,
                $"The review rules refuse this decision ({transition.Refusal}): the revision was {Name(counted.State)} and the station's latest revision is {Stations[station].Highest}.",
                entry.Index, station, revision, transition.Refusal);
            return;
        }

        if (!string.Equals(transition.Decision.Reason, logged.Reason, StringComparison.Ordinal))
        {
            Add(FindingCodes.DecisionMalformed, "The reason is logged with surrounding white space; Central logs it trimmed.", entry.Index, station, revision, "REASON_NOT_TRIMMED");
        }

        counted.State = transition.State;
        Tabulator?.Apply(new DecisionRecorded(station, revision, transition.State));
    }

    private void ApplyRevocation(EntryResult entry, RevocationResult revocation)
    {
        var crlNumber = revocation.Logged.CrlNumber;
        if (!RevocationEntries.TryAdd(revocation.Serial, (entry.Index, revocation)))
        {
            Add(FindingCodes.RevocationDuplicate, $"Serial {revocation.Serial} was already logged as revoked at entry {RevocationEntries[revocation.Serial].Index}.", entry.Index, serial: revocation.Serial);
        }

        if (_lastCrlNumber is { } last && crlNumber < last)
        {
            Add(FindingCodes.CrlOrderInvalid, $"The entry names CRL {crlNumber}, after an entry that named CRL {last}: CRLs come into force in increasing order.", entry.Index, serial: revocation.Serial);
        }

        _lastCrlNumber = Math.Max(_lastCrlNumber ?? 0, crlNumber);
    }

    private void Add(string code, string message, long index, string? station = null, int? revision = null, string? reason = null, string? serial = null) =>
        _findings.Add(ReportSection.Entries, new AuditFinding(code, message) { Index = index, Station = station, Revision = revision, Reason = reason, Serial = serial });

    private static string Capitalized(string text) => char.ToUpperInvariant(text[0]) + text[1..];

    private static string BundleFormat(DateTimeOffset value) => Bundle.BundleFormat.FormatTime(value);

    internal static string Name(CoreReviewState state) => state switch
    {
        CoreReviewState.Pending => "pending",
        CoreReviewState.Accepted => "accepted",
        CoreReviewState.Rejected => "rejected",
        CoreReviewState.RecountRequested => "recount_requested",
        _ => state.ToString(),
    };
}
