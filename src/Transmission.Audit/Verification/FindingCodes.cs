using System.Reflection;

namespace Transmission.Audit.Verification;

/// <summary>
/// The stable codes of <see cref="AuditFinding"/> (docs/audit-bundle.md, "Findings"). A finding means the bundle does
/// not prove what it should: something was altered, is missing, or Central did what it must not. Codes are part of
/// the contract of the JSON report; never rename one.
/// </summary>
public static class FindingCodes
{
    // Files and manifest.

    /// <summary>A file every bundle has (or one the log refers to) is absent.</summary>
    public const string FileMissing = "FILE_MISSING";

    /// <summary><c>MANIFEST.json</c> is absent or not the documented JSON.</summary>
    public const string ManifestMalformed = "MANIFEST_MALFORMED";

    /// <summary>The manifest's election, mode, log size or attachment flag is not what the bundle holds.</summary>
    public const string ManifestMismatch = "MANIFEST_MISMATCH";

    /// <summary>The manifest lists a file the bundle does not have.</summary>
    public const string ManifestFileMissing = "MANIFEST_FILE_MISSING";

    /// <summary>The bundle has a file the manifest does not list.</summary>
    public const string ManifestFileExtra = "MANIFEST_FILE_EXTRA";

    /// <summary>A file's size or SHA-256 is not the one the manifest lists.</summary>
    public const string ManifestFileMismatch = "MANIFEST_FILE_MISMATCH";

    // Election definition and PKI.

    /// <summary><c>election.json</c> is not a valid election definition.</summary>
    public const string DefinitionInvalid = "DEFINITION_INVALID";

    /// <summary>The bundle's root certificate cannot be used as the election root (not a self-signed CA certificate).</summary>
    public const string RootInvalid = "ROOT_INVALID";

    /// <summary>The bundle's root certificate is not the root the auditor pinned with <c>--root</c>.</summary>
    public const string RootMismatch = "ROOT_MISMATCH";

    /// <summary>Central's signing certificate does not chain to the root, is not a central-signing certificate, or was not valid (or was revoked) when the log was written.</summary>
    public const string CentralCertificateInvalid = "CENTRAL_CERTIFICATE_INVALID";

    /// <summary>A CRL cannot be decoded or is not signed by the root (reason <c>CRL_MALFORMED</c> or <c>CRL_UNTRUSTED</c>).</summary>
    public const string CrlInvalid = "CRL_INVALID";

    /// <summary>A CRL's file name does not state its cRLNumber.</summary>
    public const string CrlNumberMismatch = "CRL_NUMBER_MISMATCH";

    /// <summary>CRL numbers do not increase with their issue time, or revocation entries name CRLs out of order.</summary>
    public const string CrlOrderInvalid = "CRL_ORDER_INVALID";

    // The checkpoint and the auditor's saved checkpoints.

    /// <summary><c>log/checkpoint</c> is not a well-formed signed checkpoint note.</summary>
    public const string CheckpointMalformed = "CHECKPOINT_MALFORMED";

    /// <summary>The checkpoint carries no valid signature by Central's signing key under the log's name.</summary>
    public const string CheckpointSignatureInvalid = "CHECKPOINT_SIGNATURE_INVALID";

    /// <summary>The checkpoint's origin is not <c>transmission/&lt;election id&gt;</c>.</summary>
    public const string CheckpointOriginMismatch = "CHECKPOINT_ORIGIN_MISMATCH";

    /// <summary>The checkpoint's tree size is not the number of entries in <c>log/entries.bin</c>.</summary>
    public const string CheckpointSizeMismatch = "CHECKPOINT_SIZE_MISMATCH";

    /// <summary>The checkpoint's root hash is not the Merkle root of the entries.</summary>
    public const string CheckpointRootMismatch = "CHECKPOINT_ROOT_MISMATCH";

    /// <summary>A saved checkpoint does not verify with Central's key for this log.</summary>
    public const string SavedCheckpointInvalid = "SAVED_CHECKPOINT_INVALID";

