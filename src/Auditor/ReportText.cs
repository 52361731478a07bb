using Transmission.Audit.Verification;
using Transmission.Auditor.Localization;
using Transmission.Cli.Localization;

namespace Transmission.Auditor;

/// <summary>
/// The plain-language report on stdout, in the chosen language: what was checked, the notes, every finding with its
/// place, the verdict. Finding codes and reasons are never translated; the finding and note details come from the
/// verifier engine in English. The JSON report (<see cref="AuditReportJson"/>) is not affected by the language.
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
                output.WriteLine($"  {Place(note.Index, note.Station, note.Revision, null)}{note.Message}");
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
            output.WriteLine($"  {code}  {Place(f.Index, f.Station, f.Revision, f.Path)}{f.Message}");
        }

        output.WriteLine();
        output.WriteLine(F(AuditText.ResultNotVerified, N(report.Findings.Count)));
    }

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
    private static string N(long value) => value.ToString("N0", System.Globalization.CultureInfo.CurrentCulture);

    private static string F(string format, params object?[] args) => Localized.Format(format, args);
}
