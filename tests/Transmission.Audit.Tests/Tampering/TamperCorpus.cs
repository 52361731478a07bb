using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Transmission.Audit.Bundle;
using Transmission.Audit.Tests.Fixtures;
using Transmission.Audit.Verification;
using Transmission.Contracts.Mapping;
using Transmission.Core.Envelope;
using Transmission.Core.Log;
using Transmission.Core.Pki;
using V1 = Transmission.Contracts.V1;

namespace Transmission.Audit.Tests.Tampering;

/// <summary>
/// The tampering corpus: alterations of a bundle folder, each with the finding the verifier must report. The cases
/// find what they alter by reading the bundle (the first submission with an attachment, the revocation entry, ...),
/// so the same table runs over the fixture bundle and over a bundle exported by a real Central. Cases marked
/// "resealed" also rewrite <c>entries.json</c> and re-sign the checkpoint with Central's key, as a dishonest Central
/// could: only the deeper checks (saved checkpoints, the log's own rules, the CRLs, the exports) can catch those.
/// </summary>
internal static class TamperCorpus
{
    private static readonly byte[] ForgedRoot = SHA256.HashData("a root no log ever had"u8);

    public static IReadOnlyList<TamperCase> All { get; } =
    [
        // Envelopes and signatures.
        new("payload-byte-changed", "one byte of a signed payload flipped in entries.bin", PayloadByteChanged),
        new("signature-byte-changed", "one byte of the chair's signature flipped", SignatureByteChanged),
        new("signer-certificate-replaced", "the chair's certificate (and keyid) replaced by another station's", SignerCertificateReplaced),
        new("envelope-not-canonical", "an unknown field appended to an envelope", EnvelopeNotCanonical),
        new("signed-by-another-station", "a station's protocol re-signed with another station's key", SignedByAnotherStation),
        new("signed-under-foreign-root", "a protocol re-signed with a certificate of another root", SignedUnderForeignRoot),
        new("signed-with-tls-certificate", "a protocol re-signed with a station TLS certificate of the election root", SignedWithTlsCertificate),
        new("protocol-for-unknown-station", "a protocol of a station outside the registry, signed with a root-issued certificate, appended (resealed)", ProtocolForUnknownStation),

        // The log's order and content.
        new("envelopes-of-two-stations-swapped", "two stations' envelopes swapped in entries.bin", EnvelopesSwapped),
        new("entry-deleted", "a submission removed from entries.bin and entries.json", EntryDeleted),
        new("entry-deleted-resealed", "a submission removed and the log resealed with Central's key", EntryDeletedResealed),
        new("decision-moved-before-its-submission", "a decision moved before the submission it decides (resealed)", DecisionMovedBeforeSubmission),
        new("revisions-reordered", "a station's revision 2 moved before its revision 1 (resealed)", RevisionsReordered),
        new("entry-appended-twice", "a submission logged a second time at the end (resealed)", EntryAppendedTwice),
        new("conflicting-envelope-logged", "the evidence envelope logged as a submission (resealed)", ConflictLogged),
        new("entry-kind-byte-unknown", "an entry's kind byte set to 7", EntryKindByteUnknown),
        new("entries-bin-truncated", "the last 10 bytes of entries.bin cut off", EntriesTruncated),

        // Decisions.
        new("decision-changed", "an acceptance turned into a rejection (resealed)", DecisionChanged),
        new("decision-for-unknown-envelope", "a decision for an envelope that was never logged (resealed)", DecisionForUnknownEnvelope),
        new("decision-target-mismatch", "a decision's revision changed so it no longer matches its envelope (resealed)", DecisionTargetMismatch),
        new("decision-twice", "a second decision on an already decided revision (resealed)", DecisionTwice),
        new("decision-without-reason", "a decision with a blank reason (resealed)", DecisionWithoutReason),
        new("decision-by-non-verifier", "a decision whose verifier is a station identity (resealed)", DecisionByNonVerifier),

        // Revocations and CRLs.
        new("revocation-entry-removed", "the revocation entry removed from the log (resealed)", RevocationEntryRemoved),
        new("revocation-entry-duplicated", "the revocation entry logged twice (resealed)", RevocationEntryDuplicated),
        new("revocation-entry-backdated", "the revocation entry's date moved a day earlier (resealed)", RevocationEntryBackdated),
        new("crl-signature-broken", "one byte of a CRL's signature flipped", CrlSignatureBroken),
        new("crl-resigned-backdated", "a CRL re-signed by the root with its revocation a day earlier", CrlResignedBackdated),
        new("submitted-after-revocation", "a new revision of the revoked station, dated before the revocation, logged after the revocation entry (resealed)", SubmittedAfterRevocation),
        new("signed-after-revocation", "a new revision of the revoked station signed after the revocation date, logged before Central put the CRL in force (resealed)", SignedAfterRevocation),

        // What Central recorded about the entries.
        new("flags-removed", "a flagged submission's flags removed from entries.json", FlagsRemoved),
        new("flag-added", "a flag added to a clean submission in entries.json", FlagAdded),
        new("cosignatures-inflated", "one more verified co-signature recorded than verify", CosignaturesInflated),
        new("entries-json-leaf-hash-changed", "a leaf hash in entries.json changed", LeafHashChanged),
        new("entries-json-kind-changed", "a submission called a decision in entries.json", KindChanged),
        new("entries-json-station-changed", "a submission's station changed in entries.json", StationChanged),
        new("entries-json-entry-removed", "the last element of entries.json removed", FactsEntryRemoved),

        // Attachments, evidence, definition, certificates.
        new("attachment-byte-changed", "one byte of a scanned form flipped", AttachmentByteChanged),
        new("attachment-deleted", "a scanned form deleted", AttachmentDeleted),
        new("evidence-altered", "one byte of an evidence envelope flipped", EvidenceAltered),
        new("definition-edited", "election.json re-serialized (same content, other bytes)", DefinitionEdited),
        new("root-replaced", "pki/root.cert.pem replaced by another root (the auditor pinned the real one)", RootReplaced),
        new("central-certificate-replaced", "Central's signing certificate replaced by a station's", CentralCertificateReplaced),

        // Checkpoints.
        new("checkpoint-signed-by-other-key", "the checkpoint re-signed with a key that is not Central's", CheckpointOtherKey),
        new("checkpoint-wrong-root", "a checkpoint with another root, signed with Central's key", CheckpointWrongRoot),
        new("checkpoint-wrong-size", "a checkpoint for one entry fewer, signed with Central's key", CheckpointWrongSize),
        new("checkpoint-other-origin", "a checkpoint of another log name, signed with Central's key", CheckpointOtherOrigin),
        new("saved-checkpoint-not-a-prefix", "the auditor saved a checkpoint whose root this log's prefix does not have", SavedCheckpointNotPrefix),
        new("saved-checkpoint-larger-than-log", "the auditor saved a checkpoint for more entries than the bundle has", SavedCheckpointLarger),
        new("saved-checkpoint-other-key", "the auditor's saved checkpoint is signed by another key", SavedCheckpointOtherKey),

        // Published files and the manifest.
        new("total-changed", "a provisional total in totals.json raised by one", TotalChanged),
        new("published-review-state-changed", "an accepted revision published as rejected", PublishedStateChanged),
        new("published-log-index-changed", "a log index in stations.json moved by one", PublishedLogIndexChanged),
        new("published-votes-changed", "a station's votes in stations.json raised by one", PublishedVotesChanged),
        new("published-station-removed", "a reported station left out of stations.json", PublishedStationRemoved),
        new("file-missing", "published/stations.json deleted", FileMissing),
        new("file-added", "a file the manifest does not list added", FileAdded),
        new("manifest-size-edited", "a size in MANIFEST.json changed", ManifestEdited),
        new("manifest-lists-a-path-outside", "MANIFEST.json lists ../../etc/passwd", ManifestPathOutside),

        // Files that are not what they should be at all: a finding each, never a crash.
        new("manifest-garbage", "MANIFEST.json replaced by text that is not JSON", Garbage(BundlePaths.Manifest, FindingCodes.ManifestMalformed, null)),
        new("entries-json-cut-in-half", "log/entries.json cut in the middle", EntriesJsonCut),
        new("checkpoint-garbage", "log/checkpoint replaced by text that is not a signed note", Garbage(BundlePaths.Checkpoint, FindingCodes.CheckpointMalformed, "NOTE_MALFORMED")),
        new("definition-garbage", "election.json replaced by text that is not a definition", Garbage(BundlePaths.Election, FindingCodes.DefinitionInvalid, null)),
        new("root-garbage", "pki/root.cert.pem replaced by text that is not a certificate (the auditor pinned the real one)", Garbage(BundlePaths.Root, FindingCodes.RootInvalid, null)),
        new("central-certificate-garbage", "pki/central-signing.cert.pem replaced by text that is not a certificate", Garbage(BundlePaths.CentralSigning, FindingCodes.CentralCertificateInvalid, "CERTIFICATE_MALFORMED")),
        new("crl-garbage", "a CRL replaced by text that is not a CRL", CrlGarbage),
        new("published-null-element", "an area of totals.json replaced by null", PublishedNullElement),
        new("manifest-not-utf8", "a byte that is not UTF-8 inside a string of MANIFEST.json", NotUtf8(BundlePaths.Manifest, FindingCodes.ManifestMalformed)),
        new("entries-json-not-utf8", "a byte that is not UTF-8 inside a string of log/entries.json", NotUtf8(BundlePaths.EntriesJson, FindingCodes.EntriesJsonMalformed)),
        new("stations-json-not-utf8", "a byte that is not UTF-8 inside a string of published/stations.json", NotUtf8(BundlePaths.Stations, FindingCodes.PublishedMalformed)),
        new("definition-not-utf8", "a byte that is not UTF-8 inside a string of election.json", NotUtf8(BundlePaths.Election, FindingCodes.DefinitionInvalid)),
    ];

