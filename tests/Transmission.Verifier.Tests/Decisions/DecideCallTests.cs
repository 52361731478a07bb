using Google.Protobuf.WellKnownTypes;
using Transmission.Contracts.V1;
using Transmission.Grpc;
using Transmission.Verifier.Tests.Support;

namespace Transmission.Verifier.Tests.Decisions;

/// <summary>decide against a fake Review service: what is sent, and how answers and refusals are told.</summary>
public sealed class DecideCallTests : IAsyncLifetime
{
    private const string Sha = "00112233445566778899AABBCCDDEEFF00112233445566778899aabbccddeeff";
    private FakeReviewWorld _world = null!;

    public async Task InitializeAsync() => _world = await FakeReviewWorld.StartAsync();

    [Theory]
    [InlineData("accept", Decision.Accept, ReviewState.Accepted, "accepted")]
    [InlineData("reject", Decision.Reject, ReviewState.Rejected, "rejected")]
    [InlineData("recount", Decision.RequestRecount, ReviewState.RecountRequested, "recount")]
    public async Task Decide_Allowed_SendsTheExactDigestAndTrimmedReasonPrintsStateAndLogIndex(string word, Decision decision, ReviewState state, string stateWord)
    {
        _world.Review.DecideAnswer = _ => new DecideResponse { State = state, LogIndex = 17, DecidedAt = Timestamp.FromDateTimeOffset(new DateTimeOffset(2025, 12, 28, 21, 0, 0, TimeSpan.Zero)) };

        var result = await _world.Run("decide", Sha, word, "--reason", "  Numbers match the scan.  ");

        Assert.True(result.ExitCode == 0, result.ToString());
        var request = Assert.IsType<DecideRequest>(Assert.Single(_world.Review.Requests));
        Assert.Equal(Convert.FromHexString(Sha), request.EnvelopeSha256.ToByteArray());
        Assert.Equal(decision, request.Decision);
        Assert.Equal("Numbers match the scan.", request.Reason);
        Assert.Equal($"decided: {Sha.ToLowerInvariant()} is now {stateWord} (log index 17, 2025-12-28 21:00:00Z)\n", result.Output.ReplaceLineEndings("\n"));
    }

    [Theory]
    [InlineData(StatusCode.FailedPrecondition, "ALREADY_DECIDED: this submission was accepted on 2025-12-28.", "FAILED_PRECONDITION")]
    [InlineData(StatusCode.FailedPrecondition, "SUPERSEDED: revision 2 of ST-0001 exists.", "FAILED_PRECONDITION")]
    [InlineData(StatusCode.InvalidArgument, "REASON_REQUIRED: a decision needs a reason.", "INVALID_ARGUMENT")]
    [InlineData(StatusCode.NotFound, "No submission with this envelope SHA-256.", "NOT_FOUND")]
    public async Task Decide_Refused_ExitsFourWithOneLine(StatusCode code, string detail, string name)
    {
        _world.Review.DecideAnswer = _ => throw new RpcException(new Status(code, detail));

        var result = await _world.Run("decide", Sha, "accept", "--reason", "Numbers match the scan.");

        Assert.Equal(4, result.ExitCode);
        Assert.Equal([$"error: refused by Central ({name}): {detail}"], result.ErrorLines);
        Assert.Equal(string.Empty, result.Output);
    }

    public async Task DisposeAsync() => await _world.DisposeAsync();
}
