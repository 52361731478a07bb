using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Serialization;

namespace Transmission.Audit.Verification;

/// <summary>One thing the bundle does not prove: a stable <see cref="Code"/> and where it was found.</summary>
/// <param name="Code">One of <see cref="FindingCodes"/>.</param>
/// <param name="Message">A plain-language sentence with the facts (values found and expected).</param>
public sealed record AuditFinding(string Code, string Message)
{
    /// <summary>The log index of the entry concerned, if any.</summary>
    public long? Index { get; init; }

    /// <summary>The station concerned, if any.</summary>
    public string? Station { get; init; }

    /// <summary>The revision concerned, if any.</summary>
    public int? Revision { get; init; }

    /// <summary>The bundle file (or saved checkpoint file) concerned, if any.</summary>
    public string? Path { get; init; }

    /// <summary>A more precise code from the check that failed (e.g. a PKI reason such as <c>UNTRUSTED_CHAIN</c>), if any.</summary>
    public string? Reason { get; init; }

    /// <summary>A certificate serial (upper-case hex) concerned, if any.</summary>
    public string? Serial { get; init; }

    /// <inheritdoc/>
    public override string ToString() => $"{Code}{(Reason is null ? string.Empty : $" ({Reason})")}{Where(this)}: {Message}";

    private static string Where(AuditFinding f)
    {
        var parts = new List<string>(4);
        if (f.Index is { } index)
        {
            parts.Add($"entry {index}");
        }

        if (f.Station is { } station)
        {
            parts.Add(f.Revision is { } revision ? $"station {station} revision {revision}" : $"station {station}");
        }

        if (f.Path is { } path)
        {
            parts.Add(path);
        }

        return parts.Count == 0 ? string.Empty : " [" + string.Join(", ", parts) + "]";
    }
}

/// <summary>Something the report states without it being a finding (e.g. a protocol signed before its signer's revocation, which stays valid).</summary>
/// <param name="Kind">One of <see cref="AuditNoteKinds"/>.</param>
/// <param name="Message">A plain-language sentence.</param>
public sealed record AuditNote(string Kind, string Message)
{
    /// <summary>The log index concerned, if any.</summary>
    public long? Index { get; init; }

    /// <summary>The station concerned, if any.</summary>
    public string? Station { get; init; }

    /// <summary>The revision concerned, if any.</summary>
    public int? Revision { get; init; }

    /// <summary>A certificate serial (upper-case hex) concerned, if any.</summary>
    public string? Serial { get; init; }

    /// <summary>What the note says, without words (for a report in another language); not in the JSON report.</summary>
    [JsonIgnore]
    public AuditNoteFacts? Facts { get; init; }
}

/// <summary>The kinds of <see cref="AuditNote"/>.</summary>
public static class AuditNoteKinds
{
    /// <summary>A protocol signed (and received) before its signer's certificate was revoked: it stays valid.</summary>
    public const string SignedBeforeRevocation = "SIGNED_BEFORE_REVOCATION";

    /// <summary>A conflicting envelope Central kept as evidence (same station and revision, another payload).</summary>
    public const string ConflictEvidence = "CONFLICT_EVIDENCE";

    /// <summary>A check that could not run (e.g. attachments not included, or a file it needs is missing).</summary>
    public const string NotChecked = "NOT_CHECKED";
}

/// <summary>What the verifier checked, counted.</summary>
public sealed class AuditCounts
{
    /// <summary>Entries read from <c>log/entries.bin</c>.</summary>
    public long Entries { get; internal set; }

    /// <summary>Submission entries.</summary>
    public long Submissions { get; internal set; }

    /// <summary>Submissions whose envelope, signer and protocol passed every check Central makes.</summary>
    public long SubmissionsVerified { get; internal set; }

    /// <summary>Committee co-signatures that verified.</summary>
    public long CoSignaturesVerified { get; internal set; }

    /// <summary>Submissions with at least one Flag rule code (recomputed).</summary>
    public long SubmissionsFlagged { get; internal set; }

