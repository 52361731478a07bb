using System.Globalization;
using System.Security.Cryptography;
using Spectre.Console;
using Spectre.Console.Rendering;
using Transmission.Contracts.V1;
using Transmission.Verifier.Listing;
using Transmission.Verifier.Submissions;
using Transmission.Verifier.Terminal;

namespace Transmission.Verifier.Inspection;

/// <summary>
/// <c>show</c>'s report: the numbers, what Central checked, each flag in plain words, the attachments and every
/// revision with its decision. Contest and choice ids as the contract gives them (it carries no names).
/// </summary>
internal static class SubmissionReport
{
    /// <summary>Renders <paramref name="detail"/> with the numbers of <paramref name="copy"/>, which must be verified.</summary>
    public static void Render(IAnsiConsole console, SubmissionDetail detail, SignedCopy copy)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(detail);
        ArgumentNullException.ThrowIfNull(copy);
        var protocol = copy.Protocol ?? throw new ArgumentException("Only a verified copy is shown.", nameof(copy));
        var summary = detail.Summary ?? new SubmissionSummary();
        var revisionState = detail.Revisions.FirstOrDefault(r => r.Revision == protocol.Revision)?.State ?? summary.State;

        console.Write(new Text(ReviewVocabulary.Mode(protocol.Mode) + "\n"));
        console.Write(new Text($"station {protocol.StationCode}  revision {N(protocol.Revision)} (latest {N(summary.Revision)}, {N(summary.Revisions)} sent)  state "));
        console.Write(SubmissionTable.StateText(revisionState));
        console.WriteLine();
        console.WriteLine($"municipality {summary.Municipality}  polling centre {summary.PollingCentre}");
        console.WriteLine($"envelope sha256 {Convert.ToHexStringLower(SHA256.HashData(detail.Envelope.Span))}");
        console.WriteLine($"checked here: the envelope hashes to that digest, the chair's signature ({copy.Signer}) verifies against the election root, and the numbers below are the signed ones");
        if (protocol.CorrectionReason.Length > 0)
        {
            console.WriteLine("correction reason: " + protocol.CorrectionReason);
        }

        if (protocol.Explanation.Length > 0)
        {
            console.WriteLine("chair's explanation: " + protocol.Explanation);
        }

        console.WriteLine();
        console.WriteLine("ballots");
        var ballots = protocol.Ballots ?? new BallotCounts();
        var counts = console.NewTable("registered voters", "received", "used", "unused", "spoiled", "invalid", "valid");
        counts.AddTextRow(N(ballots.RegisteredVoters), N(ballots.Received), N(ballots.Used), N(ballots.Unused), N(ballots.Spoiled), N(ballots.Invalid), N(ballots.Valid));
        console.Write(counts);

        foreach (var contest in protocol.Contests)
        {
            console.WriteLine($"contest {contest.ContestId}");
            var choices = console.NewTable("choice", "votes");
            choices.Columns[1].RightAligned();
            foreach (var choice in contest.Choices)
            {
                choices.AddTextRow(choice.ChoiceId, N(choice.Votes));
            }

            choices.AddTextRow("total", N(contest.Choices.Aggregate(0UL, (sum, c) => checked(sum + c.Votes))));
            console.Write(choices);
        }

        console.WriteLine();
        if (detail.Flags.Count == 0)
        {
            console.WriteLine("flags: none");
        }
        else
        {
            console.WriteLine($"flags ({detail.Flags.Count})");
            var flags = console.NewTable("code", "contest", "choice", "what");
            foreach (var flag in detail.Flags)
            {
                flags.AddRow(new Text(flag.Code, new Style(Color.Yellow)), new Text(Dash(flag.ContestId)), new Text(Dash(flag.ChoiceId)), new Text(flag.Message));
            }

            console.Write(flags);
        }

        console.WriteLine();
        console.WriteLine("verification (what Central checked on receipt)");
        var facts = detail.Verification ?? new VerificationFacts();
        var grid = new Grid().AddColumn().AddColumn();
        foreach (var (name, value) in new[]
                 {
                     ("payload type", facts.PayloadType),
                     ("payload sha256", EnvelopeDigest.Hex(facts.PayloadSha256)),
                     ("algorithm", facts.Algorithm),
                     ("signer", facts.SignerUri),
                     ("signer subject", facts.SignerSubject),
                     ("signer serial", facts.SignerSerial),
                     ("signer certificate sha256", EnvelopeDigest.Hex(facts.SignerCertificateSha256)),
                     ("signer valid", $"{ReviewVocabulary.Time(facts.SignerNotBefore)} to {ReviewVocabulary.Time(facts.SignerNotAfter)}"),
                     ("co-signatures", $"{N(facts.VerifiedCosignatures)} verified, {N(facts.RequiredCosignatures)} required"),
                     ("signed at (station clock)", ReviewVocabulary.Time(facts.SignedAt)),
                     ("received at (Central clock)", ReviewVocabulary.Time(facts.ReceivedAt)),
                     ("log index", N(facts.LogIndex)),
                     ("election definition sha256", EnvelopeDigest.Hex(facts.DefinitionSha256)),
                 })
        {
            grid.AddRow(new Text("  " + name), new Text(value));
        }

        console.Write(grid);

        console.WriteLine();
        if (detail.Attachments.Count == 0)
        {
            console.WriteLine("attachments: none");
        }
        else
        {
            console.WriteLine($"attachments ({detail.Attachments.Count})");
            var attachments = console.NewTable("#", "name", "type", "size", "sha256");
            attachments.Columns[3].RightAligned();
            foreach (var a in detail.Attachments)
            {
                attachments.AddTextRow(N(a.Index), a.Name, a.MediaType, N(a.Size), EnvelopeDigest.Hex(a.Sha256));
            }

            console.Write(attachments);
        }

        console.WriteLine();
        console.WriteLine($"revisions ({detail.Revisions.Count})");
        var revisions = console.NewTable("rev", "envelope sha256", "received", "state", "log index");
        foreach (var r in detail.Revisions)
        {
            revisions.AddRow(new Text(N(r.Revision)), new Text(EnvelopeDigest.Hex(r.EnvelopeSha256)), new Text(ReviewVocabulary.Time(r.ReceivedAt)), SubmissionTable.StateText(r.State), new Text(N(r.LogIndex)));
        }

        console.Write(revisions);
        foreach (var r in detail.Revisions)
        {
            if (r.CorrectionReason.Length > 0)
            {
                console.WriteLine($"  r{N(r.Revision)} corrects the previous revision: {r.CorrectionReason}");
            }

            foreach (var d in r.Decisions)
            {
                console.WriteLine($"  r{N(r.Revision)} {ReviewVocabulary.Name(d.Decision)} by {d.VerifierUri} at {ReviewVocabulary.Time(d.DecidedAt)} (log index {N(d.LogIndex)}): {d.Reason}");
            }

            if (r.Decisions.Count == 0)
            {
                console.WriteLine($"  r{N(r.Revision)} not decided yet");
            }
        }
    }

    private static void AddTextRow(this Table table, params string[] cells) => table.AddRow(cells.Select(c => (IRenderable)new Text(c)).ToArray());

    private static string Dash(string text) => text.Length == 0 ? "-" : text;

    private static string N(ulong value) => value.ToString(CultureInfo.InvariantCulture);

    private static string N(uint value) => value.ToString(CultureInfo.InvariantCulture);
}