    /// <summary>A saved checkpoint is larger than the bundle's log: the log shrank.</summary>
    public const string LogShrank = "LOG_SHRANK";

    /// <summary>A saved checkpoint's root is not the root of the same number of this bundle's first entries: history was rewritten.</summary>
    public const string CheckpointInconsistent = "CHECKPOINT_INCONSISTENT";

    // The log files.

    /// <summary><c>log/entries.bin</c> ends inside an entry.</summary>
    public const string EntriesTruncated = "ENTRIES_TRUNCATED";

    /// <summary>An entry states a length above the 16 MiB limit; reading stops there.</summary>
    public const string EntryTooLarge = "ENTRY_TOO_LARGE";

    /// <summary>An entry's kind byte is not 0, 1 or 2.</summary>
    public const string EntryKindUnknown = "ENTRY_KIND_UNKNOWN";

    /// <summary><c>log/entries.json</c> is not the documented JSON.</summary>
    public const string EntriesJsonMalformed = "ENTRIES_JSON_MALFORMED";

    /// <summary><c>log/entries.json</c> lists more or fewer entries than <c>log/entries.bin</c> holds.</summary>
    public const string EntryCountMismatch = "ENTRY_COUNT_MISMATCH";

    /// <summary>An entry's kind in <c>entries.json</c> is not its kind in <c>entries.bin</c>.</summary>
    public const string EntryKindMismatch = "ENTRY_KIND_MISMATCH";

    /// <summary>An entry's <c>leafHash</c> in <c>entries.json</c> is not the hash of its bytes in <c>entries.bin</c>.</summary>
    public const string EntryHashMismatch = "ENTRY_HASH_MISMATCH";

    /// <summary>Another fact of <c>entries.json</c> (index, time, station, revision, envelope hash, attachments) disagrees with the entry.</summary>
    public const string EntryFactsMismatch = "ENTRY_FACTS_MISMATCH";

    // Submissions.

    /// <summary>The envelope is not canonical or not well formed (reason: the envelope code, e.g. <c>DUPLICATE_SIGNER</c>).</summary>
    public const string EnvelopeMalformed = "ENVELOPE_MALFORMED";

    /// <summary>The chair's signature is missing, of an unknown algorithm, or does not verify.</summary>
    public const string SignatureInvalid = "SIGNATURE_INVALID";

    /// <summary>The chair's certificate is not a trusted station signing certificate at Central's receive time (reason: the PKI code).</summary>
    public const string SignerUntrusted = "SIGNER_UNTRUSTED";

    /// <summary>The signed payload type is not a result protocol.</summary>
    public const string PayloadTypeUnknown = "PAYLOAD_TYPE_UNKNOWN";

    /// <summary>The signed payload is not a readable result protocol.</summary>
    public const string PayloadMalformed = "PAYLOAD_MALFORMED";

    /// <summary>The signer's station is not the station named in the payload.</summary>
    public const string StationMismatch = "STATION_MISMATCH";

    /// <summary>The protocol breaks a Reject rule Central must refuse (reason: the rule code, e.g. <c>DEFINITION_MISMATCH</c>).</summary>
    public const string ProtocolRejected = "PROTOCOL_REJECTED";

    /// <summary>The protocol's signing time is outside its signer certificate's validity.</summary>
    public const string SignedOutsideValidity = "SIGNED_OUTSIDE_VALIDITY";

    /// <summary>The Flag rule codes recomputed from the protocol are not the flags Central recorded.</summary>
    public const string FlagsMismatch = "FLAGS_MISMATCH";

    /// <summary>The co-signatures that verify are not the number Central recorded.</summary>
    public const string CosignaturesMismatch = "COSIGNATURES_MISMATCH";

    /// <summary>An attachment the protocol declares is not in the bundle (which says it includes attachments).</summary>
    public const string AttachmentMissing = "ATTACHMENT_MISSING";

    /// <summary>An attachment's bytes do not have the size and SHA-256 the protocol signs.</summary>
    public const string AttachmentDigestMismatch = "ATTACHMENT_DIGEST_MISMATCH";

