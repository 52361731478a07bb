using System.CommandLine;
using System.Text.RegularExpressions;
using Transmission.Central.Tests.Hosting;
using Transmission.Central.Tests.Pki;
using Transmission.Central.Tests.Submission;
using Transmission.Testing;
using VerifierProgram = Transmission.Verifier.Program;

namespace Transmission.Central.Tests.VerifierCli;

/// <summary>
/// transmission-verifier end to end: the real Central (Kestrel, mutual TLS, SQLite) on 127.0.0.1:0, protocols sent
/// by StationSubmitter with the stations' real signing keys, and the verifier's own command tree run in-process with
/// the development PKI's verifier-1 folder. Each test has its own Central, so none depends on another's decisions.
/// </summary>
public sealed class VerifierCliTests : IAsyncLifetime
{
    private readonly RunningCentral _central = new();
    private StationSubmitter _stations = null!;

    public async Task InitializeAsync()
    {
        await _central.InitializeAsync();
        _stations = new StationSubmitter(_central);
    }

    [Fact]
    public async Task List_SubmittedProtocol_RowWithStatePendingAndItsDigest()
    {
        var sent = await SubmitAsync("ST-0001");

        var result = await Verifier("list");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Matches($@"\|\s*ST-0001\s*\|[^\n]*\|\s*1\s*\|\s*pending\s*\|[^\n]*\|\s*{sent}\s*\|", result.Output);
        Assert.Matches(@"\|\s*ST-0002\s*\|[^\n]*\|\s*-\s*\|\s*not reported\s*\|", result.Output);
        Assert.Contains("2 shown; 2 station(s) match", result.Output, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.Error);
        _central.Logs.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task ListJsonReported_SubmittedProtocol_OneJsonLine()
    {
        var sent = await SubmitAsync("ST-0002");

        var result = await Verifier("list", "--reported", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        var line = Assert.Single(result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        var json = System.Text.Json.JsonDocument.Parse(line).RootElement;
        Assert.Equal("ST-0002", json.GetProperty("station").GetString());
        Assert.Equal("pending", json.GetProperty("state").GetString());
        Assert.Equal(sent, json.GetProperty("envelopeSha256").GetString());
    }

    [Fact]
    public async Task Show_ProtocolBreakingARule_NumbersFlagAndExplanationCheckedHere()
    {
        var protocol = _stations.Protocol("ST-0001", 1);
        protocol = protocol with
        {
            Ballots = protocol.Ballots with { Spoiled = protocol.Ballots.Spoiled + 1 },
            Explanation = "One spoiled ballot was found in the unused pile after sealing.",
        };
        var sent = await SubmitAsync(_stations.Sign(protocol));

        var result = await Verifier("show", "ST-0001");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"envelope sha256 {sent}", result.Output, StringComparison.Ordinal);
        Assert.Contains("checked here: the envelope hashes to that digest, the chair's signature (urn:transmission:station:ST-0001) verifies against the election root", result.Output, StringComparison.Ordinal);
        Assert.Contains("chair's explanation: One spoiled ballot was found in the unused pile after sealing.", result.Output, StringComparison.Ordinal);
        var b = protocol.Ballots;
        Assert.Matches($@"\|\s*{b.RegisteredVoters}\s*\|\s*{b.Received}\s*\|\s*{b.Used}\s*\|\s*{b.Unused}\s*\|\s*{b.Spoiled}\s*\|\s*{b.Invalid}\s*\|\s*{b.Valid}\s*\|", result.Output);
        foreach (var choice in protocol.Contests[0].Choices)
        {
            Assert.Matches($@"\|\s*{Regex.Escape(choice.ChoiceId)}\s*\|\s*{choice.Votes}\s*\|", result.Output);
        }

        Assert.Matches(@"\|\s*BALLOTS_NOT_BALANCED\s*\|", result.Output);
        Assert.Contains("  r1 not decided yet", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ShowSaveAttachments_SubmittedScan_WrittenWithTheSignedBytes()
    {
        byte[] scan = [.. "%PDF-1.7 scanned form"u8, .. Enumerable.Range(0, 5000).Select(i => (byte)(i % 251))];
        var protocol = StationSubmitter.WithAttachments(_stations.Protocol("ST-0002", 1), scan);
        var sent = await SubmitAsync(_stations.Sign(protocol, [scan]));
        var folder = Directory.CreateTempSubdirectory("transmission-scans-").FullName;
        try
        {
            var result = await Verifier("show", sent, "--save-attachments", folder);

            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Equal(scan, File.ReadAllBytes(Path.Combine(folder, "0-scan-0.png")));
            Assert.Matches($@"\|\s*0\s*\|\s*scan-0.png\s*\|\s*image/png\s*\|\s*{scan.Length}\s*\|\s*{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(scan))}", result.Output);
            Assert.Contains($"saved {Path.Combine(folder, "0-scan-0.png")} (image/png, {scan.Length} bytes, sha256 ", result.Output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task DecideAccept_PendingSubmission_CertifiedTotalsMove()
    {
        var protocol = _stations.Protocol("ST-0001", 1);
        var sent = await SubmitAsync(_stations.Sign(protocol));
        var contest = protocol.Contests[0];
        var choice = contest.Choices.First(c => c.Votes > 0);
        var before = await Verifier("totals");

        var decided = await Verifier("decide", sent, "accept", "--reason", "Numbers match the scanned form.");
        var after = await Verifier("totals");
        var shown = await Verifier("show", sent);

        Assert.True(before.ExitCode == 0, before.ToString());
        Assert.True(decided.ExitCode == 0, decided.ToString());
        Assert.Matches($@"^decided: {sent} is now accepted \(log index \d+, \d{{4}}-\d\d-\d\d \d\d:\d\d:\d\dZ\)\n$", decided.Output.ReplaceLineEndings("\n"));
        Assert.Matches($@"\|\s*{Regex.Escape(choice.ChoiceId)}\s*\|\s*{choice.Votes}\s*\|[^|]*\|\s*0\s*\|\s*-\s*\|", before.Output);
        Assert.Matches($@"\|\s*{Regex.Escape(choice.ChoiceId)}\s*\|\s*{choice.Votes}\s*\|[^|]*\|\s*{choice.Votes}\s*\|[^|]*%\s*\|", after.Output);
        Assert.Contains("1 certified (50.00%)", after.Output, StringComparison.Ordinal);
        Assert.Contains("0 certified (0.00%)", before.Output, StringComparison.Ordinal);
        Assert.Matches(@"r1 accept by urn:transmission:verifier:verifier-1 at [^\n]+ \(log index \d+\): Numbers match the scanned form\.", shown.Output);
    }

    [Fact]
    public async Task TotalsWatch_SubmissionArrives_NewTotalsPrintedCtrlCExitsZero()
    {
        var inner = new StringWriter();
        var output = TextWriter.Synchronized(inner);
        var error = new StringWriter();
        using var ctrlC = new CancellationTokenSource();
        string Printed()
        {
            lock (output)
            {
                return inner.ToString();
            }
        }

        var watching = VerifierProgram.InvokeAsync(
            VerifierProgram.CreateRootCommand(_ => null),
            ["totals", "--watch", "--central", _central.Address.ToString(), "--identity", _central.Pki.VerifierDir],
            new InvocationConfiguration { Output = output, Error = error },
            ctrlC.Token);
        await WaitUntil(() => Printed().Contains("(0 submissions and decisions applied)", StringComparison.Ordinal));

        await SubmitAsync("ST-0002");
        await WaitUntil(() => Printed().Contains("(1 submissions and decisions applied)", StringComparison.Ordinal));
        await ctrlC.CancelAsync();
        var code = await watching.DefaultTimeout();

        Assert.True(code == 0, $"exit {code}: {error}");
        Assert.Contains("stations: 2 registered, 1 reported (50.00%)", Printed(), StringComparison.Ordinal);
        Assert.Equal(string.Empty, error.ToString());
    }

    [Fact]
    public async Task DecideTwice_SameEnvelope_AlreadyDecidedLineRefusedExitCode()
    {
        var sent = await SubmitAsync("ST-0002");
        var first = await Verifier("decide", sent, "reject", "--reason", "The scan is unreadable.");

        var second = await Verifier("decide", sent, "accept", "--reason", "Second thoughts.");

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Equal(4, second.ExitCode);
        Assert.Equal(
            "error: refused by Central (FAILED_PRECONDITION): ALREADY_DECIDED: this revision was already decided (Rejected); decisions are final. A change needs a new revision from the station.",
            second.Error.Trim());
        Assert.Equal(string.Empty, second.Output);
    }

    [Fact]
    public async Task List_StationCertificateAsIdentity_ExitsFourWithTheLine()
    {
        var result = await Run("list", "--central", _central.Address.ToString(), "--identity", _central.Pki.StationDir("ST-0001"));

        Assert.Equal(4, result.ExitCode);
        Assert.Equal(
            "error: Central refused this identity (PERMISSION_DENIED): /transmission.v1.Review/ListSubmissions is for verifier certificates; the caller is urn:transmission:station:ST-0001.",
            result.Error.Trim());
        Assert.Equal(string.Empty, result.Output);
    }

    [Fact]
    public async Task List_CentralNotChainedToTheGivenRoot_ExitsFourWithOneLine()
    {
        // Pinning: a root other than the election's (here: another election's) makes Central's certificate untrusted.
        using var other = new DevelopmentPki();
        await other.InitializeAsync();

        var result = await Run("list", "--central", _central.Address.ToString(), "--identity", _central.Pki.VerifierDir, "--root", Path.Combine(other.Ca, "ca.cert.pem"));

        Assert.Equal(4, result.ExitCode);
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith(
            $"error: no TLS connection to Central at {_central.Address}: its certificate does not chain to the election root {Path.Combine(other.Ca, "ca.cert.pem")}, or it does not accept this verifier certificate (TLS handshake with the server failed: ",
            line,
            StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.Output);
    }

    [Fact]
    public async Task ExportTwice_SameStoredData_ByteIdenticalFiles()
    {
        await SubmitAsync("ST-0001");
        await SubmitAsync("ST-0002");
        var folder = Directory.CreateTempSubdirectory("transmission-export-").FullName;
        try
        {
            foreach (var (kind, format) in new[] { ("stations", "csv"), ("stations", "json"), ("totals", "csv"), ("totals", "json") })
            {
                var first = Path.Combine(folder, $"{kind}-1.{format}");
                var second = Path.Combine(folder, $"{kind}-2.{format}");

                var a = await Verifier("export", kind, "--format", format, "--output", first);
                var b = await Verifier("export", kind, "--format", format, "--output", second);

                Assert.True(a.ExitCode == 0, a.ToString());
                Assert.True(b.ExitCode == 0, b.ToString());
                Assert.NotEmpty(File.ReadAllBytes(first));
                Assert.Equal(File.ReadAllBytes(first), File.ReadAllBytes(second));
            }

            Assert.Equal(8, Directory.GetFiles(folder).Length);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task BuiltExecutable_StdoutRedirected_PlainTextNoEscapeCodes()
    {
        await SubmitAsync("ST-0001");

        var result = await BuiltExecutable.Verifier("totals", "--central", _central.Address.ToString(), "--identity", _central.Pki.VerifierDir);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("stations: 2 registered, 1 reported (50.00%)", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', result.Output);
        Assert.Equal(string.Empty, result.Error);
    }

    public async Task DisposeAsync() => await _central.DisposeAsync();

    private async Task<string> SubmitAsync(string station) => await SubmitAsync(_stations.Sign(_stations.Protocol(station, 1)));

    private async Task<string> SubmitAsync(SignedProtocol protocol)
    {
        var result = await _stations.SubmitAsync(protocol);
        Assert.Null(result.Error);
        Assert.Equal(Contracts.V1.SubmitResponse.OutcomeOneofCase.Receipt, result.Single().OutcomeCase);
        return Convert.ToHexStringLower(protocol.EnvelopeSha256);
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TestTimeouts.Default;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting for the watch to print");
            await Task.Delay(20);
        }
    }

    /// <summary>The verifier's command with verifier-1's folder and this Central.</summary>
    private Task<CliResult> Verifier(params string[] args) =>
        Run([.. args, "--central", _central.Address.ToString(), "--identity", _central.Pki.VerifierDir]);

    private static async Task<CliResult> Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await VerifierProgram.InvokeAsync(VerifierProgram.CreateRootCommand(_ => null), args, new InvocationConfiguration { Output = output, Error = error }).DefaultTimeout();
        return new CliResult(code, output.ToString(), error.ToString());
    }
}
