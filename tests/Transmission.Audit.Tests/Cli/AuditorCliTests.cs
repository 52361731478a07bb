using System.Text.Json;
using Transmission.Audit.Tests.Fixtures;
using Transmission.Audit.Tests.Tampering;
using Transmission.Audit.Verification;

namespace Transmission.Audit.Tests.Cli;

/// <summary><c>transmission-audit verify</c> as built, end to end: exit codes, one-line errors, the text and JSON reports.</summary>
public sealed class AuditorCliTests(BundleFixture fixture) : IClassFixture<BundleFixture>
{
    [Fact]
    public async Task Verify_CleanBundlePinnedRootSavedCheckpoints_ExitZeroVerifiedAndJsonReport()
    {
        using var temp = new TempFolder();

        var result = await BuiltAuditor.RunAsync("verify", fixture.Bundle, "--root", fixture.PinnedRoot, "--checkpoints", fixture.SavedCheckpoints, "--json", temp["report.json"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("RESULT: VERIFIED. No finding.", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("the one you pinned with --root", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("Signed before revocation (valid):", result.Stdout, StringComparison.Ordinal);
        Assert.Contains($"station {fixture.Election.RevokedStation} revision 1", result.Stdout, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(File.ReadAllBytes(temp["report.json"]));
        var report = json.RootElement;
        Assert.Equal(AuditReportJson.Format, report.GetProperty("format").GetString());
        Assert.True(report.GetProperty("clean").GetBoolean());
        Assert.Equal(0, report.GetProperty("findingCount").GetInt32());
        Assert.Equal("pinned", report.GetProperty("root").GetProperty("source").GetString());
        Assert.Equal(fixture.Election.Entries.Count, report.GetProperty("logSize").GetInt64());
        Assert.Equal(2, report.GetProperty("counts").GetProperty("savedCheckpoints").GetInt32());
        Assert.Contains(report.GetProperty("notes").EnumerateArray(), n => n.GetProperty("kind").GetString() == AuditNoteKinds.SignedBeforeRevocation);
    }

    [Fact]
    public async Task Verify_TamperedBundle_ExitEightFindingListedWithPlaceAndInJson()
    {
        using var temp = new TempFolder();
        TempFolder.Copy(fixture.Bundle, temp["bundle"]);
        var expected = TamperCorpus.Get("signature-byte-changed").Apply(new TamperContext(temp["bundle"], temp["saved"], new TamperKeys()))!;

        var result = await BuiltAuditor.RunAsync("verify", temp["bundle"], "--root", fixture.PinnedRoot, "--json", temp["report.json"]);

        Assert.Equal(8, result.ExitCode);
        Assert.Contains($"SIGNATURE_INVALID (SIGNATURE_INVALID)  [entry {expected.Index}, station {expected.Station} revision 1]", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("RESULT: NOT VERIFIED.", result.Stdout, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(File.ReadAllBytes(temp["report.json"]));
        Assert.False(json.RootElement.GetProperty("clean").GetBoolean());
        var finding = json.RootElement.GetProperty("findings").EnumerateArray().Single(f => f.GetProperty("code").GetString() == FindingCodes.SignatureInvalid);
        Assert.Equal(expected.Index, finding.GetProperty("index").GetInt64());
        Assert.Equal(expected.Station, finding.GetProperty("station").GetString());
        Assert.Equal(1, finding.GetProperty("revision").GetInt32());
        Assert.Equal("SIGNATURE_INVALID", finding.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Verify_WithoutRoot_SaysTheRootCameFromTheBundle()
    {
        var result = await BuiltAuditor.RunAsync("verify", fixture.Bundle);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("TAKEN FROM THE BUNDLE ITSELF", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_StderrRedirected_PlainProgressLinesWithoutEscapeCodes()
    {
        var result = await BuiltAuditor.RunAsync("verify", fixture.Bundle, "--root", fixture.PinnedRoot);

        Assert.Equal(0, result.ExitCode);
        Assert.NotEmpty(result.StderrLines);
        Assert.All(result.StderrLines, line => Assert.StartsWith("transmission-audit: ", line, StringComparison.Ordinal));
        Assert.Contains("transmission-audit: verifying the log: 100 %", result.StderrLines);
        Assert.DoesNotContain('\u001b', result.Stderr + result.Stdout);
    }

    [Fact]
    public async Task Verify_MissingFolder_OneLineExitTwo()
    {
        var result = await BuiltAuditor.RunAsync("verify", "/nonexistent/bundle");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(["error: The bundle folder '/nonexistent/bundle' does not exist."], result.StderrLines);
        Assert.Empty(result.Stdout);
    }

    [Fact]
    public async Task Verify_BundleIsAFile_OneLineExitTwo()
    {
        var result = await BuiltAuditor.RunAsync("verify", fixture.PinnedRoot);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal([$"error: '{fixture.PinnedRoot}' is a file, not a bundle folder."], result.StderrLines);
    }

    [Fact]
    public async Task Verify_RootNotACertificate_OneLineExitTwo()
    {
        var result = await BuiltAuditor.RunAsync("verify", fixture.Bundle, "--root", Path.Combine(fixture.Bundle, "election.json"));

        Assert.Equal(2, result.ExitCode);
        Assert.Single(result.StderrLines);
        Assert.StartsWith("error: --root '", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("is not a certificate (PEM or DER)", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(result.Stdout);
    }

    [Fact]
    public async Task Verify_RootFileMissing_OneLineExitTwo()
    {
        var result = await BuiltAuditor.RunAsync("verify", fixture.Bundle, "--root", "/nonexistent/root.pem");

        Assert.Equal(2, result.ExitCode);
        Assert.Single(result.StderrLines);
        Assert.StartsWith("error: --root '/nonexistent/root.pem' cannot be read: ", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_CheckpointsNotAFolder_OneLineExitTwo()
    {
        var result = await BuiltAuditor.RunAsync("verify", fixture.Bundle, "--checkpoints", "/nonexistent/saved");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(["error: --checkpoints '/nonexistent/saved' is not a folder"], result.StderrLines);
    }

    [Fact]
    public async Task Verify_JsonIntoAMissingFolder_OneLineExitFiveBeforeVerifying()
    {
        var result = await BuiltAuditor.RunAsync("verify", fixture.Bundle, "--json", "/nonexistent/out/report.json");

        Assert.Equal(5, result.ExitCode);
        Assert.Equal(["error: --json '/nonexistent/out/report.json': the folder it would go into does not exist"], result.StderrLines);
        Assert.Empty(result.Stdout);
    }

    [Fact]
    public async Task Verify_NoBundleArgument_UsageExitOne()
    {
        var result = await BuiltAuditor.RunAsync("verify");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(["error: Required argument 'bundle-folder' missing for command: 'verify'."], result.StderrLines);
    }

    [Fact]
    public async Task Help_ListsTheExitCodes()
    {
        var result = await BuiltAuditor.RunAsync("verify", "--help");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("8 verified, with findings", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("--checkpoints", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_BundleWithASymbolicLink_OneLineExitTwo()
    {
        using var temp = new TempFolder();
        TempFolder.Copy(fixture.Bundle, temp["bundle"]);
        File.Delete(temp["bundle/election.json"]);
        File.CreateSymbolicLink(temp["bundle/election.json"], "/etc/hostname");

        var result = await BuiltAuditor.RunAsync("verify", temp["bundle"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(["error: 'election.json' in the bundle is a symbolic link; a bundle holds plain files and folders only."], result.StderrLines);
        Assert.Empty(result.Stdout);
    }
}