    /// <summary>A file in <c>attachments/</c> is declared by no logged protocol.</summary>
    public const string AttachmentUnreferenced = "ATTACHMENT_UNREFERENCED";

    /// <summary>A station's revision does not increase in log order (the same or a lower revision again).</summary>
    public const string RevisionNotIncreasing = "REVISION_NOT_INCREASING";

    /// <summary>The same protocol payload is logged twice.</summary>
    public const string PayloadDuplicate = "PAYLOAD_DUPLICATE";

    // Decisions.

    /// <summary>A decision entry is not <c>PAE(decision type, LoggedDecision)</c> of this election, or a field is unusable.</summary>
    public const string DecisionMalformed = "DECISION_MALFORMED";

    /// <summary>A decision names an envelope no earlier entry logged.</summary>
    public const string DecisionTargetUnknown = "DECISION_TARGET_UNKNOWN";

    /// <summary>A decision's station or revision is not that of the envelope it names.</summary>
    public const string DecisionTargetMismatch = "DECISION_TARGET_MISMATCH";

    /// <summary>The review state machine refuses the decision (reason: <c>ALREADY_DECIDED</c>, <c>SUPERSEDED</c>, ...).</summary>
    public const string DecisionNotAllowed = "DECISION_NOT_ALLOWED";

    // Revocations.

    /// <summary>A revocation entry is not <c>PAE(revocation type, LoggedRevocation)</c> of this election, or a field is unusable.</summary>
    public const string RevocationMalformed = "REVOCATION_MALFORMED";

    /// <summary>A CRL revokes a serial for which the log has no revocation entry.</summary>
    public const string RevocationNotLogged = "REVOCATION_NOT_LOGGED";

    /// <summary>A revocation entry disagrees with the CRLs: date, reason, CRL number or CRL hash.</summary>
    public const string RevocationMismatch = "REVOCATION_MISMATCH";

    /// <summary>A revocation entry revokes a serial no CRL of the bundle revokes.</summary>
    public const string RevocationNotInCrl = "REVOCATION_NOT_IN_CRL";

    /// <summary>Two revocation entries for the same serial.</summary>
    public const string RevocationDuplicate = "REVOCATION_DUPLICATE";

    /// <summary>A submission is logged after the revocation entry of its signer's certificate.</summary>
    public const string SubmittedAfterRevocation = "SUBMITTED_AFTER_REVOCATION";

    /// <summary>A protocol's signing time is at or after its signer certificate's revocation date.</summary>
    public const string SignedAfterRevocation = "SIGNED_AFTER_REVOCATION";

    /// <summary>Central received a protocol at or after its signer certificate's revocation date.</summary>
    public const string ReceivedAfterRevocation = "RECEIVED_AFTER_REVOCATION";

    // Evidence.

    /// <summary>An evidence envelope is misnamed, does not verify, or does not conflict with a logged submission.</summary>
    public const string EvidenceInvalid = "EVIDENCE_INVALID";

    // Published exports.

    /// <summary>A published export is not the documented JSON (docs/exports.md).</summary>
    public const string PublishedMalformed = "PUBLISHED_MALFORMED";

    /// <summary>A published export's election, definition hash, mode or log size is not the bundle's.</summary>
    public const string PublishedProvenanceMismatch = "PUBLISHED_PROVENANCE_MISMATCH";

    /// <summary>A number of <c>published/totals.json</c> differs from the totals recomputed from the log.</summary>
    public const string TotalsMismatch = "TOTALS_MISMATCH";

    /// <summary><c>published/stations.json</c> differs from the log (stations, revisions, log indexes, hashes, numbers).</summary>
    public const string StationsMismatch = "STATIONS_MISMATCH";

    /// <summary>A review state in <c>published/stations.json</c> is not the one the logged decisions give.</summary>
    public const string ReviewStateMismatch = "REVIEW_STATE_MISMATCH";

    /// <summary>Every code, in declaration order.</summary>
    public static IReadOnlyList<string> All { get; } = [.. typeof(FindingCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral)
        .Select(f => (string)f.GetRawConstantValue()!)];
}
