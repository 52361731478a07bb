using System.Security.Cryptography;
using System.Text;
using Transmission.Cli;
using Transmission.Testing;
using Transmission.Verifier.Export;
using Transmission.Verifier.Tests.Support;

namespace Transmission.Verifier.Tests.Export;

public sealed class ExportFileTests : IDisposable
{
    private readonly TestIdentity _identity = new();

    [Fact]
    public async Task Export_ExistingFile_ExitsThreeFileUnchangedNothingAsked()
    {
        var target = _identity.PathOf("stations.csv");
        File.WriteAllText(target, "mine");

        // Nothing listens at --central: the refusal comes before any connection (exit 3, not 6).
        var result = await VerifierCli.Run(_identity.Args("export", "stations", "--format", "csv", "--output", target));

        Assert.Equal(3, result.ExitCode);
        Assert.Equal([$"error: {target} already exists; refusing to overwrite it (use --force to replace it)"], result.ErrorLines);
        Assert.Equal("mine", File.ReadAllText(target));
        Assert.Equal(["ca.cert.pem", "stations.csv", "tls.cert.pem", "tls.key.pem"], Directory.GetFiles(_identity.Directory).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Export_ExistingFileWithForce_GoesOnToCentral()
    {
        var target = _identity.PathOf("totals.json");
        File.WriteAllText(target, "mine");

        var result = await VerifierCli.Run(_identity.Args("export", "totals", "--format", "json", "--output", target, "--force"));

        Assert.True(result.ExitCode == 6, result.ToString());
        Assert.Equal("mine", File.ReadAllText(target));
        Assert.Equal(3 + 1, Directory.GetFiles(_identity.Directory).Length);
    }

    [Theory]
    [InlineData("xml", "error: --format must be csv or json; not 'xml'")]
    [InlineData("CSV", "error: --format must be csv or json; not 'CSV'")]
    public async Task Export_UnknownFormat_ExitsOneWithTheLine(string format, string line)
    {
        var result = await VerifierCli.Run(_identity.Args("export", "stations", "--format", format, "--output", _identity.PathOf("x")));

        Assert.Equal(1, result.ExitCode);
        Assert.Equal([line], result.ErrorLines);
    }

    [Fact]
    public async Task WriteAsync_Chunks_FileHasExactlyThoseBytesAndTheirHash()
    {
        var target = _identity.PathOf("out.csv");
        byte[][] chunks = [Encoding.UTF8.GetBytes("station,contest\n"), Encoding.UTF8.GetBytes("ST-0001,parties\n"), []];

        var written = await ExportFile.WriteAsync(target, force: false, async write =>
        {
            foreach (var chunk in chunks)
            {
                await write(chunk);
            }
        }, CancellationToken.None).DefaultTimeout();

        var expected = chunks.SelectMany(c => c).ToArray();
        Assert.Equal(expected, File.ReadAllBytes(target));
        Assert.Equal(expected.Length, written.Bytes);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(expected)), written.Sha256Hex);
        Assert.Equal(3 + 1, Directory.GetFiles(_identity.Directory).Length);
    }

    [Fact]
    public async Task WriteAsync_ProducerFailsHalfway_NoFileAndNoTemporaryLeft()
    {
        var target = _identity.PathOf("half.csv");

        await Assert.ThrowsAsync<IOException>(() => ExportFile.WriteAsync(target, force: false, async write =>
        {
            await write(new byte[100]);
            throw new IOException("stream broke");
        }, CancellationToken.None).DefaultTimeout());

        Assert.False(File.Exists(target));
        Assert.Equal(3, Directory.GetFiles(_identity.Directory).Length);
    }

    [Fact]
    public async Task WriteAsync_ProducerFailsWithForce_OldFileKept()
    {
        var target = _identity.PathOf("kept.csv");
        File.WriteAllText(target, "previous export");

        await Assert.ThrowsAsync<IOException>(() => ExportFile.WriteAsync(target, force: true, _ => throw new IOException("stream broke"), CancellationToken.None).DefaultTimeout());

        Assert.Equal("previous export", File.ReadAllText(target));
    }

    [Fact]
    public async Task WriteAsync_FileAppearsDuringExport_RefusedExitThreeOtherFileKept()
    {
        var target = _identity.PathOf("race.csv");

        var failure = await Assert.ThrowsAsync<CommandFailureException>(() => ExportFile.WriteAsync(target, force: false, async write =>
        {
            await write(new byte[] { 1, 2, 3 });
            File.WriteAllText(target, "someone else's");
        }, CancellationToken.None).DefaultTimeout());

        Assert.Equal(ExitCodes.WouldOverwrite, failure.ExitCode);
        Assert.Equal("someone else's", File.ReadAllText(target));
        Assert.Equal(3 + 1, Directory.GetFiles(_identity.Directory).Length);
    }

    [Fact]
    public async Task WriteAsync_MissingFolder_ExitsTwoNamingIt()
    {
        var folder = _identity.PathOf("missing");

        var failure = await Assert.ThrowsAsync<CommandFailureException>(() => ExportFile.WriteAsync(Path.Combine(folder, "x.csv"), false, _ => Task.CompletedTask, CancellationToken.None).DefaultTimeout());

        Assert.Equal(ExitCodes.BadInput, failure.ExitCode);
        Assert.Equal($"the folder {folder} does not exist", failure.Message);
    }

    public void Dispose() => _identity.Dispose();
}
