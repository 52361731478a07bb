using Transmission.Verifier.Tests.Support;

namespace Transmission.Verifier.Tests.Decisions;

/// <summary>decide's command line is checked before anything is sent: exit 1 and one exact line.</summary>
public sealed class DecideCommandTests : IDisposable
{
    private static readonly string Sha = new('a', 64);
    private readonly TestIdentity _identity = new();

    [Fact]
    public async Task Decide_MissingReason_ExitsOneWithTheLine()
    {
        var result = await VerifierCli.Run(_identity.Args("decide", Sha, "accept"));

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(["error: --reason is required: say in words why (it is kept with the decision for good)"], result.ErrorLines);
        Assert.Equal(string.Empty, result.Output);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task Decide_BlankReason_ExitsOneWithTheLine(string reason)
    {
        var result = await VerifierCli.Run(_identity.Args("decide", Sha, "reject", "--reason", reason));

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(["error: --reason is required: say in words why (it is kept with the decision for good)"], result.ErrorLines);
    }

    [Fact]
    public async Task Decide_ReasonOverTwoThousandCharacters_ExitsOneWithTheLine()
    {
        var result = await VerifierCli.Run(_identity.Args("decide", Sha, "reject", "--reason", new string('x', 2001)));

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(["error: --reason is 2001 characters; at most 2000 are kept"], result.ErrorLines);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    [InlineData("gaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public async Task Decide_BadShaHex_ExitsOneWithTheLine(string sha)
    {
        var result = await VerifierCli.Run(_identity.Args("decide", sha, "accept", "--reason", "Numbers match the scan."));

        Assert.Equal(1, result.ExitCode);
        Assert.Equal([$"error: '{sha}' is not an envelope SHA-256: expected 64 hex digits (from 'list' or 'show')"], result.ErrorLines);
    }

    [Fact]
    public async Task Decide_StationCodeInsteadOfSha_ExitsOneNothingSent()
    {
        // A decision applies to exact bytes the verifier looked at, so a station code (whose latest
        // revision could change under them) is not accepted.
        var result = await VerifierCli.Run(_identity.Args("decide", "ST-0001", "accept", "--reason", "Numbers match the scan."));

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(["error: 'ST-0001' is not an envelope SHA-256: expected 64 hex digits (from 'list' or 'show')"], result.ErrorLines);
    }

    [Fact]
    public async Task Decide_UnknownDecision_ExitsOneWithTheLine()
    {
        var result = await VerifierCli.Run(_identity.Args("decide", Sha, "approve", "--reason", "Numbers match the scan."));

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(["error: the decision must be one of: accept, reject, recount; not 'approve'"], result.ErrorLines);
    }

    [Fact]
    public async Task Decide_UpperCaseSha_AcceptedAndSentNothingListeningExitsSix()
    {
        // Upper-case hex is the same digest; the command gets as far as the network.
        var result = await VerifierCli.Run(_identity.Args("decide", new string('A', 64), "recount", "--reason", "Sums do not match the scan."));

        Assert.True(result.ExitCode == 6, result.ToString());
    }

    public void Dispose() => _identity.Dispose();
}
