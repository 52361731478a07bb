using Transmission.Verifier.Tests.Support;

namespace Transmission.Verifier.Tests.Connection;

public sealed class ConnectionOptionsTests : IDisposable
{
    private readonly TestIdentity _identity = new();

    [Fact]
    public async Task List_NoCentralAndNoVariable_ExitsOneNamingTheVariable()
    {
        var result = await VerifierCli.Run("list", "--identity", _identity.Directory);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(["error: --central is required (or set TRANSMISSION_CENTRAL), e.g. --central https://localhost:7443"], result.ErrorLines);
    }

    [Fact]
    public async Task List_CentralFromVariable_UsedForTheConnection()
    {
        var port = VerifierCli.FreePort();

        var result = await VerifierCli.RunWith(
            name => name == "TRANSMISSION_CENTRAL" ? $"https://localhost:{port}" : null,
            "list", "--identity", _identity.Directory, "--timeout", "10");

        Assert.True(result.ExitCode == 6, result.ToString());
        Assert.StartsWith($"error: cannot reach Central at https://localhost:{port}/ (UNAVAILABLE): ", Assert.Single(result.ErrorLines), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://localhost:7443")]
    [InlineData("localhost:7443")]
    public async Task List_NotAnHttpsAddress_ExitsOneWithTheLine(string address)
    {
        var result = await VerifierCli.Run("list", "--central", address, "--identity", _identity.Directory);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal([$"error: --central must be an https:// address such as https://localhost:7443, not '{address}'"], result.ErrorLines);
    }

    [Fact]
    public async Task Totals_NoIdentity_ExitsOneWithTheLine()
    {
        var result = await VerifierCli.Run("totals", "--central", "https://localhost:7443");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(["error: --identity is required: the verifier's folder with tls.cert.pem and tls.key.pem"], result.ErrorLines);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-3")]
    public async Task Totals_NonPositiveTimeout_ExitsOne(string timeout)
    {
        var result = await VerifierCli.Run("totals", "--central", "https://localhost:7443", "--identity", _identity.Directory, "--timeout", timeout);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal([$"error: --timeout must be a positive number of seconds, not {timeout}"], result.ErrorLines);
    }

    [Theory]
    [InlineData("tls.cert.pem", "verifier TLS certificate")]
    [InlineData("tls.key.pem", "verifier TLS key")]
    [InlineData("ca.cert.pem", "election root certificate (--root)")]
    public async Task Totals_MissingIdentityFile_ExitsTwoNamingTheFile(string file, string what)
    {
        File.Delete(_identity.PathOf(file));

        var result = await VerifierCli.Run(_identity.Args("totals"));

        Assert.Equal(2, result.ExitCode);
        Assert.Equal([$"error: missing {what}: {_identity.PathOf(file)}"], result.ErrorLines);
    }

    [Fact]
    public async Task Totals_RootElsewhere_ReadFromThere()
    {
        var root = _identity.PathOf("elsewhere.pem");
        File.Move(_identity.PathOf("ca.cert.pem"), root);

        var missing = await VerifierCli.Run(_identity.Args("totals"));
        var given = await VerifierCli.Run(_identity.Args("totals", "--root", root));

        Assert.Equal(2, missing.ExitCode);
        Assert.True(given.ExitCode == 6, given.ToString());
    }

    [Fact]
    public async Task Totals_RootNotACertificate_ExitsTwo()
    {
        File.WriteAllText(_identity.PathOf("ca.cert.pem"), "not a certificate");

        var result = await VerifierCli.Run(_identity.Args("totals"));

        Assert.Equal(2, result.ExitCode);
        Assert.Equal([$"error: {_identity.PathOf("ca.cert.pem")} is not a PEM certificate"], result.ErrorLines);
    }

    [Fact]
    public async Task Show_NothingListening_ExitsSixOneLineNoStackTrace()
    {
        var result = await VerifierCli.Run(_identity.Args("show", "ST-0001"));

        Assert.True(result.ExitCode == 6, result.ToString());
        Assert.StartsWith("error: cannot reach Central at https://localhost:", Assert.Single(result.ErrorLines), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.Output);
    }

    public void Dispose() => _identity.Dispose();
}