    public static TamperCase Get(string name) => All.Single(c => c.Name == name);

    // ---- Envelopes and signatures ----

    private static ExpectedFinding? PayloadByteChanged(TamperContext c)
    {
        var s = Plain(c);
        var payload = s.Envelope.Payload.ToByteArray();
        payload[payload.Length / 2] ^= 0x01;
        s.Envelope.Payload = ByteString.CopyFrom(payload);
        return ReplaceEnvelope(c, s) with { Code = FindingCodes.SignatureInvalid, Reason = "SIGNATURE_INVALID" };
    }

    private static ExpectedFinding? SignatureByteChanged(TamperContext c)
    {
        var s = Plain(c);
        var signature = s.Envelope.Signatures[0].Sig.ToByteArray();
        signature[10] ^= 0x80;
        s.Envelope.Signatures[0].Sig = ByteString.CopyFrom(signature);
        return ReplaceEnvelope(c, s) with { Code = FindingCodes.SignatureInvalid, Reason = "SIGNATURE_INVALID" };
    }

    private static ExpectedFinding? SignerCertificateReplaced(TamperContext c)
    {
        var s = Plain(c);
        var other = c.Log.Submissions().First(o => o.Protocol.StationCode != s.Protocol.StationCode).Envelope.Signatures[0];
        s.Envelope.Signatures[0].Certificate = other.Certificate;
        s.Envelope.Signatures[0].Keyid = other.Keyid;
        return ReplaceEnvelope(c, s) with { Code = FindingCodes.SignatureInvalid, Reason = "SIGNATURE_INVALID" };
    }

    private static ExpectedFinding? EnvelopeNotCanonical(TamperContext c)
    {
        var s = Plain(c);
        // Field 15 (varint 1): unknown to Envelope, so the bytes are no longer the canonical encoding.
        c.Log.Entries[s.Index].Bytes = [.. c.Log.Entries[s.Index].Bytes, 0x78, 0x01];
        c.Log.SaveEntries();
        return At(FindingCodes.EnvelopeMalformed, s) with { Reason = "ENVELOPE_MALFORMED" };
    }

    private static ExpectedFinding? SignedByAnotherStation(TamperContext c)
    {
        var s = Plain(c);
        var thief = c.Keys.StationSigners.FirstOrDefault(k => k.Key != s.Protocol.StationCode);
        if (thief.Value.Key is null)
        {
            return null;
        }

        var envelope = EnvelopeSigner.Sign(PayloadTypes.ResultProtocol, s.Envelope.Payload.ToByteArray(), thief.Value.Key, thief.Value.Certificate);
        c.Log.Entries[s.Index].Bytes = EnvelopeMapping.ToBytes(envelope);
        c.Log.SaveEntries();
        return At(FindingCodes.StationMismatch, s);
    }

