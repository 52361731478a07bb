using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Transmission.Audit.Bundle;
using Transmission.Audit.Tests.Tampering;
using Transmission.Audit.Verification;
using Google.Protobuf;
using Transmission.Central.Tests.Hosting;
using Transmission.Central.Tests.Pki;
using Transmission.Central.Tests.Submission;
using Transmission.Contracts.V1;
using Transmission.Testing;

namespace Transmission.Central.Tests.Audit;

/// <summary>
/// The security reviewer's job end to end: stations report (with a correction and a scan), a verifier decides, the
/// auditor fetches the bundle from the real Central with <c>transmission-audit fetch</c> and verifies it offline with
/// <c>transmission-audit verify</c>: clean; the same bundle altered is caught.
/// </summary>
public sealed class BundleEndToEndTests(Xunit.Abstractions.ITestOutputHelper output) : IAsyncLifetime
{
    private readonly RunningCentral _central = new();
    private readonly TempFolder _folder = new();

    public Task InitializeAsync() => _central.InitializeAsync().DefaultTimeout(TimeSpan.FromSeconds(120));

    public async Task DisposeAsync()
    {
        await _central.DisposeAsync().DefaultTimeout();
        _folder.Dispose();
    }

    [Fact]
    public async Task FetchAndVerify_BundleFromARealNight_CleanThenAlteredCopiesCaught()
    {
        await ElectionNightAsync();
        var bundle = Path.Combine(_folder.Path, "bundle");
        var kept = Path.Combine(_folder.Path, "kept");
        var root = Path.Combine(_central.Pki.Ca, "ca.cert.pem");

        var fetch = await BuiltExecutable.Auditor(
            "fetch", "--central", _central.Address.ToString(), "--identity", _central.Pki.AuditorDir, "--out", bundle, "--attachments", "--keep-checkpoint", kept);

        Assert.True(fetch.ExitCode == 0, fetch.ToString());
        Assert.Contains($"bundle of ", fetch.Output, StringComparison.Ordinal);
        Assert.Single(Directory.GetFiles(kept));
        var report = Path.Combine(_folder.Path, "report.json");
        var verify = await BuiltExecutable.Auditor("verify", bundle, "--root", root, "--checkpoints", kept, "--json", report);
        Assert.True(verify.ExitCode == 0, verify.ToString());
        using (var json = JsonDocument.Parse(await File.ReadAllBytesAsync(report)))
        {
            Assert.Equal(0, json.RootElement.GetProperty("findings").GetArrayLength());
        }

        // A fetch into an existing folder is refused (exit 3), never merged.
        var again = await BuiltExecutable.Auditor("fetch", "--central", _central.Address.ToString(), "--identity", _central.Pki.AuditorDir, "--out", bundle);
        Assert.Equal(3, again.ExitCode);

        // Altered copies: a published total, and one byte of the first logged envelope.
        Assert.Contains("TOTALS_MISMATCH", await VerifyAlteredAsync(bundle, root, "totals", copy =>
        {
            var path = Path.Combine(copy, "published", "totals.json");
            var text = File.ReadAllText(path);
            var at = text.IndexOf("\"votesProvisional\": ", StringComparison.Ordinal) + "\"votesProvisional\": ".Length;
            File.WriteAllText(path, text[..at] + "9" + text[at..]);
        }), StringComparison.Ordinal);
        Assert.Contains("CHECKPOINT_ROOT_MISMATCH", await VerifyAlteredAsync(bundle, root, "entry", copy =>
        {
            var path = Path.Combine(copy, "log", "entries.bin");
            var bytes = File.ReadAllBytes(path);
            bytes[40] ^= 0x01;
            File.WriteAllBytes(path, bytes);
        }), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TamperingCorpus_OverABundleExportedByTheRealCentral_EveryApplicableCaseFound()
    {
        var bundle = Path.Combine(_folder.Path, "bundle");
        var kept = Path.Combine(_folder.Path, "kept");
        var root = Path.Combine(_central.Pki.Ca, "ca.cert.pem");
        // The auditor fetched once during the night and kept that checkpoint, as auditors do.
        await ElectionNightAsync(async () =>
        {
            var early = await BuiltExecutable.Auditor(
                "fetch", "--central", _central.Address.ToString(), "--identity", _central.Pki.AuditorDir, "--out", Path.Combine(_folder.Path, "early"), "--keep-checkpoint", kept);
            Assert.True(early.ExitCode == 0, early.ToString());
        });
        var fetch = await BuiltExecutable.Auditor(
            "fetch", "--central", _central.Address.ToString(), "--identity", _central.Pki.AuditorDir, "--out", bundle, "--attachments", "--keep-checkpoint", kept);
        Assert.True(fetch.ExitCode == 0, fetch.ToString());
        Assert.True((await VerifyInProcessAsync(bundle, root, kept)).IsClean);
        var keys = DevelopmentKeys();

        var applied = new List<string>();
        var missed = new List<string>();
        foreach (var tamper in TamperCorpus.All)
        {
            var copy = Path.Combine(_folder.Path, "case-" + applied.Count + "-" + missed.Count + "-" + tamper.Name.GetHashCode(StringComparison.Ordinal).ToString("x8", System.Globalization.CultureInfo.InvariantCulture));
            var saved = copy + "-kept";
            CopyFolder(bundle, copy);
            CopyFolder(kept, saved);
            ExpectedFinding? expected;
            try
            {
                expected = tamper.Apply(new TamperContext(copy, saved, keys));
            }
            catch (Exception e) when (e is IOException or InvalidOperationException or KeyNotFoundException)
            {
                // The case edits something this night does not have (e.g. a revocation entry).
                expected = null;
            }

            if (expected is null)
            {
                continue; // not applicable to this bundle
            }

            var report = await VerifyInProcessAsync(copy, root, saved);
            (report.Findings.Any(expected.Matches) ? applied : missed).Add($"{tamper.Name}: {expected}");
        }

        output.WriteLine($"{applied.Count} of {TamperCorpus.All.Count} tampering cases apply to this exported bundle; every one was found:");
        applied.ForEach(output.WriteLine);
        Assert.True(missed.Count == 0, "not found:\n" + string.Join("\n", missed));
        Assert.True(applied.Count >= 30, $"only {applied.Count} cases apply to the exported bundle:\n" + string.Join("\n", applied));
    }

    private static Task<AuditReport> VerifyInProcessAsync(string bundle, string root, string saved) =>
        BundleVerifier.VerifyAsync(BundleReader.Open(bundle), new AuditOptions
        {
            PinnedRoot = X509CertificateLoader.LoadCertificate(File.ReadAllBytes(root)),
            SavedCheckpoints = Directory.EnumerateFiles(saved).Order(StringComparer.Ordinal)
                .Select(f => new SavedCheckpoint(Path.GetFileName(f), File.ReadAllText(f))).ToList(),
        });

    /// <summary>The keys a dishonest operator of this development night could hold, from the development PKI folder.</summary>
    private TamperKeys DevelopmentKeys()
    {
        static ECDsa Key(string path)
        {
            var key = ECDsa.Create();
            key.ImportFromPem(File.ReadAllText(path));
            return key;
        }

        var rootCertificate = X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(_central.Pki.Ca, "ca.cert.pem")));
        return new TamperKeys
        {
            CentralSigningKey = Key(Path.Combine(_central.Pki.Root, "central", "signing.key.pem")),
            RootWithKey = rootCertificate.CopyWithPrivateKey(Key(Path.Combine(_central.Pki.Ca, "ca.key.pem"))),
            StationSigners = _central.Pki.Stations.ToDictionary(
                code => code,
                code => (Key(Path.Combine(_central.Pki.StationDir(code), "signing.key.pem")),
                    X509CertificateLoader.LoadCertificate(X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(_central.Pki.StationDir(code), "signing.cert.pem"))).RawData))),
        };
    }

    private async Task<string> VerifyAlteredAsync(string bundle, string root, string name, Action<string> alter)
    {
        var copy = Path.Combine(_folder.Path, "altered-" + name);
        CopyFolder(bundle, copy);
        alter(copy);
        var verify = await BuiltExecutable.Auditor("verify", copy, "--root", root);
        Assert.True(verify.ExitCode == 8, verify.ToString());
        return verify.Output;
    }

    private async Task ElectionNightAsync(Func<Task>? midway = null)
    {
        var station = new StationSubmitter(_central);
        var scan = new byte[20_000];
        new Random(5).NextBytes(scan);
        // Signed now: the sample protocols' fixed signing time precedes these freshly issued certificates, which the
        // audit rightly reports (SIGNED_OUTSIDE_VALIDITY).
        var now = DateTimeOffset.UtcNow;
        var first = station.Sign(StationSubmitter.WithAttachments(station.Protocol("ST-0001", 1) with { SignedAt = now }, scan), [scan]);
        Assert.Equal(SubmitResponse.OutcomeOneofCase.Receipt, (await station.SubmitAsync(first)).Single().OutcomeCase);
        var second = station.Sign(station.Protocol("ST-0002", 1) with { SignedAt = now });
        Assert.Equal(SubmitResponse.OutcomeOneofCase.Receipt, (await station.SubmitAsync(second)).Single().OutcomeCase);
        if (midway is not null)
        {
            await midway();
        }

        using var verifier = _central.ChannelFor(_central.Pki.VerifierDir);
        await verifier.AsyncUnaryCall(ReviewMethods.Decide, new DecideRequest
        {
            EnvelopeSha256 = ByteString.CopyFrom(first.EnvelopeSha256),
            Decision = Decision.Accept,
            Reason = "numbers match the scanned form",
        }).ResponseAsync.DefaultTimeout();

        var correction = station.Sign(station.Protocol("ST-0001", 2, seed: 9) with { SignedAt = now });
        Assert.Equal(SubmitResponse.OutcomeOneofCase.Receipt, (await station.SubmitAsync(correction)).Single().OutcomeCase);

        // Another protocol for an accepted revision: refused, kept as evidence.
        var conflicting = station.Sign(station.Protocol("ST-0002", 1, seed: 3) with { SignedAt = now });
        Assert.NotEqual(SubmitResponse.OutcomeOneofCase.Receipt, (await station.SubmitAsync(conflicting)).Single().OutcomeCase);
    }

    private static void CopyFolder(string from, string to)
    {
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
