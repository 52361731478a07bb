using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Transmission.Audit.Bundle;
using Transmission.Contracts.Mapping;
using Transmission.Core.Election;
using Transmission.Core.Envelope;
using Transmission.Core.Log;
using Transmission.Core.Pki;

namespace Transmission.Audit.Verification;

/// <summary>
/// The offline audit of a bundle (docs/audit-bundle.md, "What the verifier checks"): no server, no database, nothing
/// trusted but the election root (pinned, or the bundle's own) and, for consistency, the auditor's saved checkpoints.
/// Every failure is an <see cref="AuditFinding"/> with a stable code; the verifier never stops at the first one.
/// </summary>
/// <remarks>
/// Entries are read in batches of <see cref="AuditOptions.BatchSize"/>; the expensive checks of a batch (signatures,
/// certificate chains, rules, attachment hashes) run in parallel on all cores, then the checks that depend on earlier
/// entries run in index order. Memory holds one batch of entries plus what the totals need.
/// </remarks>
public static class BundleVerifier
{
    /// <summary>Verifies the bundle read by <paramref name="bundle"/>.</summary>
    /// <exception cref="BundleUnreadableException">A file of the bundle exists but cannot be read.</exception>
    public static async Task<AuditReport> VerifyAsync(BundleReader bundle, AuditOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxDegreeOfParallelism, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.BatchSize, 1, nameof(options));

        var run = new Run(bundle, options);
        // Listed before any progress is shown: a bundle that cannot be read at all is one line, nothing before it.
        var files = bundle.ListFiles();
        run.Progress("reading the bundle", AuditPhase.Reading);
        foreach (var path in BundlePaths.Required.Where(p => !files.Contains(p, StringComparer.Ordinal)))
        {
            run.Findings.Add(ReportSection.Files, new AuditFinding(FindingCodes.FileMissing, "A file every bundle has is missing.") { Path = path });
        }

        var manifest = ReadManifest(run);
        var definitionBytes = bundle.ReadAllBytes(BundlePaths.Election);
        var definition = ReadDefinition(run, definitionBytes);
        var electionId = definition?.ElectionId ?? manifest?.ElectionId;
        var mode = definition?.Mode.ToJsonName() ?? manifest?.Mode;
        var (trust, rootSource) = ResolveRoot(run);
        var crls = trust is null ? CrlSet.Empty : CrlSet.Load(bundle, trust.Root, run.Findings);
        run.Counts.Crls = crls.Crls.Count;
        run.Counts.RevokedSerials = crls.Revoked.Count;
        var central = ReadCentralCertificate(run);

        var includesAttachments = manifest?.IncludesAttachments ?? files.Any(p => p.StartsWith(BundlePaths.AttachmentsFolder, StringComparison.Ordinal));
        var attachments = includesAttachments ? new AttachmentChecker(bundle) : null;
        if (!includesAttachments)
        {
            run.Notes.Add(new AuditNote(AuditNoteKinds.NotChecked, "The bundle does not include the attachments (scanned forms): their bytes were not checked against the signed digests.") { Facts = new(AuditNoteTopics.AttachmentsNotIncluded) });
        }

        var certificates = new SignerCertificateCache();
        var verifier = trust is null ? null : new EnvelopeVerifier(trust, certificates);
        var analyzer = new EntryAnalyzer(definition, electionId, trust, verifier, certificates, attachments);
        var replay = new LogReplay(definition, crls, run.Findings, run.Notes, run.Counts);
        var tree = await ReadLogAsync(run, analyzer, replay, cancellationToken);
        run.Counts.Entries = tree.Size;
        run.Counts.AttachmentsChecked = attachments?.Checked ?? 0;

        run.Progress("checking revocations, checkpoints, evidence and the published files", AuditPhase.Checking);
        CheckRevocations(run, crls, replay);
        var checkpointKey = CheckCentralCertificate(run, trust, crls, central, replay.LastAt, electionId);
        CheckCheckpoints(run, checkpointKey, tree);
        if (verifier is not null)
        {
            CheckEvidence(run, verifier, replay);
        }