    private static ExpectedFinding? SignedUnderForeignRoot(TamperContext c)
    {
        var s = Plain(c);
        var foreign = new FixturePki(AtOf(c, s.Index) - TimeSpan.FromDays(1), "Another Election Root").Issue(CertificateProfile.StationSigning, s.Protocol.StationCode);
        var envelope = EnvelopeSigner.Sign(PayloadTypes.ResultProtocol, s.Envelope.Payload.ToByteArray(), foreign.Key, foreign.Certificate);
        c.Log.Entries[s.Index].Bytes = EnvelopeMapping.ToBytes(envelope);
        c.Log.SaveEntries();
        return At(FindingCodes.SignerUntrusted, s) with { Reason = "UNTRUSTED_CHAIN" };
    }

    private static ExpectedFinding? SignedWithTlsCertificate(TamperContext c)
    {
        var s = Plain(c);
        if (Issue(c, CertificateProfile.StationTls, s.Protocol.StationCode, AtOf(c, s.Index)) is not { } tls)
        {
            return null;
        }

        var envelope = EnvelopeSigner.Sign(PayloadTypes.ResultProtocol, s.Envelope.Payload.ToByteArray(), tls.Key, tls.Certificate);
        c.Log.Entries[s.Index].Bytes = EnvelopeMapping.ToBytes(envelope);
        c.Log.SaveEntries();
        return At(FindingCodes.SignerUntrusted, s) with { Reason = "WRONG_KEY_USAGE" };
    }

    private static ExpectedFinding? ProtocolForUnknownStation(TamperContext c)
    {
        const string Unknown = "ZZ-9999-99";
        var s = Plain(c);
        var at = LastAt(c) + TimeSpan.FromMinutes(1);
        if (c.Keys.CentralSigningKey is null || Issue(c, CertificateProfile.StationSigning, Unknown, at) is not { } signer)
        {
            return null;
        }

        var protocol = s.Protocol.Clone();
        protocol.StationCode = Unknown;
        var envelope = EnvelopeSigner.Sign(PayloadTypes.ResultProtocol, protocol.ToByteArray(), signer.Key, signer.Certificate);
        var index = c.Log.Entries.Count;
        c.Log.Append(BundleEntryKind.Submission, EnvelopeMapping.ToBytes(envelope), c.Log.SubmissionFacts(protocol, at, []));
        Commit(c);
        return new ExpectedFinding(FindingCodes.ProtocolRejected) { Index = index, Station = Unknown, Reason = "STATION_UNKNOWN" };
    }

    // ---- The log's order and content ----

    private static ExpectedFinding? EnvelopesSwapped(TamperContext c)
    {
        var submissions = c.Log.Submissions().ToList();
        var (a, b) = (submissions[0], submissions.First(s => s.Protocol.StationCode != submissions[0].Protocol.StationCode));
        (c.Log.Entries[a.Index].Bytes, c.Log.Entries[b.Index].Bytes) = (c.Log.Entries[b.Index].Bytes, c.Log.Entries[a.Index].Bytes);
        c.Log.SaveEntries();
        return new ExpectedFinding(FindingCodes.EntryHashMismatch) { Index = a.Index };
    }

    private static ExpectedFinding? EntryDeleted(TamperContext c)
    {
        c.Log.Remove(c.Log.Submissions().First().Index);
        c.Log.Save();
        return new ExpectedFinding(FindingCodes.CheckpointSizeMismatch) { Path = BundlePaths.Checkpoint };
    }

    private static ExpectedFinding? EntryDeletedResealed(TamperContext c)
    {
        var saved = SmallestSaved(c);
        if (c.Keys.CentralSigningKey is null || saved is null)
        {
            return null;
        }

        c.Log.Remove(c.Log.Submissions().First(s => s.Index < saved.Value.Size).Index);
        Commit(c);
        return new ExpectedFinding(FindingCodes.CheckpointInconsistent) { Path = saved.Value.Name };
    }

    private static ExpectedFinding? DecisionMovedBeforeSubmission(TamperContext c)
    {
        var (index, decision) = c.Log.Decisions().First();
        var target = c.Log.Submissions().First(s => s.EnvelopeSha256Hex == Convert.ToHexStringLower(decision.EnvelopeSha256.Span));
        c.Log.Move(index, target.Index);
        Commit(c);
        return new ExpectedFinding(FindingCodes.DecisionTargetUnknown) { Index = target.Index, Station = decision.StationCode };
    }

    private static ExpectedFinding? RevisionsReordered(TamperContext c)
    {
        var submissions = c.Log.Submissions().ToList();
        var second = submissions.FirstOrDefault(s => s.Protocol.Revision == 2);
        if (second is null)
        {
            return null;
        }

        var first = submissions.First(s => s.Protocol.StationCode == second.Protocol.StationCode && s.Protocol.Revision == 1);
        c.Log.Move(second.Index, first.Index);
        Commit(c);
        return new ExpectedFinding(FindingCodes.RevisionNotIncreasing) { Index = first.Index + 1, Station = second.Protocol.StationCode, Revision = 1 };
    }

    private static ExpectedFinding? EntryAppendedTwice(TamperContext c)
    {
        var s = Plain(c);
        var index = c.Log.Entries.Count;
        c.Log.Append(BundleEntryKind.Submission, c.Log.Entries[s.Index].Bytes, (JsonObject)c.Log.Facts[s.Index]!.DeepClone());
        Commit(c);
        return new ExpectedFinding(FindingCodes.PayloadDuplicate) { Index = index, Station = s.Protocol.StationCode };
    }

    private static ExpectedFinding? ConflictLogged(TamperContext c)
    {
        var path = Directory.EnumerateFiles(c.Log.PathOf(BundlePaths.EvidenceFolder)).FirstOrDefault();
        if (path is null)
        {
            return null;
        }

        var bytes = File.ReadAllBytes(path);
        var protocol = V1.ResultProtocol.Parser.ParseFrom(V1.Envelope.Parser.ParseFrom(bytes).Payload);
        var index = c.Log.Entries.Count;
        c.Log.Append(BundleEntryKind.Submission, bytes, c.Log.SubmissionFacts(protocol, LastAt(c) + TimeSpan.FromMinutes(1)));
        Commit(c);
        return new ExpectedFinding(FindingCodes.RevisionNotIncreasing) { Index = index, Station = protocol.StationCode, Revision = (int)protocol.Revision };
    }

