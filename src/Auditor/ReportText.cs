using System.Globalization;
using Transmission.Audit.Verification;
using Transmission.Auditor.Localization;
using Transmission.Cli.Localization;

namespace Transmission.Auditor;

/// <summary>
/// The plain-language report on stdout, in the chosen language: what was checked, the notes, every finding with its
/// place, the verdict. Finding codes and reasons are never translated. In English a finding or note is the verifier
/// engine's own sentence with its facts; in Albanian and Serbian a note is worded from its facts
/// (<see cref="AuditNoteFacts"/>), and a finding by what its code means, followed by the engine's sentence marked as
/// English (its facts: values found and expected, file paths, nested PKI details). The JSON report
/// (<see cref="AuditReportJson"/>) is not affected by the language.
/// </summary>
internal static class ReportText
{
    public static void Write(AuditReport report, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(output);
        var c = report.Counts;
        output.WriteLine(F(AuditText.Title, report.Bundle));
        output.WriteLine(F(AuditText.ElectionLine, report.ElectionId ?? AuditText.ElectionUnknown, report.Mode ?? AuditText.ModeUnknown, N(report.LogSize)));
        output.WriteLine(report.RootSource switch
        {
            RootSource.Pinned => F(AuditText.RootPinned, report.RootSha256),
            RootSource.Bundle => F(AuditText.RootFromBundle, report.RootSha256),
            _ => AuditText.RootNone,
        });
        output.WriteLine();

        output.WriteLine(AuditText.Checked);
        Line(output, AuditText.CheckpointLabel, AuditText.CheckpointDetail);
        Line(output, AuditText.SavedLabel, c.SavedCheckpoints == 0 ? AuditText.SavedNone : F(AuditText.SavedDetail, N(c.SavedCheckpoints)));
        Line(output, AuditText.EntriesLabel, F(AuditText.EntriesDetail, Count(c.Entries, AuditText.Unit_entry_One, AuditText.Unit_entry_Many), Count(c.Submissions, AuditText.Unit_submission_One, AuditText.Unit_submission_Many), Count(c.Decisions, AuditText.Unit_decision_One, AuditText.Unit_decision_Many), Count(c.Revocations, AuditText.Unit_revocation_One, AuditText.Unit_revocation_Many)));
        Line(output, AuditText.SubmissionsLabel, F(AuditText.SubmissionsDetail, N(c.SubmissionsVerified), N(c.Submissions), Count(c.CoSignaturesVerified, AuditText.Unit_cosignature_One, AuditText.Unit_cosignature_Many), N(c.SubmissionsFlagged)));
        Line(output, AuditText.AttachmentsLabel, F(AuditText.AttachmentsDetail, Count(c.AttachmentsChecked, AuditText.Unit_scan_One, AuditText.Unit_scan_Many)));
        Line(output, AuditText.RevocationLabel, F(AuditText.RevocationDetail, Count(c.Crls, AuditText.Unit_crl_One, AuditText.Unit_crl_Many), Count(c.RevokedSerials, AuditText.Unit_revoked_One, AuditText.Unit_revoked_Many)));
        Line(output, AuditText.EvidenceLabel, F(AuditText.EvidenceDetail, Count(c.EvidenceEnvelopes, AuditText.Unit_conflicting_One, AuditText.Unit_conflicting_Many)));
        Line(output, AuditText.PublishedLabel, F(AuditText.PublishedDetail, Count(c.TotalsNumbersCompared, AuditText.Unit_number_One, AuditText.Unit_number_Many), Count(c.StationRevisionsCompared, AuditText.Unit_stationRevision_One, AuditText.Unit_stationRevision_Many), Count(c.StationsReported, AuditText.Unit_station_One, AuditText.Unit_station_Many)));
        Line(output, AuditText.ManifestLabel, AuditText.ManifestDetail);

        foreach (var (kind, title) in new[]
        {
            (AuditNoteKinds.SignedBeforeRevocation, AuditText.NotesSignedBeforeRevocation),
            (AuditNoteKinds.ConflictEvidence, AuditText.NotesConflictEvidence),
            (AuditNoteKinds.NotChecked, AuditText.NotesNotChecked),
        })
        {
            var notes = report.Notes.Where(n => n.Kind == kind).ToList();
            if (notes.Count == 0)
            {
                continue;
            }

            output.WriteLine();
            output.WriteLine(title);
            foreach (var note in notes)
            {
                output.WriteLine($"  {Place(note.Index, note.Station, note.Revision, null)}{NoteText(note)}");
            }
        }

        output.WriteLine();
        if (report.IsClean)
        {
            output.WriteLine(AuditText.FindingsNone);
            output.WriteLine(AuditText.ResultVerified);
            return;
        }

        output.WriteLine(F(AuditText.FindingsCount, N(report.Findings.Count)));
        foreach (var f in report.Findings)
        {
            var code = f.Reason is null ? f.Code : $"{f.Code} ({f.Reason})";
            var meaning = English ? null : Meaning(f.Code);
            output.WriteLine($"  {code}  {Place(f.Index, f.Station, f.Revision, f.Path)}{meaning ?? f.Message}");
            if (meaning is not null)
            {
                output.WriteLine("      " + F(AuditText.FindingDetailEnglish, f.Message));
            }
        }

        output.WriteLine();
        output.WriteLine(F(AuditText.ResultNotVerified, N(report.Findings.Count)));
    }

