using System.Globalization;
using Transmission.Audit.Verification;

namespace Transmission.Auditor;

/// <summary>The plain-language report on stdout: what was checked, the notes, every finding with its place, the verdict.</summary>
internal static class ReportText
{
    public static void Write(AuditReport report, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(output);
        var c = report.Counts;
        output.WriteLine($"Audit of the bundle {report.Bundle}");
        output.WriteLine($"Election {report.ElectionId ?? "(unknown)"} ({report.Mode ?? "mode unknown"}), {N(report.LogSize)} log entries.");
        output.WriteLine(report.RootSource switch
        {
            RootSource.Pinned => $"Election root: the one you pinned with --root (SHA-256 {report.RootSha256}).",
            RootSource.Bundle => $"Election root: TAKEN FROM THE BUNDLE ITSELF (SHA-256 {report.RootSha256}). Pass --root with the root you obtained independently; otherwise this audit only shows that the bundle agrees with itself.",
            _ => "Election root: none usable; no signature could be checked.",
        });
        output.WriteLine();

        output.WriteLine("Checked:");
        Line(output, "Checkpoint", "signature by Central's central-signing key (which must chain to the root), log name, tree size and root against the entries");
        Line(output, "Saved checkpoints", c.SavedCheckpoints == 0 ? "none given (--checkpoints)" : $"{N(c.SavedCheckpoints)}, each must verify and be a prefix of this log");
        Line(output, "Log entries", $"{Count(c.Entries, "entry", "entries")} ({Count(c.Submissions, "submission")}, {Count(c.Decisions, "decision")}, {Count(c.Revocations, "revocation")}); entries.json against entries.bin");
        Line(output, "Submissions", $"{N(c.SubmissionsVerified)} of {N(c.Submissions)} verified: signature, certificate chain to the root, key usage, validity, revocation, station binding, election and definition, rules; {Count(c.CoSignaturesVerified, "committee co-signature")}; {N(c.SubmissionsFlagged)} flagged for arithmetic");
        Line(output, "Attachments", $"{Count(c.AttachmentsChecked, "scanned form")} against their signed digests");
        Line(output, "Revocation", $"{Count(c.Crls, "CRL")} ({Count(c.RevokedSerials, "revoked certificate")}) against the root and the log's revocation entries");
        Line(output, "Evidence", $"{Count(c.EvidenceEnvelopes, "conflicting envelope")} kept by Central");
        Line(output, "Published results", $"{Count(c.TotalsNumbersCompared, "number")} of totals.json recomputed from the log; {Count(c.StationRevisionsCompared, "station revision")} of stations.json ({Count(c.StationsReported, "station")} reported)");
        Line(output, "Manifest", "file list, sizes and SHA-256 (a completeness check only)");

        foreach (var (kind, title) in new[]
        {
            (AuditNoteKinds.SignedBeforeRevocation, "Signed before revocation (valid):"),
            (AuditNoteKinds.ConflictEvidence, "Conflicting envelopes Central kept as evidence:"),
            (AuditNoteKinds.NotChecked, "Not checked:"),
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
            output.WriteLine("Findings: none.");
            output.WriteLine("RESULT: VERIFIED. No finding.");
            return;
        }

        output.WriteLine($"Findings ({N(report.Findings.Count)}):");
        foreach (var f in report.Findings)
        {
            var code = f.Reason is null ? f.Code : $"{f.Code} ({f.Reason})";
            output.WriteLine($"  {code}  {Place(f.Index, f.Station, f.Revision, f.Path)}{f.Message}");
        }

        output.WriteLine();
        output.WriteLine($"RESULT: NOT VERIFIED. {N(report.Findings.Count)} finding(s); the codes are explained in docs/audit-bundle.md.");
    }

    private static void Line(TextWriter output, string what, string detail) => output.WriteLine($"  {what}: {detail}.");

    private static string Place(long? index, string? station, int? revision, string? path)
    {
        var parts = new List<string>(3);
        if (index is { } i)
        {
            parts.Add("entry " + N(i));
        }

        if (station is not null)
        {
            parts.Add(revision is { } r ? $"station {station} revision {r}" : $"station {station}");
        }

        if (path is not null)
        {
            parts.Add(path);
        }

        return parts.Count == 0 ? string.Empty : "[" + string.Join(", ", parts) + "] ";
    }

    private static string Count(long value, string one, string? many = null) => $"{N(value)} {(value == 1 ? one : many ?? one + "s")}";

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
