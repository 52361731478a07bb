using System.Globalization;
using System.Security.Cryptography;
using Spectre.Console;
using Spectre.Console.Rendering;
using Transmission.Contracts.V1;
using Transmission.Verifier.Listing;
using Transmission.Verifier.Submissions;
using Transmission.Verifier.Terminal;
using Transmission.Cli.Localization;
using Transmission.Verifier.Localization;

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
        console.Write(new Text(Localized.Format(VerifierText.ShowStationLine, protocol.StationCode, N(protocol.Revision), N(summary.Revision), N(summary.Revisions))));
        console.Write(SubmissionTable.StateText(revisionState));
        console.WriteLine();
        console.WriteLine(Localized.Format(VerifierText.ShowPlace, summary.Municipality, summary.PollingCentre));
        console.WriteLine(Localized.Format(VerifierText.ShowEnvelope, Convert.ToHexStringLower(SHA256.HashData(detail.Envelope.Span))));
        console.WriteLine(Localized.Format(VerifierText.ShowCheckedHere, copy.Signer));
        if (protocol.CorrectionReason.Length > 0)
        {
            console.WriteLine(Localized.Format(VerifierText.ShowCorrectionReason, protocol.CorrectionReason));
        }

        if (protocol.Explanation.Length > 0)
        {
            console.WriteLine(Localized.Format(VerifierText.ShowExplanation, protocol.Explanation));
        }

        console.WriteLine();
        console.WriteLine(VerifierText.ShowBallots);
        var ballots = protocol.Ballots ?? new BallotCounts();
        var counts = console.NewTable(VerifierText.ColRegisteredVoters, VerifierText.ColReceived, VerifierText.ColUsed, VerifierText.ColUnused, VerifierText.ColSpoiled, VerifierText.ColInvalid, VerifierText.ColValid);
        counts.AddTextRow(N(ballots.RegisteredVoters), N(ballots.Received), N(ballots.Used), N(ballots.Unused), N(ballots.Spoiled), N(ballots.Invalid), N(ballots.Valid));
        console.Write(counts);

        foreach (var contest in protocol.Contests)
        {
            console.WriteLine(Localized.Format(VerifierText.ShowContest, contest.ContestId));
            var choices = console.NewTable(VerifierText.ColChoice, VerifierText.ColVotes);
            choices.Columns[1].RightAligned();
            foreach (var choice in contest.Choices)
            {
                choices.AddTextRow(choice.ChoiceId, N(choice.Votes));
            }

            choices.AddTextRow(VerifierText.Total, N(contest.Choices.Aggregate(0UL, (sum, c) => checked(sum + c.Votes))));
            console.Write(choices);
        }

        console.WriteLine();
        if (detail.Flags.Count == 0)
        {
            console.WriteLine(VerifierText.FlagsNone);
        }
        else
        {
            console.WriteLine(Localized.Format(VerifierText.FlagsCount, detail.Flags.Count));
            var flags = console.NewTable(VerifierText.ColCode, VerifierText.ColContest, VerifierText.ColChoice, VerifierText.ColWhat);
            foreach (var flag in detail.Flags)
            {
                flags.AddRow(new Text(flag.Code, new Style(Color.Yellow)), new Text(Dash(flag.ContestId)), new Text(Dash(flag.ChoiceId)), new Text(flag.Message));
            }

            console.Write(flags);
        }

        console.WriteLine();
        console.WriteLine(VerifierText.ShowVerification);
        var facts = detail.Verification ?? new VerificationFacts();
        var grid = new Grid().AddColumn().AddColumn();
        foreach (var (name, value) in new[]
                 {
                     (VerifierText.FactPayloadType, facts.PayloadType),
                     (VerifierText.FactPayloadSha, EnvelopeDigest.Hex(facts.PayloadSha256)),
                     (VerifierText.FactAlgorithm, facts.Algorithm),
                     (VerifierText.FactSigner, facts.SignerUri),
                     (VerifierText.FactSignerSubject, facts.SignerSubject),
                     (VerifierText.FactSignerSerial, facts.SignerSerial),
                     (VerifierText.FactSignerCertSha, EnvelopeDigest.Hex(facts.SignerCertificateSha256)),
                     (VerifierText.FactSignerValid, Localized.Format(VerifierText.FactValidRange, ReviewVocabulary.Time(facts.SignerNotBefore), ReviewVocabulary.Time(facts.SignerNotAfter))),
                     (VerifierText.FactCosignatures, Localized.Format(VerifierText.FactCosignaturesValue, N(facts.VerifiedCosignatures), N(facts.RequiredCosignatures))),
                     (VerifierText.FactSignedAt, ReviewVocabulary.Time(facts.SignedAt)),
                     (VerifierText.FactReceivedAt, ReviewVocabulary.Time(facts.ReceivedAt)),
                     (VerifierText.FactLogIndex, N(facts.LogIndex)),
                     (VerifierText.FactDefinitionSha, EnvelopeDigest.Hex(facts.DefinitionSha256)),
                 })
        {
            grid.AddRow(new Text("  " + name), new Text(value));
        }

        console.Write(grid);

        console.WriteLine();
        if (detail.Attachments.Count == 0)
        {
            console.WriteLine(VerifierText.AttachmentsNone);
        }
        else
        {
            console.WriteLine(Localized.Format(VerifierText.AttachmentsCount, detail.Attachments.Count));
            var attachments = console.NewTable("#", VerifierText.ColName, VerifierText.ColType, VerifierText.ColSize, "sha256");
            attachments.Columns[3].RightAligned();
            foreach (var a in detail.Attachments)
            {
                attachments.AddTextRow(N(a.Index), a.Name, a.MediaType, N(a.Size), EnvelopeDigest.Hex(a.Sha256));
            }

            console.Write(attachments);
        }

        console.WriteLine();
        console.WriteLine(Localized.Format(VerifierText.RevisionsCount, detail.Revisions.Count));
        var revisions = console.NewTable(VerifierText.ColRev, VerifierText.ColEnvelopeSha, VerifierText.ColReceived, VerifierText.ColState, VerifierText.ColLogIndex);
        foreach (var r in detail.Revisions)
        {
            revisions.AddRow(new Text(N(r.Revision)), new Text(EnvelopeDigest.Hex(r.EnvelopeSha256)), new Text(ReviewVocabulary.Time(r.ReceivedAt)), SubmissionTable.StateText(r.State), new Text(N(r.LogIndex)));
        }

        console.Write(revisions);
        foreach (var r in detail.Revisions)
        {
            if (r.CorrectionReason.Length > 0)
            {
                console.WriteLine(Localized.Format(VerifierText.RevisionCorrects, N(r.Revision), r.CorrectionReason));
            }

            foreach (var d in r.Decisions)
            {
                console.WriteLine(Localized.Format(VerifierText.RevisionDecided, N(r.Revision), ReviewVocabulary.DisplayName(d.Decision), d.VerifierUri, ReviewVocabulary.Time(d.DecidedAt), N(d.LogIndex), d.Reason));
            }

            if (r.Decisions.Count == 0)
            {
                console.WriteLine(Localized.Format(VerifierText.RevisionNotDecided, N(r.Revision)));
            }
        }
    }

    private static void AddTextRow(this Table table, params string[] cells) => table.AddRow(cells.Select(c => (IRenderable)new Text(c)).ToArray());

    private static string Dash(string text) => text.Length == 0 ? "-" : text;

    private static string N(ulong value) => value.ToString(CultureInfo.CurrentCulture);

    private static string N(uint value) => value.ToString(CultureInfo.CurrentCulture);
}