    /// <summary>Whether the report is in English, where findings and notes are the engine's sentences.</summary>
    private static bool English =>
        CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en" || CultureInfo.CurrentUICulture.Name.Length == 0;

    /// <summary>A note in the chosen language: worded from its facts, or the engine's sentence in English.</summary>
    internal static string NoteText(AuditNote note)
    {
        ArgumentNullException.ThrowIfNull(note);
        if (English || note.Facts is not { } facts)
        {
            return note.Message;
        }

        return facts.Topic switch
        {
            AuditNoteTopics.AttachmentsNotIncluded => AuditText.Note_ATTACHMENTS_NOT_INCLUDED,
            AuditNoteTopics.NoDefinition => AuditText.Note_NO_DEFINITION,
            AuditNoteTopics.NoRoot => AuditText.Note_NO_ROOT,
            AuditNoteTopics.NoCentralCertificate => AuditText.Note_NO_CENTRAL_CERTIFICATE,
            AuditNoteTopics.ConflictEvidence => F(AuditText.Note_CONFLICT_EVIDENCE, facts.Sha256, note.Station, note.Revision),
            AuditNoteTopics.SignedBeforeRevocation when facts.RevokedAt is { } revokedAt => F(
                AuditText.Note_SIGNED_BEFORE_REVOCATION,
                facts.SignedAt is { } signedAt ? F(AuditText.Note_SignedAt, Time(signedAt)) : AuditText.Note_NotDated,
                facts.ReceivedAt is { } receivedAt ? F(AuditText.Note_ReceivedAt, Time(receivedAt)) : AuditText.Note_ReceivedUnknown,
                note.Serial,
                Time(revokedAt)),
            _ => note.Message,
        };
    }

