using Transmission.Core.Review;

namespace Transmission.Core.Tests.Review;

public sealed class ReviewStateMachineTests
{
    private static readonly Uri Verifier = new("urn:transmission:ks-test-1:verifier:v-001");
    private static readonly DateTimeOffset At = new(2025, 12, 28, 23, 0, 0, TimeSpan.FromHours(1));
    private static readonly string EnvelopeHex = new('a', 64);

    private static ReviewDecision DecisionOn(int revision, ReviewState decision, string reason = "matches the scanned form") =>
        new(new SubmissionKey("01-0001-01", revision, EnvelopeHex), decision, reason, Verifier, At);

    [Theory]
    [InlineData(ReviewState.Accepted)]
    [InlineData(ReviewState.Rejected)]
    [InlineData(ReviewState.RecountRequested)]
    public void Decide_PendingLatestRevisionWithReason_MovesToDecision(ReviewState decision)
    {
        var result = ReviewStateMachine.Decide(ReviewState.Pending, DecisionOn(2, decision), latestRevision: 2);

        Assert.True(result.IsAllowed, result.ToString());
        Assert.Equal(decision, result.State);
        Assert.Null(result.Refusal);
        Assert.Equal(decision, result.Decision.Decision);
        Assert.Equal(Verifier, result.Decision.Verifier);
        Assert.Equal(At, result.Decision.DecidedAt);
    }

    [Fact]
    public void Decide_ReasonWithSurroundingSpace_StoresTrimmedReason()
    {
        var result = ReviewStateMachine.Decide(ReviewState.Pending, DecisionOn(1, ReviewState.Rejected, "  sums differ from the form \n"), 1);

        Assert.True(result.IsAllowed);
        Assert.Equal("sums differ from the form", result.Decision.Reason);
    }

    [Theory]
    [InlineData(ReviewState.Accepted, ReviewState.Accepted)]
    [InlineData(ReviewState.Accepted, ReviewState.Rejected)]
    [InlineData(ReviewState.Accepted, ReviewState.RecountRequested)]
    [InlineData(ReviewState.Rejected, ReviewState.Accepted)]
    [InlineData(ReviewState.Rejected, ReviewState.Rejected)]
    [InlineData(ReviewState.Rejected, ReviewState.RecountRequested)]
    [InlineData(ReviewState.RecountRequested, ReviewState.Accepted)]
    [InlineData(ReviewState.RecountRequested, ReviewState.Rejected)]
    [InlineData(ReviewState.RecountRequested, ReviewState.RecountRequested)]
    public void Decide_AlreadyDecided_RefusedAndStateUnchanged(ReviewState current, ReviewState decision)
    {
        var result = ReviewStateMachine.Decide(current, DecisionOn(1, decision), 1);

        Assert.False(result.IsAllowed);
        Assert.Equal(ReviewRefusals.AlreadyDecided, result.Refusal);
        Assert.Equal(current, result.State);
        Assert.Null(result.Decision);
    }

    [Fact]
    public void Decide_LaterRevisionExists_RefusedSuperseded()
    {
        var result = ReviewStateMachine.Decide(ReviewState.Pending, DecisionOn(1, ReviewState.Accepted), latestRevision: 2);

        Assert.False(result.IsAllowed);
        Assert.Equal(ReviewRefusals.Superseded, result.Refusal);
        Assert.Equal(ReviewState.Pending, result.State);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\t\r\n")]
    public void Decide_BlankReason_RefusedReasonRequired(string reason)
    {
        var result = ReviewStateMachine.Decide(ReviewState.Pending, DecisionOn(1, ReviewState.Accepted, reason), 1);

        Assert.False(result.IsAllowed);
        Assert.Equal(ReviewRefusals.ReasonRequired, result.Refusal);
        Assert.Equal(ReviewState.Pending, result.State);
    }

    [Fact]
    public void Decide_NullReason_RefusedReasonRequired()
    {
        var result = ReviewStateMachine.Decide(ReviewState.Pending, DecisionOn(1, ReviewState.Accepted, null!), 1);

        Assert.Equal(ReviewRefusals.ReasonRequired, result.Refusal);
    }

    [Fact]
    public void Decide_ReasonAtLimitAfterTrim_Allowed()
    {
        var reason = " " + new string('x', ReviewDecision.MaxReasonLength) + " ";

        var result = ReviewStateMachine.Decide(ReviewState.Pending, DecisionOn(1, ReviewState.Rejected, reason), 1);

        Assert.True(result.IsAllowed);
        Assert.Equal(ReviewDecision.MaxReasonLength, result.Decision.Reason.Length);
    }

    [Fact]
    public void Decide_ReasonOverLimit_RefusedReasonTooLong()
    {
        var reason = new string('x', ReviewDecision.MaxReasonLength + 1);

        var result = ReviewStateMachine.Decide(ReviewState.Pending, DecisionOn(1, ReviewState.Rejected, reason), 1);

        Assert.Equal(ReviewRefusals.ReasonTooLong, result.Refusal);
        Assert.Equal(ReviewState.Pending, result.State);
    }

    [Theory]
    [InlineData(ReviewState.Pending)]
    [InlineData((ReviewState)42)]
    [InlineData((ReviewState)(-1))]
    public void Decide_DecisionNotAFinalState_RefusedUnknownDecision(ReviewState decision)
    {
        var result = ReviewStateMachine.Decide(ReviewState.Pending, DecisionOn(1, decision), 1);

        Assert.Equal(ReviewRefusals.UnknownDecision, result.Refusal);
        Assert.Equal(ReviewState.Pending, result.State);
    }

    [Fact]
    public void Decide_SeveralProblems_ReportsFirstInDocumentedOrder()
    {
        // Unknown decision beats everything; then already-decided beats superseded and a blank reason.
        Assert.Equal(ReviewRefusals.UnknownDecision, ReviewStateMachine.Decide(ReviewState.Accepted, DecisionOn(1, ReviewState.Pending, ""), 3).Refusal);
        Assert.Equal(ReviewRefusals.AlreadyDecided, ReviewStateMachine.Decide(ReviewState.Rejected, DecisionOn(1, ReviewState.Accepted, ""), 3).Refusal);
        Assert.Equal(ReviewRefusals.Superseded, ReviewStateMachine.Decide(ReviewState.Pending, DecisionOn(1, ReviewState.Accepted, ""), 3).Refusal);
    }

    [Fact]
    public void Decide_LatestRevisionBelowDecided_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ReviewStateMachine.Decide(ReviewState.Pending, DecisionOn(3, ReviewState.Accepted), 2));
    }

    [Fact]
    public void Create_UsesInjectedClock()
    {
        var clock = new FixedClock(At);
        var key = new SubmissionKey("01-0001-01", 1, EnvelopeHex);

        var decision = ReviewDecision.Create(key, ReviewState.Accepted, "ok", Verifier, clock);

        Assert.Equal(At, decision.DecidedAt);
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("gggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggg")]
    public void SubmissionKey_MalformedDigest_Throws(string hex)
    {
        Assert.Throws<ArgumentException>(() => new SubmissionKey("01-0001-01", 1, hex));
    }

    [Fact]
    public void SubmissionKey_RevisionBelowOne_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SubmissionKey("01-0001-01", 0, EnvelopeHex));
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