    private static ExpectedFinding? EntryKindByteUnknown(TamperContext c)
    {
        var index = c.Log.Decisions().First().Index;
        c.Log.Entries[index].Kind = 7;
        c.Log.SaveEntries();
        return new ExpectedFinding(FindingCodes.EntryKindUnknown) { Index = index };
    }

    private static ExpectedFinding? EntriesTruncated(TamperContext c)
    {
        var path = c.Log.PathOf(BundlePaths.Entries);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^10]);
        return new ExpectedFinding(FindingCodes.EntriesTruncated) { Index = c.Log.Entries.Count - 1 };
    }

    // ---- Decisions ----

    private static ExpectedFinding? DecisionChanged(TamperContext c)
    {
        // An acceptance of a station's only revision: the change shows in the published review state.
        var stations = c.Log.Submissions().GroupBy(s => s.Protocol.StationCode).Where(g => g.Count() == 1).Select(g => g.Key).ToHashSet();
        var (index, decision) = c.Log.Decisions().First(d => d.Decision.Decision == V1.Decision.Accept && stations.Contains(d.Decision.StationCode));
        decision.Decision = V1.Decision.Reject;
        c.Log.Entries[index].Bytes = BundleEditor.DecisionEntry(decision);
        c.Log.Refresh(index);
        Commit(c);
        return new ExpectedFinding(FindingCodes.ReviewStateMismatch) { Station = decision.StationCode, Revision = (int)decision.Revision, Path = BundlePaths.Stations };
    }

    private static ExpectedFinding? DecisionForUnknownEnvelope(TamperContext c)
    {
        var (_, template) = c.Log.Decisions().First();
        var decision = template.Clone();
        decision.EnvelopeSha256 = ByteString.CopyFrom(SHA256.HashData("an envelope nobody sent"u8));
        return AppendDecision(c, decision) with { Code = FindingCodes.DecisionTargetUnknown };
    }

    private static ExpectedFinding? DecisionTargetMismatch(TamperContext c)
    {
        var (index, decision) = c.Log.Decisions().First();
        decision.Revision += 1;
        c.Log.Entries[index].Bytes = BundleEditor.DecisionEntry(decision);
        c.Log.Refresh(index);
        Commit(c);
        return new ExpectedFinding(FindingCodes.DecisionTargetMismatch) { Index = index, Station = decision.StationCode, Revision = (int)decision.Revision };
    }

    private static ExpectedFinding? DecisionTwice(TamperContext c)
    {
        var (_, template) = c.Log.Decisions().First(d => d.Decision.Decision == V1.Decision.Accept);
        return AppendDecision(c, template.Clone()) with { Code = FindingCodes.DecisionNotAllowed, Reason = "ALREADY_DECIDED" };
    }

    private static ExpectedFinding? DecisionWithoutReason(TamperContext c)
    {
        var decided = c.Log.Decisions().Select(d => Convert.ToHexStringLower(d.Decision.EnvelopeSha256.Span)).ToHashSet();
        var submissions = c.Log.Submissions().ToList();
        var pending = submissions.FirstOrDefault(s => !decided.Contains(s.EnvelopeSha256Hex)
            && s.Protocol.Revision == submissions.Where(o => o.Protocol.StationCode == s.Protocol.StationCode).Max(o => o.Protocol.Revision));
        if (pending is null)
        {
            return null;
        }

        var (_, template) = c.Log.Decisions().First();
        var decision = template.Clone();
        decision.StationCode = pending.Protocol.StationCode;
        decision.Revision = pending.Protocol.Revision;
        decision.EnvelopeSha256 = ByteString.CopyFrom(Convert.FromHexString(pending.EnvelopeSha256Hex));
        decision.Decision = V1.Decision.Accept;
        decision.Reason = "   ";
        return AppendDecision(c, decision) with { Code = FindingCodes.DecisionNotAllowed, Reason = "REASON_REQUIRED" };
    }

    private static ExpectedFinding? DecisionByNonVerifier(TamperContext c)
    {
        var (index, decision) = c.Log.Decisions().First();
        decision.VerifierUri = "urn:transmission:station:" + decision.StationCode;
        c.Log.Entries[index].Bytes = BundleEditor.DecisionEntry(decision);
        c.Log.Refresh(index);
        Commit(c);
        return new ExpectedFinding(FindingCodes.DecisionMalformed) { Index = index, Reason = "VERIFIER_INVALID" };
    }

    private static ExpectedFinding AppendDecision(TamperContext c, V1.LoggedDecision decision)
    {
        var at = LastAt(c) + TimeSpan.FromMinutes(1);
        decision.DecidedAt = Timestamp.FromDateTimeOffset(at);
        var index = c.Log.Entries.Count;
        c.Log.Append(BundleEntryKind.Decision, BundleEditor.DecisionEntry(decision), BundleEditor.OtherFacts(BundleEntryKind.Decision, at));
        Commit(c);
        return new ExpectedFinding(FindingCodes.DecisionMalformed) { Index = index, Station = decision.StationCode };
    }

    // ---- Revocations and CRLs ----

    private static ExpectedFinding? RevocationEntryRemoved(TamperContext c)
    {
        if (c.Log.Revocations().FirstOrDefault() is not { Revocation: not null } revocation)
        {
            return null;
        }

        c.Log.Remove(revocation.Index);
        Commit(c);
        return new ExpectedFinding(FindingCodes.RevocationNotLogged) { Serial = Serial(revocation.Revocation) };
    }

    private static ExpectedFinding? RevocationEntryDuplicated(TamperContext c)
    {
        if (c.Log.Revocations().FirstOrDefault() is not { Revocation: not null } revocation)
        {
            return null;
        }

        var index = c.Log.Entries.Count;
        c.Log.Append(BundleEntryKind.Revocation, c.Log.Entries[revocation.Index].Bytes, (JsonObject)c.Log.Facts[revocation.Index]!.DeepClone());
        Commit(c);
        return new ExpectedFinding(FindingCodes.RevocationDuplicate) { Index = index, Serial = Serial(revocation.Revocation) };
    }

    private static ExpectedFinding? RevocationEntryBackdated(TamperContext c)
    {
        if (c.Log.Revocations().FirstOrDefault() is not { Revocation: not null } revocation)
        {
            return null;
        }

        var logged = revocation.Revocation;
        logged.RevokedAt = Timestamp.FromDateTimeOffset(logged.RevokedAt.ToDateTimeOffset() - TimeSpan.FromDays(1));
        c.Log.Entries[revocation.Index].Bytes = BundleEditor.RevocationEntry(logged);
        c.Log.Refresh(revocation.Index);
        Commit(c);
        return new ExpectedFinding(FindingCodes.RevocationMismatch) { Index = revocation.Index, Serial = Serial(logged) };
    }

    private static ExpectedFinding? CrlSignatureBroken(TamperContext c)
    {
        var path = Crls(c).LastOrDefault();
        if (path is null)
        {
            return null;
        }

        var der = CrlDer(c, path);
        der[^1] ^= 0x01;
        c.Log.Write(path, Pem("X509 CRL", der));
        return new ExpectedFinding(FindingCodes.CrlInvalid) { Path = path, Reason = "CRL_UNTRUSTED" };
    }

    private static ExpectedFinding? CrlResignedBackdated(TamperContext c)
    {
        var root = c.Keys.RootWithKey;
        var path = Crls(c).LastOrDefault();
        if (root is null || path is null)
        {
            return null;
        }

        var crl = RevocationList.Load(CrlDer(c, path), root).Value!;
        if (crl.Entries.Count == 0)
        {
            return null;
        }

        var ca = new ElectionCa(root, new SettableClock(crl.ThisUpdate));
        var der = ca.BuildRevocationList(crl.Entries.Select(e => e with { RevokedAt = e.RevokedAt - TimeSpan.FromDays(1) }), crl.Number);
        c.Log.Write(path, Pem("X509 CRL", der));
        return new ExpectedFinding(FindingCodes.RevocationMismatch) { Path = path, Serial = crl.Entries.OrderBy(e => e.SerialNumber, StringComparer.Ordinal).First().SerialNumber };
    }

    private static ExpectedFinding? SubmittedAfterRevocation(TamperContext c)
    {
        if (RevokedSigner(c) is not { } revoked || c.Keys.CentralSigningKey is null)
        {
            return null;
        }

        var protocol = NextRevision(c, revoked.Submission, revoked.RevokedAt - TimeSpan.FromMinutes(10));
        var index = c.Log.Entries.Count;
        c.Log.Append(BundleEntryKind.Submission, Sign(protocol, revoked.Signer), c.Log.SubmissionFacts(protocol, LastAt(c) + TimeSpan.FromMinutes(1)));
        Commit(c);
        return new ExpectedFinding(FindingCodes.SubmittedAfterRevocation) { Index = index, Station = protocol.StationCode, Revision = (int)protocol.Revision, Serial = revoked.Serial };
    }

    private static ExpectedFinding? SignedAfterRevocation(TamperContext c)
    {
        if (RevokedSigner(c) is not { } revoked || c.Keys.CentralSigningKey is null)
        {
            return null;
        }

        var protocol = NextRevision(c, revoked.Submission, revoked.RevokedAt + TimeSpan.FromMinutes(1));
        var index = revoked.EntryIndex;
        c.Log.Insert(index, BundleEntryKind.Submission, Sign(protocol, revoked.Signer), c.Log.SubmissionFacts(protocol, revoked.RevokedAt + TimeSpan.FromMinutes(2)));
        Commit(c);
        return new ExpectedFinding(FindingCodes.SignedAfterRevocation) { Index = index, Station = protocol.StationCode, Revision = (int)protocol.Revision, Serial = revoked.Serial };
    }

    // ---- What Central recorded about the entries ----

    private static ExpectedFinding? FlagsRemoved(TamperContext c)
    {
        var index = FactsIndex(c, f => f["flags"] is JsonArray { Count: > 0 });
        if (index is not { } i)
        {
            return null;
        }

        c.Log.Facts[i]!["flags"] = new JsonArray();
        c.Log.SaveFacts();
        return FactsAt(c, FindingCodes.FlagsMismatch, i);
    }

    private static ExpectedFinding? FlagAdded(TamperContext c)
    {
        var i = FactsIndex(c, f => f["flags"] is JsonArray { Count: 0 })!.Value;
        c.Log.Facts[i]!["flags"] = new JsonArray("BALLOTS_NOT_BALANCED");
        c.Log.SaveFacts();
        return FactsAt(c, FindingCodes.FlagsMismatch, i);
    }

    private static ExpectedFinding? CosignaturesInflated(TamperContext c)
    {
        var i = FactsIndex(c, f => f["kind"]!.GetValue<string>() == "submission")!.Value;
        c.Log.Facts[i]!["verifiedCosignatures"] = c.Log.Facts[i]!["verifiedCosignatures"]!.GetValue<int>() + 1;
        c.Log.SaveFacts();
        return FactsAt(c, FindingCodes.CosignaturesMismatch, i);
    }

    private static ExpectedFinding? LeafHashChanged(TamperContext c)
    {
        const int Index = 3;
        c.Log.Facts[Index]!["leafHash"] = Convert.ToHexStringLower(ForgedRoot);
        c.Log.SaveFacts();
        return new ExpectedFinding(FindingCodes.EntryHashMismatch) { Index = Index };
    }

    private static ExpectedFinding? KindChanged(TamperContext c)
    {
        var i = FactsIndex(c, f => f["kind"]!.GetValue<string>() == "submission")!.Value;
        c.Log.Facts[i]!["kind"] = "decision";
        c.Log.SaveFacts();
        return new ExpectedFinding(FindingCodes.EntryKindMismatch) { Index = i };
    }

    private static ExpectedFinding? StationChanged(TamperContext c)
    {
        var s = Plain(c);
        var other = c.Log.Submissions().First(o => o.Protocol.StationCode != s.Protocol.StationCode).Protocol.StationCode;
        c.Log.Facts[s.Index]!["stationCode"] = other;
        c.Log.SaveFacts();
        return At(FindingCodes.EntryFactsMismatch, s);
    }

    private static ExpectedFinding? FactsEntryRemoved(TamperContext c)
    {
        c.Log.Facts.RemoveAt(c.Log.Facts.Count - 1);
        c.Log.SaveFacts();
        return new ExpectedFinding(FindingCodes.EntryCountMismatch) { Path = BundlePaths.EntriesJson };
    }

    // ---- Attachments, evidence, definition, certificates ----

    private static ExpectedFinding? AttachmentByteChanged(TamperContext c)
    {
        if (Scanned(c) is not { } s)
        {
            return null;
        }

        var path = BundlePaths.Attachment(Convert.ToHexStringLower(s.Protocol.Attachments[0].Sha256.Span));
        var bytes = c.Log.Read(path);
        bytes[bytes.Length / 2] ^= 0x01;
        c.Log.Write(path, bytes);
        return At(FindingCodes.AttachmentDigestMismatch, s) with { Path = path };
    }

    private static ExpectedFinding? AttachmentDeleted(TamperContext c)
    {
        if (Scanned(c) is not { } s)
        {
            return null;
        }

        var path = BundlePaths.Attachment(Convert.ToHexStringLower(s.Protocol.Attachments[0].Sha256.Span));
        File.Delete(c.Log.PathOf(path));
        return At(FindingCodes.AttachmentMissing, s) with { Path = path };
    }

    private static ExpectedFinding? EvidenceAltered(TamperContext c)
    {
        var folder = c.Log.PathOf(BundlePaths.EvidenceFolder);
        var file = Directory.Exists(folder) ? Directory.EnumerateFiles(folder).FirstOrDefault() : null;
        if (file is null)
        {
            return null;
        }

        var bytes = File.ReadAllBytes(file);
        bytes[bytes.Length / 2] ^= 0x01;
        File.WriteAllBytes(file, bytes);
        return new ExpectedFinding(FindingCodes.EvidenceInvalid) { Path = BundlePaths.EvidenceFolder + Path.GetFileName(file), Reason = "NAME_MISMATCH" };
    }

    private static ExpectedFinding? DefinitionEdited(TamperContext c)
    {
        // The same definition in other bytes (compact JSON): its SHA-256, which every protocol signs, changes.
        var compact = JsonNode.Parse(c.Log.Read(BundlePaths.Election))!.ToJsonString();
        c.Log.Write(BundlePaths.Election, Encoding.UTF8.GetBytes(compact));
        var first = c.Log.Submissions().First();
        return new ExpectedFinding(FindingCodes.ProtocolRejected) { Index = first.Index, Station = first.Protocol.StationCode, Reason = "DEFINITION_MISMATCH" };
    }

    private static ExpectedFinding? RootReplaced(TamperContext c)
    {
        c.Log.Write(BundlePaths.Root, Encoding.ASCII.GetBytes(new FixturePki(DateTimeOffset.UtcNow, "A Replaced Root").RootPem));
        return new ExpectedFinding(FindingCodes.RootMismatch) { Path = BundlePaths.Root };
    }

    private static ExpectedFinding? CentralCertificateReplaced(TamperContext c)
    {
        var certificate = X509CertificateLoader.LoadCertificate(Plain(c).Envelope.Signatures[0].Certificate.Span);
        c.Log.Write(BundlePaths.CentralSigning, Encoding.ASCII.GetBytes(certificate.ExportCertificatePem() + "\n"));
        return new ExpectedFinding(FindingCodes.CentralCertificateInvalid) { Path = BundlePaths.CentralSigning, Reason = "IDENTITY_WRONG_ROLE" };
    }

    // ---- Checkpoints ----

    private static ExpectedFinding? CheckpointOtherKey(TamperContext c)
    {
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        WriteCheckpoint(c, c.Log.Origin, c.Log.Entries.Count, c.Log.RootOf(c.Log.Entries.Count), other);
        return new ExpectedFinding(FindingCodes.CheckpointSignatureInvalid) { Path = BundlePaths.Checkpoint, Reason = "SIGNATURE_MISSING" };
    }

    private static ExpectedFinding? CheckpointWrongRoot(TamperContext c) =>
        c.Keys.CentralSigningKey is not { } key ? null
        : WriteCheckpoint(c, c.Log.Origin, c.Log.Entries.Count, ForgedRoot, key) with { Code = FindingCodes.CheckpointRootMismatch };

    private static ExpectedFinding? CheckpointWrongSize(TamperContext c) =>
        c.Keys.CentralSigningKey is not { } key ? null
        : WriteCheckpoint(c, c.Log.Origin, c.Log.Entries.Count - 1, c.Log.RootOf(c.Log.Entries.Count - 1), key) with { Code = FindingCodes.CheckpointSizeMismatch };

    private static ExpectedFinding? CheckpointOtherOrigin(TamperContext c)
    {
        if (c.Keys.CentralSigningKey is not { } key)
        {
            return null;
        }

        // Signed under the log's key name, but the text names another log.
        var checkpoint = new Checkpoint("transmission/another-election", c.Log.Entries.Count, c.Log.RootOf(c.Log.Entries.Count));
        c.Log.Write(BundlePaths.Checkpoint, Encoding.UTF8.GetBytes(CheckpointNote.Sign(checkpoint, c.Log.Origin, key)));
        return new ExpectedFinding(FindingCodes.CheckpointOriginMismatch) { Path = BundlePaths.Checkpoint };
    }

    private static ExpectedFinding? SavedCheckpointNotPrefix(TamperContext c) =>
        c.Keys.CentralSigningKey is not { } key ? null : Save(c, "forged-prefix.checkpoint", c.Log.Entries.Count / 2, ForgedRoot, key, FindingCodes.CheckpointInconsistent);

    private static ExpectedFinding? SavedCheckpointLarger(TamperContext c) =>
        c.Keys.CentralSigningKey is not { } key ? null : Save(c, "from-a-longer-log.checkpoint", c.Log.Entries.Count + 3, ForgedRoot, key, FindingCodes.LogShrank);

    private static ExpectedFinding? SavedCheckpointOtherKey(TamperContext c)
    {
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return Save(c, "other-key.checkpoint", 1, c.Log.RootOf(1), other, FindingCodes.SavedCheckpointInvalid) with { Reason = "SIGNATURE_MISSING" };
    }

    private static ExpectedFinding WriteCheckpoint(TamperContext c, string origin, long size, byte[] root, ECDsa key)
    {
        c.Log.Write(BundlePaths.Checkpoint, Encoding.UTF8.GetBytes(CheckpointNote.Sign(new Checkpoint(origin, size, root), c.Log.Origin, key)));
        return new ExpectedFinding(FindingCodes.CheckpointMalformed) { Path = BundlePaths.Checkpoint };
    }

    private static ExpectedFinding Save(TamperContext c, string name, long size, byte[] root, ECDsa key, string code)
    {
        Directory.CreateDirectory(c.SavedCheckpoints);
        File.WriteAllText(Path.Combine(c.SavedCheckpoints, name), CheckpointNote.Sign(new Checkpoint(c.Log.Origin, size, root), c.Log.Origin, key));
        return new ExpectedFinding(code) { Path = name };
    }

    // ---- Published files and the manifest ----

    private static ExpectedFinding? TotalChanged(TamperContext c)
    {
        var totals = c.Log.ReadJson(BundlePaths.Totals);
        var choice = totals["areas"]![0]!["contests"]![0]!["choices"]![0]!;
        choice["votesProvisional"] = choice["votesProvisional"]!.GetValue<long>() + 1;
        c.Log.WriteJson(BundlePaths.Totals, totals);
        return new ExpectedFinding(FindingCodes.TotalsMismatch) { Path = BundlePaths.Totals };
    }

    private static ExpectedFinding? PublishedStateChanged(TamperContext c)
    {
        var stations = c.Log.ReadJson(BundlePaths.Stations);
        foreach (var station in stations["stations"]!.AsArray())
        {
            foreach (var revision in station!["revisions"]!.AsArray())
            {
                if (revision!["reviewState"]!.GetValue<string>() == "accepted")
                {
                    revision["reviewState"] = "rejected";
                    c.Log.WriteJson(BundlePaths.Stations, stations);
                    return new ExpectedFinding(FindingCodes.ReviewStateMismatch)
                    {
                        Station = station["stationCode"]!.GetValue<string>(),
                        Revision = revision["revision"]!.GetValue<int>(),
                        Path = BundlePaths.Stations,
                    };
                }
            }
        }

        return null;
    }

    private static ExpectedFinding? PublishedLogIndexChanged(TamperContext c) => EditPublishedRevision(c, revision => revision["logIndex"] = revision["logIndex"]!.GetValue<long>() + 1);

    private static ExpectedFinding? PublishedVotesChanged(TamperContext c) =>
        EditPublishedRevision(c, revision =>
        {
            var choice = revision["contests"]![0]!["choices"]![0]!;
            choice["votes"] = choice["votes"]!.GetValue<long>() + 1;
        });

    private static ExpectedFinding? EditPublishedRevision(TamperContext c, Action<JsonNode> edit)
    {
        var stations = c.Log.ReadJson(BundlePaths.Stations);
        var station = stations["stations"]![0]!;
        edit(station["revisions"]![0]!);
        c.Log.WriteJson(BundlePaths.Stations, stations);
        return new ExpectedFinding(FindingCodes.StationsMismatch) { Station = station["stationCode"]!.GetValue<string>(), Path = BundlePaths.Stations };
    }

    private static ExpectedFinding? PublishedStationRemoved(TamperContext c)
    {
        var stations = c.Log.ReadJson(BundlePaths.Stations);
        var code = stations["stations"]![0]!["stationCode"]!.GetValue<string>();
        stations["stations"]!.AsArray().RemoveAt(0);
        c.Log.WriteJson(BundlePaths.Stations, stations);
        return new ExpectedFinding(FindingCodes.StationsMismatch) { Station = code, Path = BundlePaths.Stations };
    }

    private static ExpectedFinding? FileMissing(TamperContext c)
    {
        File.Delete(c.Log.PathOf(BundlePaths.Stations));
        return new ExpectedFinding(FindingCodes.FileMissing) { Path = BundlePaths.Stations };
    }

    private static ExpectedFinding? FileAdded(TamperContext c)
    {
        c.Log.Write("notes.txt", "not part of any bundle\n"u8.ToArray());
        return new ExpectedFinding(FindingCodes.ManifestFileExtra) { Path = "notes.txt" };
    }

    private static ExpectedFinding? ManifestEdited(TamperContext c)
    {
        var manifest = c.Log.ReadJson(BundlePaths.Manifest);
        var file = manifest["files"]![0]!;
        file["size"] = file["size"]!.GetValue<long>() + 1;
        c.Log.WriteJson(BundlePaths.Manifest, manifest);
        return new ExpectedFinding(FindingCodes.ManifestFileMismatch) { Path = file["path"]!.GetValue<string>() };
    }

    private static ExpectedFinding? ManifestPathOutside(TamperContext c)
    {
        var manifest = c.Log.ReadJson(BundlePaths.Manifest);
        manifest["files"]!.AsArray().Add(new JsonObject { ["path"] = "../../etc/passwd", ["size"] = 1, ["sha256"] = Convert.ToHexStringLower(ForgedRoot) });
        c.Log.WriteJson(BundlePaths.Manifest, manifest);
        return new ExpectedFinding(FindingCodes.ManifestMalformed) { Path = BundlePaths.Manifest };
    }

    private static Func<TamperContext, ExpectedFinding?> Garbage(string path, string code, string? reason) => c =>
    {
        c.Log.Write(path, "this is not what the file should be\n"u8.ToArray());
        return new ExpectedFinding(code) { Path = path, Reason = reason };
    };

    private static Func<TamperContext, ExpectedFinding?> NotUtf8(string path, string code) => c =>
    {
        // The first letter of the second string value becomes 0xB2, a UTF-8 continuation byte with no lead byte.
        var bytes = c.Log.Read(path);
        var quotes = 0;
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] == (byte)'"' && ++quotes == 7)
            {
                bytes[i + 1] = 0xB2;
                break;
            }
        }

        c.Log.Write(path, bytes);
        return new ExpectedFinding(code) { Path = path };
    };

    private static ExpectedFinding? EntriesJsonCut(TamperContext c)
    {
        var bytes = c.Log.Read(BundlePaths.EntriesJson);
        c.Log.Write(BundlePaths.EntriesJson, bytes[..(bytes.Length / 2)]);
        return new ExpectedFinding(FindingCodes.EntriesJsonMalformed) { Path = BundlePaths.EntriesJson };
    }

    private static ExpectedFinding? CrlGarbage(TamperContext c)
    {
        var path = Crls(c).FirstOrDefault();
        return path is null ? null : Garbage(path, FindingCodes.CrlInvalid, "CRL_MALFORMED")(c);
    }

    private static ExpectedFinding? PublishedNullElement(TamperContext c)
    {
        var totals = c.Log.ReadJson(BundlePaths.Totals);
        totals["areas"]![0] = null;
        c.Log.WriteJson(BundlePaths.Totals, totals);
        return new ExpectedFinding(FindingCodes.PublishedMalformed) { Path = BundlePaths.Totals };
    }

    // ---- Helpers ----

    /// <summary>The first submission signed by the chair alone, without attachments.</summary>
    private static SubmissionView Plain(TamperContext c) =>
        c.Log.Submissions().First(s => s.Envelope.Signatures.Count == 1 && s.Protocol.Attachments.Count == 0);

    private static SubmissionView? Scanned(TamperContext c) =>
        Directory.Exists(c.Log.PathOf(BundlePaths.AttachmentsFolder))
            ? c.Log.Submissions().FirstOrDefault(s => s.Protocol.Attachments.Count > 0)
            : null;

    private static ExpectedFinding At(string code, SubmissionView s) =>
        new(code) { Index = s.Index, Station = s.Protocol.StationCode, Revision = (int)s.Protocol.Revision };

    private static ExpectedFinding FactsAt(TamperContext c, string code, int index)
    {
        var s = c.Log.Submissions().First(v => v.Index == index);
        return At(code, s);
    }

    private static int? FactsIndex(TamperContext c, Func<JsonNode, bool> predicate)
    {
        for (var i = 0; i < c.Log.Facts.Count; i++)
        {
            if (c.Log.Facts[i]!["kind"]!.GetValue<string>() == "submission" && predicate(c.Log.Facts[i]!))
            {
                return i;
            }
        }

        return null;
    }

    private static ExpectedFinding ReplaceEnvelope(TamperContext c, SubmissionView s)
    {
        c.Log.Entries[s.Index].Bytes = s.Envelope.ToByteArray();
        c.Log.SaveEntries();
        return At(FindingCodes.EnvelopeMalformed, s);
    }

    /// <summary>Writes the log and, when Central's key is known, re-signs the checkpoint over it.</summary>
    private static void Commit(TamperContext c)
    {
        c.Log.Save();
        if (c.Keys.CentralSigningKey is { } key)
        {
            c.Log.Reseal(key);
        }
    }

    private static DateTimeOffset AtOf(TamperContext c, int index) =>
        BundleFormat.TryParseTime(c.Log.Facts[index]!["at"]!.GetValue<string>(), out var at) ? at : throw new InvalidOperationException("Unreadable time.");

    private static DateTimeOffset LastAt(TamperContext c) =>
        Enumerable.Range(0, c.Log.Facts.Count).Select(i => AtOf(c, i)).Max();

    private static (string Name, long Size)? SmallestSaved(TamperContext c)
    {
        if (!Directory.Exists(c.SavedCheckpoints))
        {
            return null;
        }

        return Directory.EnumerateFiles(c.SavedCheckpoints)
            .Select(f => (Path.GetFileName(f), Size: long.Parse(File.ReadAllText(f).Split('\n')[1], System.Globalization.CultureInfo.InvariantCulture)))
            .Where(s => s.Size > 1)
            .OrderBy(s => s.Size)
            .Cast<(string, long)?>()
            .FirstOrDefault();
    }

    private static KeyedCertificate? Issue(TamperContext c, CertificateProfile profile, string id, DateTimeOffset validAt)
    {
        if (c.Keys.RootWithKey is not { } root)
        {
            return null;
        }

        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var identity = CallerIdentity.Create(CertificateProfiles.RoleOf(profile), id).Value!;
        var issued = new ElectionCa(root, new SettableClock(validAt - TimeSpan.FromDays(1))).Issue(new PublicKey(key), profile, identity);
        // A root younger than a day (a development night) cannot issue a certificate valid a day before: the case does not apply.
        return issued.IsSuccess ? new KeyedCertificate(key, issued.Value) : null;
    }

    private static string Serial(V1.LoggedRevocation revocation) => RevocationEntry.CanonicalSerial(revocation.SerialNumber.Span);

    private static IReadOnlyList<string> Crls(TamperContext c)
    {
        var folder = c.Log.PathOf(BundlePaths.CrlFolder);
        return Directory.Exists(folder)
            ? [.. Directory.EnumerateFiles(folder).Select(f => BundlePaths.CrlFolder + Path.GetFileName(f)).OrderBy(p => BundlePaths.CrlNumberOf(p))]
            : [];
    }

    private static byte[] CrlDer(TamperContext c, string path)
    {
        var text = Encoding.ASCII.GetString(c.Log.Read(path));
        var fields = PemEncoding.Find(text);
        return Convert.FromBase64String(text[fields.Base64Data]);
    }

    private static byte[] Pem(string label, byte[] der) => Encoding.ASCII.GetBytes(new string(PemEncoding.Write(label, der)) + "\n");

    private sealed record Revoked(SubmissionView Submission, (ECDsa Key, X509Certificate2 Certificate) Signer, string Serial, DateTimeOffset RevokedAt, int EntryIndex);

    /// <summary>The revoked station's latest submission, its signing key and the revocation entry, when the bundle has them.</summary>
    private static Revoked? RevokedSigner(TamperContext c)
    {
        if (c.Log.Revocations().FirstOrDefault() is not { Revocation: not null } revocation)
        {
            return null;
        }

        var serial = Serial(revocation.Revocation);
        var signer = c.Keys.StationSigners.Values.FirstOrDefault(k => RevocationEntry.CanonicalSerial(k.Certificate) == serial);
        if (signer.Key is null)
        {
            return null;
        }

        var submission = c.Log.Submissions().Last(s => RevocationEntry.CanonicalSerial(X509CertificateLoader.LoadCertificate(s.Envelope.Signatures[0].Certificate.Span)) == serial);
        return new Revoked(submission, signer, serial, revocation.Revocation.RevokedAt.ToDateTimeOffset(), revocation.Index);
    }

    private static V1.ResultProtocol NextRevision(TamperContext c, SubmissionView latest, DateTimeOffset signedAt)
    {
        var revision = c.Log.Submissions().Where(s => s.Protocol.StationCode == latest.Protocol.StationCode).Max(s => s.Protocol.Revision) + 1;
        var protocol = latest.Protocol.Clone();
        protocol.Revision = revision;
        protocol.CorrectionReason = "A correction sent with a key that should no longer sign.";
        protocol.SignedAt = Timestamp.FromDateTimeOffset(signedAt);
        return protocol;
    }

    private static byte[] Sign(V1.ResultProtocol protocol, (ECDsa Key, X509Certificate2 Certificate) signer) =>
        EnvelopeMapping.ToBytes(EnvelopeSigner.Sign(PayloadTypes.ResultProtocol, protocol.ToByteArray(), signer.Key, signer.Certificate));
}