    /// <summary>Decision entries.</summary>
    public long Decisions { get; internal set; }

    /// <summary>Revocation entries.</summary>
    public long Revocations { get; internal set; }

    /// <summary>CRLs in the bundle.</summary>
    public long Crls { get; internal set; }

    /// <summary>Serials revoked by the CRLs.</summary>
    public long RevokedSerials { get; internal set; }

    /// <summary>Distinct attachments whose bytes were checked against their signed digest.</summary>
    public long AttachmentsChecked { get; internal set; }

    /// <summary>Saved checkpoints checked for consistency.</summary>
    public long SavedCheckpoints { get; internal set; }

    /// <summary>Evidence envelopes checked.</summary>
    public long EvidenceEnvelopes { get; internal set; }

    /// <summary>Stations with at least one verified submission.</summary>
    public long StationsReported { get; internal set; }

    /// <summary>Numbers of <c>published/totals.json</c> compared with the recomputed totals.</summary>
    public long TotalsNumbersCompared { get; internal set; }

    /// <summary>Station revisions of <c>published/stations.json</c> compared with the log.</summary>
    public long StationRevisionsCompared { get; internal set; }
}

/// <summary>Where the election root the verifier trusted came from.</summary>
public enum RootSource
{
    /// <summary>The auditor pinned it (<c>--root</c>): obtained independently of the bundle.</summary>
    Pinned,

    /// <summary>Taken from the bundle itself: everything is checked against a root the bundle supplied.</summary>
    Bundle,

    /// <summary>No usable root: signatures could not be checked.</summary>
    None,
}

/// <summary>The outcome of <see cref="BundleVerifier.VerifyAsync"/>.</summary>
// Invariant: IsClean == (Findings.Count == 0); findings are in report order (files, PKI, checkpoints, entries by index, revocations, evidence, published).
public sealed class AuditReport
{
    internal AuditReport(string bundle, string? electionId, string? mode, long logSize, RootSource rootSource, string? rootSha256, AuditCounts counts, IReadOnlyList<AuditFinding> findings, IReadOnlyList<AuditNote> notes)
    {
        Bundle = bundle;
        ElectionId = electionId;
        Mode = mode;
        LogSize = logSize;
        RootSource = rootSource;
        RootSha256 = rootSha256;
        Counts = counts;
        Findings = findings;
        Notes = notes;
    }

    /// <summary>The bundle folder.</summary>
    public string Bundle { get; }

    /// <summary>The election (from the definition, else the manifest), if known.</summary>
    public string? ElectionId { get; }

    /// <summary><c>test</c> or <c>live</c>, if known.</summary>
    public string? Mode { get; }

    /// <summary>The number of entries read from the log.</summary>
    public long LogSize { get; }

    /// <summary>Where the trusted root came from.</summary>
    public RootSource RootSource { get; }

    /// <summary>The SHA-256 of the trusted root certificate (lowercase hex), if any.</summary>
    public string? RootSha256 { get; }

    /// <summary>What was checked.</summary>
    public AuditCounts Counts { get; }

    /// <summary>Every finding.</summary>
    public IReadOnlyList<AuditFinding> Findings { get; }

    /// <summary>Statements that are not findings.</summary>
    public IReadOnlyList<AuditNote> Notes { get; }

    /// <summary>Whether the bundle verified with no finding.</summary>
    public bool IsClean => Findings.Count == 0;
}

/// <summary>A checkpoint note the auditor saved earlier (e.g. from an earlier bundle or <c>GetCheckpoint</c>).</summary>
/// <param name="Name">Where it came from (the file name), for the report.</param>
/// <param name="Note">The signed note text.</param>
public sealed record SavedCheckpoint(string Name, string Note);