        if (definition is not null)
        {
            new PublishedCheck(bundle, definition, replay, tree.Size, run.Findings, run.Counts, options.MaxPublishedFindings).Run();
        }
        else
        {
            run.Notes.Add(new AuditNote(AuditNoteKinds.NotChecked, "Without a valid election definition, the protocols' rules and the published totals were not checked.") { Facts = new(AuditNoteTopics.NoDefinition) });
        }

        CheckUnreferencedAttachments(run, files, replay, attachments);
        CheckManifest(run, manifest, files, definition, mode, electionId, tree.Size, includesAttachments, attachments);

        var rootSha = trust is null ? null : Convert.ToHexStringLower(SHA256.HashData(trust.Root.RawData));
        return new AuditReport(bundle.Folder, electionId, mode, tree.Size, rootSource, rootSha, run.Counts, run.Findings.InReportOrder(), run.Notes);
    }

    private static BundleManifest? ReadManifest(Run run)
    {
        var bytes = run.Bundle.ReadAllBytes(BundlePaths.Manifest);
        if (bytes is null)
        {
            run.Findings.Add(ReportSection.Files, new AuditFinding(FindingCodes.ManifestMalformed, "MANIFEST.json is missing.") { Path = BundlePaths.Manifest });
            return null;
        }

        try
        {
            var manifest = BundleReader.ParseManifest(bytes);
            if (manifest.Format != BundleFormat.Name)
            {
                run.Findings.Add(ReportSection.Files, new AuditFinding(FindingCodes.ManifestMalformed, $"The format is '{EntryAnalyzer.Printable(manifest.Format)}', not '{BundleFormat.Name}'.") { Path = BundlePaths.Manifest });
            }

            return manifest;
        }
        catch (JsonException e)
        {
            run.Findings.Add(ReportSection.Files, new AuditFinding(FindingCodes.ManifestMalformed, $"MANIFEST.json is not the documented JSON: {e.Message}") { Path = BundlePaths.Manifest });
            return null;
        }
    }

    private static ElectionDefinition? ReadDefinition(Run run, byte[]? bytes)
    {
        if (bytes is null)
        {
            return null;
        }

        var parsed = ElectionDefinition.Parse(bytes);
        if (parsed.Definition is { } definition)
        {
            return definition;
        }

        var first = parsed.Errors[0];
        run.Findings.Add(ReportSection.Pki, new AuditFinding(FindingCodes.DefinitionInvalid,
            $"election.json is not a valid election definition ({parsed.Errors.Count} error(s); first: {first}).") { Path = BundlePaths.Election, Reason = first.ReasonCode });
        return null;
    }

    private static (ElectionTrust? Trust, RootSource Source) ResolveRoot(Run run)
    {
        var bytes = run.Bundle.ReadAllBytes(BundlePaths.Root);
        var bundled = bytes is null ? null : PemFiles.Certificate(bytes);
        if (bytes is not null && bundled is null)
        {
            run.Findings.Add(ReportSection.Pki, new AuditFinding(FindingCodes.RootInvalid, "The file is not one PEM certificate.") { Path = BundlePaths.Root });
        }

        var pinned = run.Options.PinnedRoot;
        if (pinned is not null && bundled is not null && !pinned.RawDataMemory.Span.SequenceEqual(bundled.RawDataMemory.Span))
        {
            run.Findings.Add(ReportSection.Pki, new AuditFinding(FindingCodes.RootMismatch,
                $"The bundle's root (SHA-256 {Convert.ToHexStringLower(SHA256.HashData(bundled.RawData))}) is not the pinned root (SHA-256 {Convert.ToHexStringLower(SHA256.HashData(pinned.RawData))}); everything is checked against the pinned root.") { Path = BundlePaths.Root });
        }

        var root = pinned ?? bundled;
        if (root is null)
        {
            run.Notes.Add(new AuditNote(AuditNoteKinds.NotChecked, "No usable election root: no signature, certificate or CRL could be checked.") { Facts = new(AuditNoteTopics.NoRoot) });
            return (null, RootSource.None);
        }

        try
        {
            return (new ElectionTrust(root), pinned is null ? RootSource.Bundle : RootSource.Pinned);
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            run.Findings.Add(ReportSection.Pki, new AuditFinding(FindingCodes.RootInvalid, e.Message) { Path = pinned is null ? BundlePaths.Root : null });
            return (null, RootSource.None);
        }
    }

    private static X509Certificate2? ReadCentralCertificate(Run run)
    {
        var bytes = run.Bundle.ReadAllBytes(BundlePaths.CentralSigning);
        if (bytes is null)
        {
            return null;
        }

        var certificate = PemFiles.Certificate(bytes);
        if (certificate is null)
        {
            run.Findings.Add(ReportSection.Pki, new AuditFinding(FindingCodes.CentralCertificateInvalid, "The file is not one PEM certificate.") { Path = BundlePaths.CentralSigning, Reason = "CERTIFICATE_MALFORMED" });
        }

        return certificate;
    }

    private static async Task<MerkleTree> ReadLogAsync(Run run, EntryAnalyzer analyzer, LogReplay replay, CancellationToken cancellationToken)
    {
        var tree = new MerkleTree();
        await using var entries = run.Bundle.OpenRead(BundlePaths.Entries);
        if (entries is null)
        {
            return tree;
        }

        await using var factsStream = run.Bundle.OpenRead(BundlePaths.EntriesJson);
        var facts = new FactsCursor(factsStream, run.Findings, cancellationToken);
        var reader = new EntriesFileReader(entries);
        var total = entries.Length;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = run.Options.MaxDegreeOfParallelism, CancellationToken = cancellationToken };
        var done = false;
        while (!done)
        {
            var raws = new List<RawEntry>(run.Options.BatchSize);
            var batchFacts = new List<EntryFacts?>(run.Options.BatchSize);
            while (raws.Count < run.Options.BatchSize)
            {
                var status = reader.Read(out var raw);
                if (status == EntryReadStatus.Entry)
                {
                    raws.Add(raw!);
                    batchFacts.Add(await facts.NextAsync());
                    continue;
                }

                var next = tree.Size + raws.Count;
                if (status == EntryReadStatus.Truncated)
                {
                    run.Findings.Add(ReportSection.Entries, new AuditFinding(FindingCodes.EntriesTruncated, $"log/entries.bin ends inside entry {next}; {next} whole entries were read.") { Index = next, Path = BundlePaths.Entries });
                }
                else if (status == EntryReadStatus.TooLarge)
                {
                    run.Findings.Add(ReportSection.Entries, new AuditFinding(FindingCodes.EntryTooLarge, $"Entry {next} states a length above {EntryFraming.MaxEntryBytes} bytes; reading stops there.") { Index = next, Path = BundlePaths.Entries });
                }

                done = true;
                break;
            }

            var results = new EntryResult[raws.Count];
            Parallel.For(0, raws.Count, parallel, i => results[i] = analyzer.Analyze(raws[i], batchFacts[i]));
            foreach (var result in results)
            {
                tree.AppendLeafHash(result.LeafHash);
                replay.Apply(result);
            }

            run.Options.Progress?.Report(new AuditProgress("verifying the log", reader.Position, total) { Kind = AuditPhase.VerifyingLog });
        }

        await facts.FinishAsync(tree.Size);
        return tree;
    }

    private static void CheckRevocations(Run run, CrlSet crls, LogReplay replay)
    {
        var reported = new HashSet<string>(StringComparer.Ordinal);
        foreach (var crl in crls.Crls)
        {
            foreach (var entry in crl.List.Entries.OrderBy(e => e.SerialNumber, StringComparer.Ordinal))
            {
                if (!replay.RevocationEntries.TryGetValue(entry.SerialNumber, out var logged))
                {
                    if (reported.Add(entry.SerialNumber))
                    {
                        run.Findings.Add(ReportSection.Revocations, new AuditFinding(FindingCodes.RevocationNotLogged,
                            $"CRL {N(crl.Number)} revokes serial {entry.SerialNumber} (at {BundleFormat.FormatTime(entry.RevokedAt)}), but the log has no revocation entry for it.") { Path = crl.Path, Serial = entry.SerialNumber });
                    }

                    continue;
                }

                var reason = (uint)(int)(entry.Reason ?? X509RevocationReason.Unspecified);
                if (entry.RevokedAt != logged.Revocation.RevokedAt || reason != logged.Revocation.Logged.Reason)
                {
                    run.Findings.Add(ReportSection.Revocations, new AuditFinding(FindingCodes.RevocationMismatch,
                        $"CRL {N(crl.Number)} revokes serial {entry.SerialNumber} at {BundleFormat.FormatTime(entry.RevokedAt)} (reason {reason}); the log's entry says {BundleFormat.FormatTime(logged.Revocation.RevokedAt)} (reason {logged.Revocation.Logged.Reason}).")
                    { Index = logged.Index, Path = crl.Path, Serial = entry.SerialNumber });
                }
            }
        }

        foreach (var (serial, (index, revocation)) in replay.RevocationEntries.OrderBy(e => e.Value.Index))
        {
            var logged = revocation.Logged;
            if (!crls.Revoked.TryGetValue(serial, out var revoked))
            {
                run.Findings.Add(ReportSection.Revocations, new AuditFinding(FindingCodes.RevocationNotInCrl, $"The entry revokes serial {serial}, which no valid CRL of the bundle revokes.") { Index = index, Serial = serial });
                continue;
            }

            var named = crls.ByNumber(logged.CrlNumber);
            var crlSha = Convert.ToHexStringLower(logged.CrlSha256.Span);
            string? problem = named is null
                ? $"the entry names CRL {logged.CrlNumber}, which the bundle does not have (valid)"
                : named.Sha256Hex != crlSha
                    ? $"the entry names CRL {logged.CrlNumber} with SHA-256 {crlSha}, but that CRL's SHA-256 is {named.Sha256Hex}"
                    : revoked.FirstCrl != logged.CrlNumber
                        ? $"the entry names CRL {logged.CrlNumber}, but CRL {N(revoked.FirstCrl)} was the first to revoke it"
                        : logged.SubjectUri.Length > 0 && replay.SignerIdentities.TryGetValue(serial, out var uri) && uri != logged.SubjectUri
                            ? $"the entry names {EntryAnalyzer.Printable(logged.SubjectUri)}, but the certificate with this serial is {uri}"
                            : null;
            if (problem is not null)
            {
                run.Findings.Add(ReportSection.Revocations, new AuditFinding(FindingCodes.RevocationMismatch, $"Serial {serial}: {problem}.") { Index = index, Serial = serial, Path = named?.Path });
            }
        }
    }

    private static CheckpointKey? CheckCentralCertificate(Run run, ElectionTrust? trust, CrlSet crls, X509Certificate2? central, DateTimeOffset? lastAt, string? electionId)
    {
        if (central is null || trust is null)
        {
            return null;
        }

        try
        {
            return CentralKey(run, trust, crls, central, lastAt, electionId);
        }
        catch (CryptographicException e)
        {
            // A certificate that loads can still hold parts that do not decode (see ElectionTrust).
            run.Findings.Add(ReportSection.Pki, new AuditFinding(FindingCodes.CentralCertificateInvalid, $"Central's signing certificate cannot be decoded: {e.Message}") { Path = BundlePaths.CentralSigning, Reason = "CERTIFICATE_MALFORMED" });
            return null;
        }
    }

    private static CheckpointKey? CentralKey(Run run, ElectionTrust trust, CrlSet crls, X509Certificate2 central, DateTimeOffset? lastAt, string? electionId)
    {

        var at = lastAt ?? new DateTimeOffset(central.NotBefore.ToUniversalTime());
        var validated = trust.Validate(central, CertificatePurpose.Signing, at);
        string? reason = null;
        string? detail = null;
        if (!validated.IsSuccess)
        {
            (reason, detail) = (validated.Failure!.Value.ToReasonCode(), validated.Detail);
        }
        else if (validated.Value.Role != Role.Central)
        {
            (reason, detail) = ("IDENTITY_WRONG_ROLE", $"{validated.Value.Uri} is not Central");
        }
        else if (CertificateProfiles.Recognize(central) != CertificateProfile.CentralSigning)
        {
            (reason, detail) = ("WRONG_PROFILE", "it is not a central-signing certificate (documentSigning, central identity)");
        }
        else if (crls.Revoked.TryGetValue(RevocationEntry.CanonicalSerial(central), out var revoked) && revoked.RevokedAt <= at)
        {
            (reason, detail) = ("REVOKED", $"revoked at {BundleFormat.FormatTime(revoked.RevokedAt)}");
        }

        if (reason is not null)
        {
            run.Findings.Add(ReportSection.Pki, new AuditFinding(FindingCodes.CentralCertificateInvalid,
                $"Central's signing certificate is not a valid central-signing certificate of the root at {BundleFormat.FormatTime(at)}: {detail}.") { Path = BundlePaths.CentralSigning, Reason = reason });
            return null;
        }

        if (string.IsNullOrEmpty(electionId) || !CheckpointKey.IsValidKeyName(LogEntryTypes.Origin(electionId)))
        {
            return null;
        }

        using var key = central.GetECDsaPublicKey();
        if (key is null || key.KeySize != 256)
        {
            run.Findings.Add(ReportSection.Pki, new AuditFinding(FindingCodes.CentralCertificateInvalid, "Central's signing key is not ECDSA P-256.") { Path = BundlePaths.CentralSigning, Reason = "KEY_UNSUPPORTED" });
            return null;
        }

        return new CheckpointKey(LogEntryTypes.Origin(electionId), ECDsa.Create(key.ExportParameters(false)));
    }

    private static void CheckCheckpoints(Run run, CheckpointKey? key, MerkleTree tree)
    {
        var note = run.Bundle.ReadAllBytes(BundlePaths.Checkpoint);
        if (key is null)
        {
            if (note is not null || run.Options.SavedCheckpoints.Count > 0)
            {
                run.Notes.Add(new AuditNote(AuditNoteKinds.NotChecked, "Without a valid Central signing certificate (and election id), no checkpoint signature could be checked.") { Facts = new(AuditNoteTopics.NoCentralCertificate) });
            }

            return;
        }

        if (note is not null)
        {
            var verified = Verify(note, key);
            if (!verified.IsValid)
            {
                run.Findings.Add(ReportSection.Checkpoints, new AuditFinding(CheckpointCode(verified.Failure.Value), $"The checkpoint does not verify: {verified.Detail}") { Path = BundlePaths.Checkpoint, Reason = verified.ReasonCode });
            }
            else if (verified.Checkpoint.TreeSize != tree.Size)
            {
                run.Findings.Add(ReportSection.Checkpoints, new AuditFinding(FindingCodes.CheckpointSizeMismatch,
                    $"The checkpoint is for {N(verified.Checkpoint.TreeSize)} entries; log/entries.bin holds {N(tree.Size)}.") { Path = BundlePaths.Checkpoint });
            }
            else if (!verified.Checkpoint.RootHash.AsSpan().SequenceEqual(tree.Root()))
            {
                run.Findings.Add(ReportSection.Checkpoints, new AuditFinding(FindingCodes.CheckpointRootMismatch,
                    $"The checkpoint's root is {Convert.ToBase64String(verified.Checkpoint.RootHash)}; the entries give {Convert.ToBase64String(tree.Root())}.") { Path = BundlePaths.Checkpoint });
            }
        }

        foreach (var saved in run.Options.SavedCheckpoints)
        {
            run.Counts.SavedCheckpoints++;
            var verified = CheckpointNote.Verify(saved.Note, key);
            if (!verified.IsValid)
            {
                run.Findings.Add(ReportSection.Checkpoints, new AuditFinding(FindingCodes.SavedCheckpointInvalid,
                    $"The saved checkpoint does not verify with Central's key for {key.Name}: {verified.Detail}") { Path = saved.Name, Reason = verified.ReasonCode });
            }
            else if (verified.Checkpoint.TreeSize > tree.Size)
            {
                run.Findings.Add(ReportSection.Checkpoints, new AuditFinding(FindingCodes.LogShrank,
                    $"The saved checkpoint is for {N(verified.Checkpoint.TreeSize)} entries, more than the {N(tree.Size)} of this bundle: the log shrank.") { Path = saved.Name });
            }
            else if (!verified.Checkpoint.RootHash.AsSpan().SequenceEqual(tree.Root(verified.Checkpoint.TreeSize)))
            {
                run.Findings.Add(ReportSection.Checkpoints, new AuditFinding(FindingCodes.CheckpointInconsistent,
                    $"The saved checkpoint's root for {N(verified.Checkpoint.TreeSize)} entries is {Convert.ToBase64String(verified.Checkpoint.RootHash)}; this bundle's first {N(verified.Checkpoint.TreeSize)} entries give {Convert.ToBase64String(tree.Root(verified.Checkpoint.TreeSize))}: the log's history was changed.") { Path = saved.Name });
            }
        }
    }

    private static CheckpointResult Verify(byte[] note, CheckpointKey key)
    {
        try
        {
            return CheckpointNote.Verify(new UTF8Encoding(false, true).GetString(note), key);
        }
        catch (DecoderFallbackException)
        {
            return CheckpointResult.Fail(CheckpointFailure.NoteMalformed, "The note is not UTF-8.");
        }
    }

    private static string CheckpointCode(CheckpointFailure failure) => failure switch
    {
        CheckpointFailure.SignatureMissing or CheckpointFailure.SignatureInvalid => FindingCodes.CheckpointSignatureInvalid,
        CheckpointFailure.OriginMismatch => FindingCodes.CheckpointOriginMismatch,
        _ => FindingCodes.CheckpointMalformed,
    };

    private static void CheckEvidence(Run run, EnvelopeVerifier verifier, LogReplay replay)
    {
        foreach (var path in run.Bundle.ListFiles(BundlePaths.EvidenceFolder))
        {
            run.Counts.EvidenceEnvelopes++;
            var name = path[BundlePaths.EvidenceFolder.Length..];
            var sha = name.EndsWith(".envelope", StringComparison.Ordinal) ? name[..^".envelope".Length] : null;
            var bytes = BundlePaths.IsSafe(path) && BundlePaths.IsSha256Hex(sha) ? run.Bundle.ReadAllBytes(path) : null;
            if (bytes is null || Convert.ToHexStringLower(SHA256.HashData(bytes)) != sha)
            {
                Evidence(run, path, "NAME_MISMATCH", "The file is not named evidence/conflicts/<SHA-256 of its bytes>.envelope.");
                continue;
            }

            var parsed = EnvelopeMapping.Parse(bytes);
            if (parsed.Envelope is not { } envelope)
            {
                Evidence(run, path, parsed.ReasonCode, $"The envelope is malformed: {parsed.Detail}.");
                continue;
            }

            // Evidence has no receive time of its own: the chain, usage and signature are checked, at the certificate's start.
            var at = envelope.Signatures.Count > 0 && SignerCertificate.TryParse(envelope.Signatures[0].CertificateDer.Span, out var chair)
                ? new DateTimeOffset(chair.Certificate.NotBefore.ToUniversalTime())
                : DateTimeOffset.UnixEpoch;
            var verification = verifier.Verify(envelope, PayloadTypes.ResultProtocol, at);
            if (!verification.IsValid)
            {
                Evidence(run, path, verification.PkiReasonCode ?? verification.ReasonCode, $"The envelope does not verify: {verification}.");
                continue;
            }

            Contracts.V1.ResultProtocol protocol;
            try
            {
                protocol = Contracts.V1.ResultProtocol.Parser.ParseFrom(envelope.Payload.Span);
            }
            catch (Google.Protobuf.InvalidProtocolBufferException)
            {
                Evidence(run, path, "PAYLOAD_MALFORMED", "The payload is not a result protocol.");
                continue;
            }

            var payloadSha = Convert.ToHexStringLower(SHA256.HashData(envelope.Payload.Span));
            var key = (protocol.StationCode, (int)Math.Min(protocol.Revision, int.MaxValue));
            if (!replay.Payloads.TryGetValue(key, out var logged) || logged == payloadSha || verification.Signer.Id != protocol.StationCode)
            {
                Evidence(run, path, "NOT_A_CONFLICT", $"The envelope does not conflict with a logged protocol (station {EntryAnalyzer.Printable(protocol.StationCode)} revision {protocol.Revision}: none logged, or the same payload).");
                continue;
            }

            run.Notes.Add(new AuditNote(AuditNoteKinds.ConflictEvidence,
                $"Central kept a conflicting envelope ({sha}) for station {protocol.StationCode} revision {protocol.Revision}: signed by the station, but another protocol of that revision was logged first.")
            { Station = protocol.StationCode, Revision = key.Item2, Facts = new(AuditNoteTopics.ConflictEvidence) { Sha256 = sha } });
        }
    }

    private static void Evidence(Run run, string path, string? reason, string message) =>
        run.Findings.Add(ReportSection.Evidence, new AuditFinding(FindingCodes.EvidenceInvalid, message) { Path = path, Reason = reason });

    private static void CheckUnreferencedAttachments(Run run, IReadOnlyList<string> files, LogReplay replay, AttachmentChecker? attachments)
    {
        if (attachments is null)
        {
            return;
        }

        foreach (var path in files.Where(p => p.StartsWith(BundlePaths.AttachmentsFolder, StringComparison.Ordinal)))
        {
            if (!replay.DeclaredAttachments.Contains(path[BundlePaths.AttachmentsFolder.Length..]))
            {
                run.Findings.Add(ReportSection.Files, new AuditFinding(FindingCodes.AttachmentUnreferenced, "No protocol of the log declares this attachment.") { Path = path });
            }
        }
    }

    private static void CheckManifest(Run run, BundleManifest? manifest, IReadOnlyList<string> files, ElectionDefinition? definition, string? mode, string? electionId, long logSize, bool includesAttachments, AttachmentChecker? attachments)
    {
        if (manifest is null)
        {
            return;
        }

        void Mismatch(string field, string listed, string? actual)
        {
            if (actual is not null && listed != actual)
            {
                run.Findings.Add(ReportSection.Files, new AuditFinding(FindingCodes.ManifestMismatch, $"The manifest's {field} is '{EntryAnalyzer.Printable(listed)}'; the bundle's is '{actual}'.") { Path = BundlePaths.Manifest });
            }
        }

        Mismatch("electionId", manifest.ElectionId, definition is null ? null : electionId);
        Mismatch("mode", manifest.Mode, definition is null ? null : mode);
        Mismatch("logSize", N(manifest.LogSize), N(logSize));
        Mismatch("includesAttachments", manifest.IncludesAttachments ? "true" : "false", includesAttachments ? "true" : "false");

        var listed = new Dictionary<string, ManifestFile>(StringComparer.Ordinal);
        foreach (var file in manifest.Files)
        {
            if (file is null || !BundlePaths.IsSafe(file.Path) || file.Path == BundlePaths.Manifest || !listed.TryAdd(file.Path, file))
            {
                run.Findings.Add(ReportSection.Files, new AuditFinding(FindingCodes.ManifestMalformed, $"The manifest lists '{EntryAnalyzer.Printable(file?.Path)}', which is not a bundle path, the manifest itself, or listed twice.") { Path = BundlePaths.Manifest });
            }
        }

        foreach (var path in files.Where(p => p != BundlePaths.Manifest))
        {
            if (!listed.Remove(path, out var file) || file is null)
            {
                run.Findings.Add(ReportSection.Files, new AuditFinding(FindingCodes.ManifestFileExtra, "The bundle has this file, but the manifest does not list it.") { Path = path });
                continue;
            }

            var measured = path.StartsWith(BundlePaths.AttachmentsFolder, StringComparison.Ordinal) && attachments is not null
                ? attachments.Measure(path[BundlePaths.AttachmentsFolder.Length..])
                : Measure(run.Bundle, path);
            if (measured is { } m && (m.Size != file.Size || m.Sha256 != file.Sha256))
            {
                run.Findings.Add(ReportSection.Files, new AuditFinding(FindingCodes.ManifestFileMismatch,
                    $"The manifest lists {N(file.Size)} bytes with SHA-256 {EntryAnalyzer.Printable(file.Sha256)}; the file has {N(m.Size)} bytes with SHA-256 {m.Sha256}.") { Path = path });
            }
        }

        foreach (var path in listed.Keys.Order(StringComparer.Ordinal))
        {
            run.Findings.Add(ReportSection.Files, new AuditFinding(FindingCodes.ManifestFileMissing, "The manifest lists this file, but the bundle does not have it.") { Path = path });
        }
    }

    private static (long Size, string Sha256)? Measure(BundleReader bundle, string path)
    {
        using var stream = bundle.OpenRead(path);
        return stream is null ? null : (stream.Length, Convert.ToHexStringLower(SHA256.HashData(stream)));
    }

    private static string N(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string N(System.Numerics.BigInteger value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>The state of one verification.</summary>
    private sealed class Run(BundleReader bundle, AuditOptions options)
    {
        public BundleReader Bundle { get; } = bundle;

        public AuditOptions Options { get; } = options;

        public Findings Findings { get; } = new();

        public List<AuditNote> Notes { get; } = [];

        public AuditCounts Counts { get; } = new();

        public void Progress(string phase, AuditPhase kind) => Options.Progress?.Report(new AuditProgress(phase, 0, 0) { Kind = kind });
    }

    /// <summary>Walks <c>log/entries.json</c> beside <c>log/entries.bin</c>; a malformed file is one finding, after which no facts are given.</summary>
    private sealed class FactsCursor(Stream? stream, Findings findings, CancellationToken cancellationToken)
    {
        private readonly IAsyncEnumerator<EntryFacts?>? _enumerator = stream is null ? null : BundleReader.ReadEntryFactsAsync(stream, cancellationToken).GetAsyncEnumerator(cancellationToken);
        private bool _broken = stream is null;
        private bool _ended;
        private long _read;

        public async Task<EntryFacts?> NextAsync()
        {
            if (_broken || _ended)
            {
                return null;
            }

            try
            {
                if (!await _enumerator!.MoveNextAsync())
                {
                    _ended = true;
                    return null;
                }

                _read++;
                return _enumerator.Current ?? throw new JsonException($"Element {_read - 1} is null.");
            }
            catch (JsonException e)
            {
                findings.Add(ReportSection.Entries, new AuditFinding(FindingCodes.EntriesJsonMalformed, $"log/entries.json is not the documented JSON: {e.Message}") { Path = BundlePaths.EntriesJson });
                _broken = true;
                return null;
            }
        }

        public async Task FinishAsync(long entries)
        {
            if (_broken)
            {
                return;
            }

            var more = 0L;
            try
            {
                while (!_ended && await _enumerator!.MoveNextAsync())
                {
                    more++;
                }
            }
            catch (JsonException e)
            {
                findings.Add(ReportSection.Entries, new AuditFinding(FindingCodes.EntriesJsonMalformed, $"log/entries.json is not the documented JSON: {e.Message}") { Path = BundlePaths.EntriesJson });
                return;
            }
            finally
            {
                await _enumerator!.DisposeAsync();
            }

            var listed = _read + more;
            if (listed != entries)
            {
                findings.Add(ReportSection.Entries, new AuditFinding(FindingCodes.EntryCountMismatch, $"log/entries.json lists {listed} entries; log/entries.bin holds {entries}.") { Path = BundlePaths.EntriesJson });
            }
        }
    }
}
