using System.Security.Cryptography.X509Certificates;
using Transmission.Central.Tests.Hosting;
using Transmission.Core.Log;
using Transmission.Testing;

namespace Transmission.Central.Tests.StationSend;

/// <summary>
/// <c>transmission-station witness</c> against the real Central: after other stations reported, the station proves its
/// receipted protocol is still in the log; a checkpoint Central signed for a different log (a split view) is caught.
/// </summary>
public sealed class StationWitnessTests : IAsyncLifetime
{
    private readonly RunningCentral _central = new();

    public Task InitializeAsync() => _central.InitializeAsync().DefaultTimeout(TimeSpan.FromSeconds(120));

    public Task DisposeAsync() => _central.DisposeAsync().DefaultTimeout();

    [Fact]
    public async Task Witness_AfterTheLogGrew_EachReceiptStillInTheLogAndTheCheckpointSaved()
    {
        var first = await SendAsync("ST-0001");
        await SendAsync("ST-0002");

        var witness = await BuiltExecutable.Station("witness", "--dir", first, "--central", _central.Address.ToString());

        Assert.True(witness.ExitCode == 0, witness.ToString());
        Assert.Matches(@"revision 1: still in the log \(entry 0; receipt checkpoint 1, Central's log now 2\)", witness.Output);
        Assert.Contains("Central's log checkpoint of 2 entries verified and saved (witness/checkpoint)", witness.Output, StringComparison.Ordinal);
        var saved = CheckpointNote.Verify(await File.ReadAllTextAsync(Path.Combine(first, "witness", "checkpoint")), LogKey());
        Assert.Equal(2, saved.Checkpoint!.TreeSize);

        // A second run also checks the saved checkpoint: still consistent.
        var again = await BuiltExecutable.Station("witness", "--dir", first, "--central", _central.Address.ToString());
        Assert.True(again.ExitCode == 0, again.ToString());
    }

    [Fact]
    public async Task Witness_SavedCheckpointOfADifferentLog_SecurityExitFour()
    {
        var dir = await SendAsync("ST-0001");
        await SendAsync("ST-0002");
        // Central (its key) once showed this station another log of one entry: a split view.
        using var signing = X509Certificate2.CreateFromPemFile(
            Path.Combine(_central.Pki.Root, "central", "signing.cert.pem"), Path.Combine(_central.Pki.Root, "central", "signing.key.pem"));
        var origin = LogEntryTypes.Origin(_central.Pki.Election.ElectionId);
        var forged = CheckpointNote.Sign(new Checkpoint(origin, 1, MerkleHash.LeafHash("another entry"u8)), origin, signing.GetECDsaPrivateKey()!);
        Directory.CreateDirectory(Path.Combine(dir, "witness"));
        await File.WriteAllTextAsync(Path.Combine(dir, "witness", "checkpoint"), forged);

        var witness = await BuiltExecutable.Station("witness", "--dir", dir, "--central", _central.Address.ToString());

        Assert.Equal(4, witness.ExitCode);
        Assert.StartsWith("error: SECURITY: Central's log is not consistent with what this station was given (LOG_INCONSISTENT:", witness.Error.Trim(), StringComparison.Ordinal);
        Assert.Equal(forged, await File.ReadAllTextAsync(Path.Combine(dir, "witness", "checkpoint")));
    }

    [Fact]
    public async Task Witness_SavedCheckpointBeyondCentralsLog_LogShrankExitFour()
    {
        var dir = await SendAsync("ST-0001");
        using var signing = X509Certificate2.CreateFromPemFile(
            Path.Combine(_central.Pki.Root, "central", "signing.cert.pem"), Path.Combine(_central.Pki.Root, "central", "signing.key.pem"));
        var origin = LogEntryTypes.Origin(_central.Pki.Election.ElectionId);
        var bigger = CheckpointNote.Sign(new Checkpoint(origin, 50, MerkleHash.LeafHash("a longer log"u8)), origin, signing.GetECDsaPrivateKey()!);
        Directory.CreateDirectory(Path.Combine(dir, "witness"));
        await File.WriteAllTextAsync(Path.Combine(dir, "witness", "checkpoint"), bigger);

        var witness = await BuiltExecutable.Station("witness", "--dir", dir, "--central", _central.Address.ToString());

        Assert.Equal(4, witness.ExitCode);
        Assert.Contains("LOG_SHRANK: Central's log no longer reaches the 50 entries of a checkpoint it signed", witness.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Witness_NothingReceipted_SaysSoAndExitsZero()
    {
        var dir = await StationFolders.ReadyAsync(_central, "ST-0001");

        var witness = await BuiltExecutable.Station("witness", "--dir", dir, "--central", _central.Address.ToString());

        Assert.True(witness.ExitCode == 0, witness.ToString());
        Assert.Equal("nothing to witness: no protocol has a receipt yet (run 'send')", witness.Lines()[^1]);
    }

    private async Task<string> SendAsync(string station)
    {
        var dir = await StationFolders.ReadyAsync(_central, station);
        var sign = await BuiltExecutable.Station("protocol", "sign", "--dir", dir, "--file", StationFolders.FilledForm(_central.Pki.Election, station));
        Assert.True(sign.ExitCode == 0, sign.ToString());
        var send = await BuiltExecutable.Station("send", "--dir", dir, "--central", _central.Address.ToString(), "--max-wait", "60");
        Assert.True(send.ExitCode == 0, send.ToString());
        return dir;
    }

    private CheckpointKey LogKey()
    {
        using var certificate = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(_central.Pki.Root, "central", "signing.cert.pem"));
        return new CheckpointKey(LogEntryTypes.Origin(_central.Pki.Election.ElectionId), certificate.GetECDsaPublicKey()!);
    }
}
