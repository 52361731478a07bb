using Transmission.Verifier.Tests.Support;

namespace Transmission.Verifier.Tests.Listing;

public sealed class ListCommandTests : IDisposable
{
    private readonly TestIdentity _identity = new();

    [Fact]
    public async Task List_UnknownState_ExitsOneWithTheLine()
    {
        var result = await VerifierCli.Run(_identity.Args("list", "--state", "approved"));

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(["error: --state must be one of: pending, accepted, rejected, recount; not 'approved'"], result.ErrorLines);
        Assert.Equal(string.Empty, result.Output);
    }

    [Fact]
    public async Task List_ReportedAndNotReported_ExitsOneWithTheLine()
    {
        var result = await VerifierCli.Run(_identity.Args("list", "--reported", "--not-reported"));

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(["error: --reported and --not-reported exclude each other; give at most one"], result.ErrorLines);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("501")]
    public async Task List_PageSizeOutOfRange_ExitsOneWithTheLine(string size)
    {
        var result = await VerifierCli.Run(_identity.Args("list", "--page-size", size));

        Assert.Equal(1, result.ExitCode);
        Assert.Equal([$"error: --page-size must be between 1 and 500; not {size}"], result.ErrorLines);
    }

    [Fact]
    public async Task List_UnknownOption_ExitsOneWithoutHelpText()
    {
        var result = await VerifierCli.Run(_identity.Args("list", "--colour"));

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(["error: Unrecognized command or argument '--colour'."], result.ErrorLines);
        Assert.Equal(string.Empty, result.Output);
    }

    public void Dispose() => _identity.Dispose();
}