    /// <summary>What a finding code means, in the chosen language (the code itself is printed as it is).</summary>
    internal static string? Meaning(string code) => code switch
    {
        FindingCodes.FileMissing => AuditText.Finding_FILE_MISSING,
        FindingCodes.ManifestMalformed => AuditText.Finding_MANIFEST_MALFORMED,
        FindingCodes.ManifestMismatch => AuditText.Finding_MANIFEST_MISMATCH,
        FindingCodes.ManifestFileMissing => AuditText.Finding_MANIFEST_FILE_MISSING,
        FindingCodes.ManifestFileExtra => AuditText.Finding_MANIFEST_FILE_EXTRA,
        FindingCodes.ManifestFileMismatch => AuditText.Finding_MANIFEST_FILE_MISMATCH,
        FindingCodes.DefinitionInvalid => AuditText.Finding_DEFINITION_INVALID,
        FindingCodes.RootInvalid => AuditText.Finding_ROOT_INVALID,
        FindingCodes.RootMismatch => AuditText.Finding_ROOT_MISMATCH,
        FindingCodes.CentralCertificateInvalid => AuditText.Finding_CENTRAL_CERTIFICATE_INVALID,
        FindingCodes.CrlInvalid => AuditText.Finding_CRL_INVALID,
        FindingCodes.CrlNumberMismatch => AuditText.Finding_CRL_NUMBER_MISMATCH,
        FindingCodes.CrlOrderInvalid => AuditText.Finding_CRL_ORDER_INVALID,
        FindingCodes.CheckpointMalformed => AuditText.Finding_CHECKPOINT_MALFORMED,
        FindingCodes.CheckpointSignatureInvalid => AuditText.Finding_CHECKPOINT_SIGNATURE_INVALID,
        FindingCodes.CheckpointOriginMismatch => AuditText.Finding_CHECKPOINT_ORIGIN_MISMATCH,
        FindingCodes.CheckpointSizeMismatch => AuditText.Finding_CHECKPOINT_SIZE_MISMATCH,
        FindingCodes.CheckpointRootMismatch => AuditText.Finding_CHECKPOINT_ROOT_MISMATCH,
        FindingCodes.SavedCheckpointInvalid => AuditText.Finding_SAVED_CHECKPOINT_INVALID,
        FindingCodes.LogShrank => AuditText.Finding_LOG_SHRANK,
        FindingCodes.CheckpointInconsistent => AuditText.Finding_CHECKPOINT_INCONSISTENT,
        FindingCodes.EntriesTruncated => AuditText.Finding_ENTRIES_TRUNCATED,
        FindingCodes.EntryTooLarge => AuditText.Finding_ENTRY_TOO_LARGE,
        FindingCodes.EntryKindUnknown => AuditText.Finding_ENTRY_KIND_UNKNOWN,
        FindingCodes.EntriesJsonMalformed => AuditText.Finding_ENTRIES_JSON_MALFORMED,
        FindingCodes.EntryCountMismatch => AuditText.Finding_ENTRY_COUNT_MISMATCH,
        FindingCodes.EntryKindMismatch => AuditText.Finding_ENTRY_KIND_MISMATCH,
        FindingCodes.EntryHashMismatch => AuditText.Finding_ENTRY_HASH_MISMATCH,
        FindingCodes.EntryFactsMismatch => AuditText.Finding_ENTRY_FACTS_MISMATCH,
        FindingCodes.EnvelopeMalformed => AuditText.Finding_ENVELOPE_MALFORMED,
        FindingCodes.SignatureInvalid => AuditText.Finding_SIGNATURE_INVALID,
        FindingCodes.SignerUntrusted => AuditText.Finding_SIGNER_UNTRUSTED,
        FindingCodes.PayloadTypeUnknown => AuditText.Finding_PAYLOAD_TYPE_UNKNOWN,
        FindingCodes.PayloadMalformed => AuditText.Finding_PAYLOAD_MALFORMED,
        FindingCodes.StationMismatch => AuditText.Finding_STATION_MISMATCH,
        FindingCodes.ProtocolRejected => AuditText.Finding_PROTOCOL_REJECTED,
        FindingCodes.SignedOutsideValidity => AuditText.Finding_SIGNED_OUTSIDE_VALIDITY,
        FindingCodes.FlagsMismatch => AuditText.Finding_FLAGS_MISMATCH,
        FindingCodes.CosignaturesMismatch => AuditText.Finding_COSIGNATURES_MISMATCH,
        FindingCodes.AttachmentMissing => AuditText.Finding_ATTACHMENT_MISSING,
        FindingCodes.AttachmentDigestMismatch => AuditText.Finding_ATTACHMENT_DIGEST_MISMATCH,
        FindingCodes.AttachmentUnreferenced => AuditText.Finding_ATTACHMENT_UNREFERENCED,
        FindingCodes.RevisionNotIncreasing => AuditText.Finding_REVISION_NOT_INCREASING,
        FindingCodes.PayloadDuplicate => AuditText.Finding_PAYLOAD_DUPLICATE,
        FindingCodes.DecisionMalformed => AuditText.Finding_DECISION_MALFORMED,
        FindingCodes.DecisionTargetUnknown => AuditText.Finding_DECISION_TARGET_UNKNOWN,
        FindingCodes.DecisionTargetMismatch => AuditText.Finding_DECISION_TARGET_MISMATCH,
        FindingCodes.DecisionNotAllowed => AuditText.Finding_DECISION_NOT_ALLOWED,
        FindingCodes.RevocationMalformed => AuditText.Finding_REVOCATION_MALFORMED,
        FindingCodes.RevocationNotLogged => AuditText.Finding_REVOCATION_NOT_LOGGED,
        FindingCodes.RevocationMismatch => AuditText.Finding_REVOCATION_MISMATCH,
        FindingCodes.RevocationNotInCrl => AuditText.Finding_REVOCATION_NOT_IN_CRL,
        FindingCodes.RevocationDuplicate => AuditText.Finding_REVOCATION_DUPLICATE,
        FindingCodes.SubmittedAfterRevocation => AuditText.Finding_SUBMITTED_AFTER_REVOCATION,
        FindingCodes.SignedAfterRevocation => AuditText.Finding_SIGNED_AFTER_REVOCATION,
        FindingCodes.ReceivedAfterRevocation => AuditText.Finding_RECEIVED_AFTER_REVOCATION,
        FindingCodes.EvidenceInvalid => AuditText.Finding_EVIDENCE_INVALID,
        FindingCodes.PublishedMalformed => AuditText.Finding_PUBLISHED_MALFORMED,
        FindingCodes.PublishedProvenanceMismatch => AuditText.Finding_PUBLISHED_PROVENANCE_MISMATCH,
        FindingCodes.TotalsMismatch => AuditText.Finding_TOTALS_MISMATCH,
        FindingCodes.StationsMismatch => AuditText.Finding_STATIONS_MISMATCH,
        FindingCodes.ReviewStateMismatch => AuditText.Finding_REVIEW_STATE_MISMATCH,
        _ => null,
    };

    private static string Time(DateTimeOffset time) => F(AuditText.NoteTime, time.UtcDateTime);

    private static void Line(TextWriter output, string what, string detail) => output.WriteLine(F(AuditText.LineFormat, what, detail));

    private static string Place(long? index, string? station, int? revision, string? path)
    {
        var parts = new List<string>(3);
        if (index is { } i)
        {
            parts.Add(F(AuditText.PlaceEntry, N(i)));
        }

        if (station is not null)
        {
            parts.Add(revision is { } r ? F(AuditText.PlaceStationRevision, station, r) : F(AuditText.PlaceStation, station));
        }

        if (path is not null)
        {
            parts.Add(path);
        }

        return parts.Count == 0 ? string.Empty : "[" + string.Join(", ", parts) + "] ";
    }

    private static string Count(long value, string one, string many) => F(AuditText.CountFormat, N(value), value == 1 ? one : many);

    /// <summary>A count with the chosen language's thousands separator (<c>1,234</c>, <c>1 234</c>, <c>1.234</c>).</summary>
    private static string N(long value) => value.ToString("N0", CultureInfo.CurrentCulture);

    private static string F(string format, params object?[] args) => Localized.Format(format, args);
}
