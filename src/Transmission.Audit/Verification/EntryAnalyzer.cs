using System.Globalization;
using System.Security.Cryptography;
using Google.Protobuf;
using Transmission.Audit.Bundle;
using Transmission.Contracts.Mapping;
using Transmission.Contracts.V1;
using Transmission.Core.Election;
using Transmission.Core.Envelope;
using Transmission.Core.Log;
using Transmission.Core.Pki;
using Transmission.Core.Protocol;
using CoreResultProtocol = Transmission.Core.Protocol.ResultProtocol;

namespace Transmission.Audit.Verification;

/// <summary>
/// The checks of one entry that need nothing but the entry, its <c>entries.json</c> facts and the bundle's fixed parts
/// (definition, root, attachments): envelope and signer exactly as Central checks them (<see cref="EnvelopeVerifier"/>),
/// payload, binding, rules, flags, attachments; decoding of decision and revocation entries. Thread-safe: entries are
/// analysed in parallel; what depends on earlier entries is <see cref="LogReplay"/>'s.
/// </summary>
internal sealed class EntryAnalyzer(
    ElectionDefinition? definition,
    string? electionId,
    ElectionTrust? trust,
    EnvelopeVerifier? verifier,
    SignerCertificateCache? certificates,
    AttachmentChecker? attachments)
{
    public EntryResult Analyze(RawEntry raw, EntryFacts? facts)
    {
        var result = new EntryResult(raw.Index, raw.Kind, MerkleHash.LeafHash(raw.Bytes)) { Facts = facts };
        if (raw.Kind is not { } kind)
        {
            result.Findings.Add(new AuditFinding(FindingCodes.EntryKindUnknown, $"The entry's kind byte is {raw.KindByte}; only 0 (submission), 1 (decision) and 2 (revocation) exist.") { Index = raw.Index });
        }

        var leafMatches = CheckFacts(result, facts);
        switch (raw.Kind)
        {
            case BundleEntryKind.Submission:
                AnalyzeSubmission(result, raw.Bytes, facts, leafMatches);
                break;
            case BundleEntryKind.Decision:
                AnalyzeDecision(result, raw.Bytes);
                break;
            case BundleEntryKind.Revocation:
                AnalyzeRevocation(result, raw.Bytes);
                break;
        }

        return result;
    }

    // entries.json against entries.bin: index, kind, leaf hash, time; returns whether the leaf hash matches.
    private static bool CheckFacts(EntryResult result, EntryFacts? facts)
    {
        if (facts is null)
        {
            return false;
        }

        var index = result.Index;
        if (facts.Index != index)
        {
            result.Findings.Add(Mismatch(index, $"log/entries.json gives this entry the index {facts.Index}."));
        }

        var kind = BundleEntryKinds.Parse(facts.Kind);
        if (kind is null || (result.Kind is { } actual && kind != actual))
        {
            result.Findings.Add(new AuditFinding(FindingCodes.EntryKindMismatch,
                $"log/entries.json says '{Printable(facts.Kind)}', but entries.bin holds a {(result.Kind is { } k ? BundleEntryKinds.Name(k) : "entry of unknown kind")}.") { Index = index });
        }

        var leafMatches = string.Equals(facts.LeafHash, Convert.ToHexStringLower(result.LeafHash), StringComparison.Ordinal);
        if (!leafMatches)
        {
            result.Findings.Add(new AuditFinding(FindingCodes.EntryHashMismatch,
                $"log/entries.json gives leaf hash {Printable(facts.LeafHash)}, but the entry's bytes hash to {Convert.ToHexStringLower(result.LeafHash)}.") { Index = index });
        }

        if (BundleFormat.TryParseTime(facts.At, out var at))
        {
            result.At = at;
            result.AtText = facts.At;
        }
        else
        {
            result.Findings.Add(Mismatch(index, $"The time '{Printable(facts.At)}' in log/entries.json is not ISO 8601 UTC with milliseconds."));
        }

        var hasSubmissionFacts = facts.EnvelopeSha256 is not null || facts.StationCode is not null || facts.Revision is not null
            || facts.Flags is not null || facts.VerifiedCosignatures is not null || facts.Attachments is not null;
        var isSubmission = kind == BundleEntryKind.Submission;
        if (isSubmission && (facts.EnvelopeSha256 is null || facts.StationCode is null || facts.Revision is null || facts.Flags is null || facts.VerifiedCosignatures is null || facts.Attachments is null))
        {
            result.Findings.Add(Mismatch(index, "log/entries.json lacks some of a submission's envelopeSha256, stationCode, revision, flags, verifiedCosignatures and attachments."));
        }
        else if (!isSubmission && hasSubmissionFacts)
        {
            result.Findings.Add(Mismatch(index, "log/entries.json gives submission facts (envelopeSha256, stationCode, ...) to an entry that is not a submission."));
        }

        return leafMatches;
    }

    private void AnalyzeSubmission(EntryResult result, byte[] bytes, EntryFacts? facts, bool leafMatches)
    {
        var index = result.Index;
        var submission = new SubmissionResult { EnvelopeSha256Hex = Convert.ToHexStringLower(SHA256.HashData(bytes)) };
        result.Submission = submission;
        if (leafMatches && facts?.EnvelopeSha256 is { } recordedSha && recordedSha != submission.EnvelopeSha256Hex)
        {
            result.Findings.Add(Mismatch(index, $"log/entries.json gives envelope hash {Printable(recordedSha)}, but the envelope hashes to {submission.EnvelopeSha256Hex}."));
        }

        var parsed = EnvelopeMapping.Parse(bytes);
        if (parsed.Envelope is not { } envelope)
        {
            result.Findings.Add(new AuditFinding(FindingCodes.EnvelopeMalformed, $"The envelope is malformed: {parsed.Detail}.") { Index = index, Station = facts?.StationCode, Revision = facts?.Revision, Reason = parsed.ReasonCode });
            return;
        }

        if (verifier is null || trust is null)
        {
            submission.ChairSerial = Parse(envelope, 0) is { } unverified ? RevocationEntry.CanonicalSerial(unverified.Certificate) : null;
            return;
        }

        // Central verified at the time it received the envelope; without that time, only the time-independent checks can be made.
        var at = result.At ?? (Parse(envelope, 0) is { } early ? new DateTimeOffset(early.Certificate.NotBefore.ToUniversalTime()) : DateTimeOffset.UnixEpoch);
        var verification = verifier.Verify(envelope, PayloadTypes.ResultProtocol, at);
        if (!verification.IsValid)
        {
            submission.ChairSerial = Parse(envelope, 0) is { } refused ? RevocationEntry.CanonicalSerial(refused.Certificate) : null;
            result.Findings.Add(EnvelopeFinding(verification, index, facts));
            return;
        }

        var chair = Verified(envelope, 0)!;
        submission.ChairSerial = RevocationEntry.CanonicalSerial(chair.Certificate);
        submission.ChairUri = verification.Signer.Uri;
        var problems = verification.CoSignatureProblems.Select(p => p.Index).ToHashSet();
        var coSigners = new List<string>();
        for (var i = 1; i < envelope.Signatures.Count; i++)
        {
            if (!problems.Contains(i) && Verified(envelope, i) is { } coSigner)
            {
                coSigners.Add(RevocationEntry.CanonicalSerial(coSigner.Certificate));
            }
        }

        submission.CoSignerSerials = coSigners;
        submission.PayloadSha256Hex = Convert.ToHexStringLower(SHA256.HashData(envelope.Payload.Span));
        Contracts.V1.ResultProtocol message;
        try
        {
            message = Contracts.V1.ResultProtocol.Parser.ParseFrom(envelope.Payload.Span);
        }
        catch (InvalidProtocolBufferException e)
        {
            result.Findings.Add(new AuditFinding(FindingCodes.PayloadMalformed, $"The signed payload is not a result protocol: {e.Message}") { Index = index, Station = verification.Signer.Id });
            return;
        }

        var mapped = message.ToDomain();
        if (mapped.Value is not { } protocol)
        {
            result.Findings.Add(new AuditFinding(FindingCodes.PayloadMalformed, $"The result protocol cannot be read: {mapped.Detail}") { Index = index, Station = verification.Signer.Id, Reason = mapped.ReasonCode });
            return;
        }

        submission.Protocol = protocol;
        var station = protocol.StationCode;
        if (!string.Equals(verification.Signer.Id, station, StringComparison.Ordinal))
        {
            result.Findings.Add(new AuditFinding(FindingCodes.StationMismatch,
                $"The protocol is for station '{Printable(station)}' but is signed by {verification.Signer.Uri}.") { Index = index, Station = Printable(station), Revision = protocol.Revision });
            return;
        }

        CheckFactsAgainstPayload(result, facts, protocol);
        CheckSigningTime(result, chair, protocol);
        CheckAttachments(result, protocol);
        if (definition is null)
        {
            return;
        }

        var report = ProtocolValidator.Validate(protocol, definition);
        var rejections = report.Violations.Where(v => v.Severity == ViolationSeverity.Reject).ToList();
        if (rejections.Count > 0)
        {
            var codes = string.Join(", ", rejections.Select(v => v.Code).Distinct(StringComparer.Ordinal));
            result.Findings.Add(new AuditFinding(FindingCodes.ProtocolRejected,
                $"Central must have refused this protocol ({codes}): {rejections[0].Message}") { Index = index, Station = station, Revision = protocol.Revision, Reason = rejections[0].Code });
            return;
        }

        submission.Flags = report.FlagCodes;
        submission.Authentic = true;
        if (facts?.Flags is { } recorded)
        {
            var missing = report.FlagCodes.Except(recorded, StringComparer.Ordinal).ToList();
            var extra = recorded.Except(report.FlagCodes, StringComparer.Ordinal).ToList();
            if (missing.Count > 0 || extra.Count > 0)
            {
                var parts = new List<string>(2);
                if (missing.Count > 0)
                {
                    parts.Add($"the protocol breaks {string.Join(", ", missing)}, which Central did not record");
                }

                if (extra.Count > 0)
                {
                    parts.Add($"Central recorded {string.Join(", ", extra.Select(Printable))}, which the protocol does not break");
                }

                result.Findings.Add(new AuditFinding(FindingCodes.FlagsMismatch, Capitalize(string.Join("; ", parts)) + ".") { Index = index, Station = station, Revision = protocol.Revision });
            }
        }
    }

    private static void CheckFactsAgainstPayload(EntryResult result, EntryFacts? facts, CoreResultProtocol protocol)
    {
        if (facts is null)
        {
            return;
        }

        var index = result.Index;
        if (facts.StationCode is { } code && !string.Equals(code, protocol.StationCode, StringComparison.Ordinal))
        {
            result.Findings.Add(Mismatch(index, $"log/entries.json names station '{Printable(code)}', the signed protocol '{protocol.StationCode}'.", protocol));
        }

        if (facts.Revision is { } revision && revision != protocol.Revision)
        {
            result.Findings.Add(Mismatch(index, $"log/entries.json gives revision {revision}, the signed protocol {protocol.Revision}.", protocol));
        }

        if (facts.Attachments is { } recorded)
        {
            var signed = protocol.Attachments.Select(a => new AttachmentFacts { Name = a.Name, MediaType = a.MediaType, Size = a.Size, Sha256 = Convert.ToHexStringLower(a.Sha256.Span) }).ToList();
            if (!recorded.SequenceEqual(signed))
            {
                result.Findings.Add(Mismatch(index, $"log/entries.json lists {recorded.Count} attachment(s) that are not the {signed.Count} the protocol signs (name, media type, size, SHA-256).", protocol));
            }
        }
    }

    // Central checked the certificate at its receive time; the signing time the chair signed into the protocol must
    // fall within the certificate's validity too (a key used before it was certified or after it expired).
    private void CheckSigningTime(EntryResult result, SignerCertificate chair, CoreResultProtocol protocol)
    {
        if (protocol.SignedAt is not { } signedAt)
        {
            return;
        }

        var atSigning = trust!.Validate(chair.Certificate, CertificatePurpose.Signing, signedAt);
        if (atSigning.Failure is PkiFailure.NotYetValid or PkiFailure.Expired)
        {
            result.Findings.Add(new AuditFinding(FindingCodes.SignedOutsideValidity,
                $"The protocol says it was signed at {BundleFormat.FormatTime(signedAt)}, when its signing certificate was not valid: {atSigning.Detail}.")
            { Index = result.Index, Station = protocol.StationCode, Revision = protocol.Revision, Reason = atSigning.Failure.Value.ToReasonCode() });
        }
    }

    private void CheckAttachments(EntryResult result, CoreResultProtocol protocol)
    {
        if (attachments is null)
        {
            return;
        }

        foreach (var declared in protocol.Attachments)
        {
            if (declared.Sha256.Length != SHA256.HashSizeInBytes)
            {
                // A Reject rule (ATTACHMENT_INVALID); reported with the rules.
                continue;
            }

            var sha = Convert.ToHexStringLower(declared.Sha256.Span);
            var file = attachments.Measure(sha);
            if (file is null)
            {
                result.Findings.Add(new AuditFinding(FindingCodes.AttachmentMissing, $"Attachment '{Printable(declared.Name)}' ({sha}) is not in the bundle.")
                { Index = result.Index, Station = protocol.StationCode, Revision = protocol.Revision, Path = BundlePaths.Attachment(sha) });
            }
            else if (file.Value.Sha256 != sha || file.Value.Size != declared.Size)
            {
                result.Findings.Add(new AuditFinding(FindingCodes.AttachmentDigestMismatch,
                    $"Attachment '{Printable(declared.Name)}' is signed as {declared.Size.ToString(CultureInfo.InvariantCulture)} bytes with SHA-256 {sha}; the file has {file.Value.Size.ToString(CultureInfo.InvariantCulture)} bytes with SHA-256 {file.Value.Sha256}.")
                { Index = result.Index, Station = protocol.StationCode, Revision = protocol.Revision, Path = BundlePaths.Attachment(sha) });
            }
        }
    }

    private void AnalyzeDecision(EntryResult result, byte[] bytes)
    {
        var index = result.Index;
        if (Body(bytes, LogEntryTypes.Decision) is not { } body)
        {
            result.Findings.Add(Malformed(FindingCodes.DecisionMalformed, index, $"The entry is not PAE(\"{LogEntryTypes.Decision}\", ...).", "NOT_PAE"));
            return;
        }

        if (LoggedEntries.ParseCanonical(LoggedDecision.Parser, body.Span) is not { } logged)
        {
            result.Findings.Add(Malformed(FindingCodes.DecisionMalformed, index, "The body is not a canonically encoded LoggedDecision.", "BODY_MALFORMED"));
            return;
        }

        var problem = logged switch
        {
            _ when electionId is not null && logged.ElectionId != electionId => ("ELECTION_MISMATCH", $"The decision is for election '{Printable(logged.ElectionId)}', not '{electionId}'."),
            _ when logged.EnvelopeSha256.Length != SHA256.HashSizeInBytes => ("ENVELOPE_HASH_MALFORMED", "The decided envelope's hash is not 32 bytes."),
            _ when logged.Revision is < 1 or > int.MaxValue => ("REVISION_INVALID", $"The revision {logged.Revision} is not 1 or more."),
            _ when !CallerIdentity.IsValidId(logged.StationCode) => ("STATION_INVALID", $"'{Printable(logged.StationCode)}' is not a station code."),
            _ when CallerIdentity.Parse(logged.VerifierUri) is not { IsSuccess: true, Value.Role: Role.Verifier } => ("VERIFIER_INVALID", $"'{Printable(logged.VerifierUri)}' is not a verifier identity."),
            _ when LoggedEntries.TimeOf(logged.DecidedAt) is null => ("TIME_INVALID", "The decision time is missing or invalid."),
            _ => ((string, string)?)null,
        };
        if (problem is { } p)
        {
            result.Findings.Add(Malformed(FindingCodes.DecisionMalformed, index, p.Item2, p.Item1) with { Station = CallerIdentity.IsValidId(logged.StationCode) ? logged.StationCode : null });
            return;
        }

        var decidedAt = LoggedEntries.TimeOf(logged.DecidedAt)!.Value;
        CheckEntryTime(result, decidedAt, "decided_at");
        result.Decision = new DecisionResult(logged, Convert.ToHexStringLower(logged.EnvelopeSha256.Span), decidedAt);
    }

    private void AnalyzeRevocation(EntryResult result, byte[] bytes)
    {
        var index = result.Index;
        if (Body(bytes, LogEntryTypes.Revocation) is not { } body)
        {
            result.Findings.Add(Malformed(FindingCodes.RevocationMalformed, index, $"The entry is not PAE(\"{LogEntryTypes.Revocation}\", ...).", "NOT_PAE"));
            return;
        }

        if (LoggedEntries.ParseCanonical(LoggedRevocation.Parser, body.Span) is not { } logged)
        {
            result.Findings.Add(Malformed(FindingCodes.RevocationMalformed, index, "The body is not a canonically encoded LoggedRevocation.", "BODY_MALFORMED"));
            return;
        }

        var problem = logged switch
        {
            _ when electionId is not null && logged.ElectionId != electionId => ("ELECTION_MISMATCH", $"The revocation is for election '{Printable(logged.ElectionId)}', not '{electionId}'."),
            _ when logged.SerialNumber.IsEmpty || logged.SerialNumber.Length > 20 => ("SERIAL_INVALID", "The serial number is empty or longer than 20 bytes."),
            _ when LoggedEntries.TimeOf(logged.RevokedAt) is null || LoggedEntries.TimeOf(logged.ObservedAt) is null => ("TIME_INVALID", "revoked_at or observed_at is missing or invalid."),
            _ when logged.CrlSha256.Length != SHA256.HashSizeInBytes => ("CRL_HASH_MALFORMED", "The CRL hash is not 32 bytes."),
            _ => ((string, string)?)null,
        };
        if (problem is { } p)
        {
            result.Findings.Add(Malformed(FindingCodes.RevocationMalformed, index, p.Item2, p.Item1));
            return;
        }

        var observedAt = LoggedEntries.TimeOf(logged.ObservedAt)!.Value;
        CheckEntryTime(result, observedAt, "observed_at");
        result.Revocation = new RevocationResult(logged, RevocationEntry.CanonicalSerial(logged.SerialNumber.Span), LoggedEntries.TimeOf(logged.RevokedAt)!.Value, observedAt);
    }

    // entries.json's time of a decision or revocation is the time inside the (hashed) entry.
    private static void CheckEntryTime(EntryResult result, DateTimeOffset inEntry, string field)
    {
        if (result.AtText is { } text && text != BundleFormat.FormatTime(inEntry))
        {
            result.Findings.Add(Mismatch(result.Index, $"log/entries.json gives the time {text}, the entry's {field} is {BundleFormat.FormatTime(inEntry)}."));
        }
    }

    private static SignerCertificate? Parse(SignedEnvelope envelope, int index) =>
        envelope.Signatures.Count > index && SignerCertificate.TryParse(envelope.Signatures[index].CertificateDer.Span, out var certificate) ? certificate : null;

    // After verification the keyid is the certificate's SHA-256 (checked), so the verifier's parsed copy can be reused.
    private SignerCertificate? Verified(SignedEnvelope envelope, int index) =>
        certificates is not null && certificates.TryGet(envelope.Signatures[index].KeyId, out var cached) ? cached : Parse(envelope, index);

    private static ReadOnlyMemory<byte>? Body(byte[] bytes, string type) =>
        LoggedEntries.TryDecodePae(bytes, out var actual, out var body) && actual == type ? body : null;

    private static AuditFinding EnvelopeFinding(EnvelopeVerification verification, long index, EntryFacts? facts)
    {
        var (code, reason) = verification.Failure switch
        {
            EnvelopeFailure.SignatureMissing or EnvelopeFailure.SignatureAlgorithmUnknown or EnvelopeFailure.SignatureInvalid => (FindingCodes.SignatureInvalid, verification.ReasonCode),
            EnvelopeFailure.SignerUntrusted => (FindingCodes.SignerUntrusted, verification.PkiReasonCode),
            EnvelopeFailure.SignerNotStation or EnvelopeFailure.SignerWrongRole => (FindingCodes.SignerUntrusted, verification.ReasonCode),
            EnvelopeFailure.PayloadTypeUnknown => (FindingCodes.PayloadTypeUnknown, verification.ReasonCode),
            _ => (FindingCodes.EnvelopeMalformed, verification.ReasonCode),
        };
        return new AuditFinding(code, $"The envelope does not verify: {verification}.") { Index = index, Station = facts?.StationCode, Revision = facts?.Revision, Reason = reason };
    }

    private static AuditFinding Mismatch(long index, string message, CoreResultProtocol? protocol = null) =>
        new(FindingCodes.EntryFactsMismatch, message) { Index = index, Station = protocol?.StationCode, Revision = protocol?.Revision };

    private static AuditFinding Malformed(string code, long index, string message, string reason) => new(code, message) { Index = index, Reason = reason };

    private static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    /// <summary>Text from the bundle echoed into a finding: bounded, without control characters.</summary>
    internal static string Printable(string? value)
    {
        if (value is null)
        {
            return string.Empty;
        }

        var cut = value.Length > 80 ? value[..80] + "..." : value;
        return string.Concat(cut.Select(c => char.IsControl(c) ? '?' : c));
    }
}
