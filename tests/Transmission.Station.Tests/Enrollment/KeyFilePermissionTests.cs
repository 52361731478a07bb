using System.Net;
using System.Net.Sockets;
using Transmission.Station.Outbox;
using StationOutbox = Transmission.Station.Outbox.Outbox;
using Transmission.Station.Tests.Support;

namespace Transmission.Station.Tests.Enrollment;

/// <summary>
/// Design §11 hardening: the station's private keys are created owner-only, and a key file that anyone but its owner
/// can read or write is refused before it is used (the key may already be copied; the chair must know, not sign).
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class KeyFilePermissionTests
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    [Fact]
    public async Task KeysInit_NewStation_KeysOwnerOnlyFolderOwnerOnly()
    {
        using var world = await StationWorld.CreateAsync();

        Assert.Equal(OwnerOnly, File.GetUnixFileMode(Path.Combine(world.StationDir, "signing.key.pem")));
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(Path.Combine(world.StationDir, "tls.key.pem")));
        Assert.Equal(OwnerOnly | UnixFileMode.UserExecute, File.GetUnixFileMode(world.StationDir));
    }

    [Theory]
    [InlineData(UnixFileMode.GroupRead, "0640")]
    [InlineData(UnixFileMode.OtherRead, "0604")]
    [InlineData(UnixFileMode.GroupWrite, "0620")]
    [InlineData(UnixFileMode.OtherWrite, "0602")]
    public async Task Sign_SigningKeyOpenToOthers_RefusedExitFourNothingQueued(UnixFileMode extra, string mode)
    {
        using var world = await StationWorld.CreateAsync();
        var key = Path.Combine(world.StationDir, "signing.key.pem");
        File.SetUnixFileMode(key, OwnerOnly | extra);

        var sign = await StationCli.Run("protocol", "sign", "--dir", world.StationDir, "--file", world.WriteFilledForm("filled.json"));

        Assert.True(sign.ExitCode == 4, sign.ToString());
        Assert.Equal(
            $"error: the private key {key} can be read or written by others (mode {mode}); it may be compromised: report it, and if it is yours and still secret run 'chmod 600 {key}'",
            sign.Error.Trim());
        using var outbox = StationOutbox.Open(world.StationDir, StationWorld.Station, TimeProvider.System);
        Assert.Empty(outbox.Status());
    }

    [Fact]
    public async Task Send_TlsKeyReadableByOthers_RefusedExitFourProtocolStillQueued()
    {
        using var world = await StationWorld.CreateAsync();
        await StationCli.Run("protocol", "sign", "--dir", world.StationDir, "--file", world.WriteFilledForm("filled.json")).Ok();
        var key = Path.Combine(world.StationDir, "tls.key.pem");
        File.SetUnixFileMode(key, OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var send = await StationCli.Run("send", "--dir", world.StationDir, "--central", $"https://localhost:{FreePort()}", "--max-wait", "3");

        Assert.True(send.ExitCode == 4, send.ToString());
        Assert.Equal(
            $"error: the private key {key} can be read or written by others (mode 0644); it may be compromised: report it, and if it is yours and still secret run 'chmod 600 {key}'",
            send.Error.Trim());
        using var outbox = StationOutbox.Open(world.StationDir, StationWorld.Station, TimeProvider.System);
        var entry = Assert.Single(outbox.Status());
        Assert.Equal(OutboxState.Queued, entry.State);
        Assert.Equal(0, entry.Attempts);
    }

    [Fact]
    public async Task Sign_SigningKeyMadeOwnerOnlyAgain_Signed()
    {
        using var world = await StationWorld.CreateAsync();
        var key = Path.Combine(world.StationDir, "signing.key.pem");
        File.SetUnixFileMode(key, OwnerOnly | UnixFileMode.OtherRead);
        var form = world.WriteFilledForm("filled.json");
        Assert.Equal(4, (await StationCli.Run("protocol", "sign", "--dir", world.StationDir, "--file", form)).ExitCode);

        File.SetUnixFileMode(key, OwnerOnly);
        var sign = await StationCli.Run("protocol", "sign", "--dir", world.StationDir, "--file", form);

        Assert.True(sign.ExitCode == 0, sign.ToString());
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