/// <summary>Progress of a verification, for a progress display.</summary>
/// <param name="Phase">What is being done, in English words.</param>
/// <param name="Done">Units done (bytes of the log while entries are read).</param>
/// <param name="Total">Units in all; 0 when unknown.</param>
public sealed record AuditProgress(string Phase, long Done, long Total)
{
    /// <summary>Which phase, without words, so that a front end can name it in its own language.</summary>
    public AuditPhase Kind { get; init; }
}

/// <summary>The phases of a verification, in order.</summary>
public enum AuditPhase
{
    /// <summary>Reading the bundle's files, the definition and the certificates.</summary>
    Reading,

    /// <summary>Reading and verifying every log entry (progress in bytes of the log).</summary>
    VerifyingLog,

    /// <summary>Revocations, checkpoints, evidence and the published files.</summary>
    Checking,
}

/// <summary>
/// What a note says without its words: which note it is and the facts in it beyond the note's station, revision and
/// serial, so that a front end can say it in its own language. Not part of the JSON report (the note's message is).
/// </summary>
/// <param name="Topic">One of <see cref="AuditNoteTopics"/>.</param>
public sealed record AuditNoteFacts(string Topic)
{
    /// <summary>A conflicting evidence envelope's SHA-256 (<see cref="AuditNoteTopics.ConflictEvidence"/>).</summary>
    public string? Sha256 { get; init; }

    /// <summary>When the station signed the protocol, if it says (<see cref="AuditNoteTopics.SignedBeforeRevocation"/>).</summary>
    public DateTimeOffset? SignedAt { get; init; }

    /// <summary>When Central received it, if known (<see cref="AuditNoteTopics.SignedBeforeRevocation"/>).</summary>
    public DateTimeOffset? ReceivedAt { get; init; }

    /// <summary>When the signer's certificate was revoked (<see cref="AuditNoteTopics.SignedBeforeRevocation"/>).</summary>
    public DateTimeOffset? RevokedAt { get; init; }
}

/// <summary>The topics of <see cref="AuditNoteFacts"/>: one per sentence the engine writes in a note.</summary>
public static class AuditNoteTopics
{
    /// <summary>The bundle has no attachments: their bytes were not checked.</summary>
    public const string AttachmentsNotIncluded = "ATTACHMENTS_NOT_INCLUDED";

    /// <summary>No valid election definition: rules and published totals were not checked.</summary>
    public const string NoDefinition = "NO_DEFINITION";

    /// <summary>No usable election root: no signature, certificate or CRL was checked.</summary>
    public const string NoRoot = "NO_ROOT";

    /// <summary>No valid Central signing certificate (or election id): no checkpoint signature was checked.</summary>
    public const string NoCentralCertificate = "NO_CENTRAL_CERTIFICATE";

    /// <summary>A conflicting envelope Central kept as evidence.</summary>
    public const string ConflictEvidence = "CONFLICT_EVIDENCE";

    /// <summary>A protocol signed before its signer's revocation: valid.</summary>
    public const string SignedBeforeRevocation = "SIGNED_BEFORE_REVOCATION";
}

/// <summary>Options of <see cref="BundleVerifier"/>.</summary>
public sealed record AuditOptions
{
    /// <summary>The election root the auditor obtained independently; <see langword="null"/>: use the bundle's (and say so).</summary>
    public X509Certificate2? PinnedRoot { get; init; }

    /// <summary>Checkpoints the auditor kept; each must be consistent with the bundle's log.</summary>
    public IReadOnlyList<SavedCheckpoint> SavedCheckpoints { get; init; } = [];

    /// <summary>How many entries are verified in parallel. Defaults to the number of processors.</summary>
    public int MaxDegreeOfParallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>Entries read and verified per batch (bounds memory). Defaults to 2,048.</summary>
    public int BatchSize { get; init; } = 2048;

    /// <summary>Receives progress reports; <see langword="null"/> for none.</summary>
    public IProgress<AuditProgress>? Progress { get; init; }

    /// <summary>The most findings listed per published file before the rest are summed up in one. Defaults to 50.</summary>
    public int MaxPublishedFindings { get; init; } = 50;
}
