using System.Text.Json;
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
public sealed class BundleEndToEndTests : IAsyncLifetime
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

    private async Task<string> VerifyAlteredAsync(string bundle, string root, string name, Action<string> alter)
    {
        var copy = Path.Combine(_folder.Path, "altered-" + name);
        CopyFolder(bundle, copy);
        alter(copy);
        var verify = await BuiltExecutable.Auditor("verify", copy, "--root", root);
        Assert.True(verify.ExitCode == 8, verify.ToString());
        return verify.Output;
    }

    private async Task ElectionNightAsync()
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

        using var verifier = _central.ChannelFor(_central.Pki.VerifierDir);
        await verifier.AsyncUnaryCall(ReviewMethods.Decide, new DecideRequest
        {
            EnvelopeSha256 = ByteString.CopyFrom(first.EnvelopeSha256),
            Decision = Decision.Accept,
            Reason = "numbers match the scanned form",
        }).ResponseAsync.DefaultTimeout();

        var correction = station.Sign(station.Protocol("ST-0001", 2, seed: 9) with { SignedAt = now });
        Assert.Equal(SubmitResponse.OutcomeOneofCase.Receipt, (await station.SubmitAsync(correction)).Single().OutcomeCase);
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
