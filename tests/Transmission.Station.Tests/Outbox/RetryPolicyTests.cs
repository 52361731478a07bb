using Transmission.Grpc;
using Transmission.Station.Outbox;

namespace Transmission.Station.Tests.Outbox;

public sealed class RetryPolicyTests
{
    private static readonly RetryOptions Options = new() { BaseDelay = TimeSpan.FromSeconds(1), MaxDelay = TimeSpan.FromSeconds(60) };

    [Fact]
    public void Ceiling_GrowingAttempts_DoublesThenCaps()
    {
        var policy = new RetryPolicy(Options, new Random(1), new TestClock());

        Assert.Equal(TimeSpan.FromSeconds(1), policy.Ceiling(1));
        Assert.Equal(TimeSpan.FromSeconds(2), policy.Ceiling(2));
        Assert.Equal(TimeSpan.FromSeconds(32), policy.Ceiling(6));
        Assert.Equal(TimeSpan.FromSeconds(60), policy.Ceiling(7));
        Assert.Equal(TimeSpan.FromSeconds(60), policy.Ceiling(64));
        Assert.Equal(TimeSpan.FromSeconds(60), policy.Ceiling(int.MaxValue));
    }

    [Theory]
    [InlineData(1, 0.5)]
    [InlineData(3, 2.0)]
    [InlineData(10, 30.0)]
    public void Decide_FixedDraw_DelayIsThatFractionOfTheCeiling(int attempts, double expectedSeconds)
    {
        var clock = new TestClock();
        var policy = new RetryPolicy(Options, new FixedRandom(0.5), clock);

        var decision = policy.Decide(StatusCode.Unavailable, attempts);

        Assert.True(decision.Retry);
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), decision.Delay);
        Assert.Equal(clock.GetUtcNow() + decision.Delay, decision.NextAttemptAt);
        Assert.Contains("UNAVAILABLE", decision.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_SameSeed_SameDelays()
    {
        var first = new RetryPolicy(Options, new Random(2026), new TestClock());
        var second = new RetryPolicy(Options, new Random(2026), new TestClock());

        var a = Enumerable.Range(1, 20).Select(n => first.Decide(StatusCode.DeadlineExceeded, n).Delay).ToList();
        var b = Enumerable.Range(1, 20).Select(n => second.Decide(StatusCode.DeadlineExceeded, n).Delay).ToList();

        Assert.Equal(a, b);
    }

    [Fact]
    public void Decide_ManyDraws_FullJitterWithinTheCeiling()
    {
        var policy = new RetryPolicy(Options, new Random(7), new TestClock());

        var delays = Enumerable.Range(0, 1000).Select(_ => policy.Decide(StatusCode.Unavailable, 30).Delay).ToList();

        Assert.All(delays, d => Assert.InRange(d, TimeSpan.Zero, TimeSpan.FromSeconds(60)));
        Assert.DoesNotContain(delays, d => d == TimeSpan.FromSeconds(60));
        // Full jitter spreads over the whole range (not "ceiling ± a little"): both halves are hit often.
        Assert.InRange(delays.Count(d => d < TimeSpan.FromSeconds(30)), 400, 600);
        Assert.InRange(delays.Count(d => d < TimeSpan.FromSeconds(6)), 50, 150);
    }

    [Theory]
    [InlineData(StatusCode.Unavailable)]
    [InlineData(StatusCode.DeadlineExceeded)]
    [InlineData(StatusCode.Aborted)]
    [InlineData(StatusCode.Unknown)]
    [InlineData(StatusCode.Internal)]
    public void Decide_TransientStatus_Retries(StatusCode status)
    {
        var decision = new RetryPolicy(Options, new Random(3), new TestClock()).Decide(status, 1);

        Assert.True(decision.Retry);
        Assert.NotNull(decision.NextAttemptAt);
        Assert.True(RetryPolicy.IsRetryable(status));
    }

    [Theory]
    [InlineData(StatusCode.InvalidArgument, "INVALID_ARGUMENT", "sign a correction")]
    [InlineData(StatusCode.PermissionDenied, "PERMISSION_DENIED", "contact the election office")]
    [InlineData(StatusCode.Unauthenticated, "UNAUTHENTICATED", "certificate")]
    [InlineData(StatusCode.FailedPrecondition, "FAILED_PRECONDITION", "contact the election office")]
    [InlineData(StatusCode.Unimplemented, "UNIMPLEMENTED", "contact the election office")]
    [InlineData(StatusCode.ResourceExhausted, "RESOURCE_EXHAUSTED", "too large")]
    public void Decide_AnswerRetryingCannotChange_StopsWithAMessage(StatusCode status, string name, string advice)
    {
        var policy = new RetryPolicy(Options, new Random(3), new TestClock());

        var decision = policy.Decide(status, 1, detail: "SIGNER_UNTRUSTED");

        Assert.False(decision.Retry);
        Assert.Null(decision.NextAttemptAt);
        Assert.Equal(TimeSpan.Zero, decision.Delay);
        Assert.Contains(name, decision.Message, StringComparison.Ordinal);
        Assert.Contains(advice, decision.Message, StringComparison.Ordinal);
        Assert.Contains("SIGNER_UNTRUSTED", decision.Message, StringComparison.Ordinal);
        Assert.False(RetryPolicy.IsRetryable(status));
    }

    [Theory]
    [InlineData(StatusCode.Unknown, "UNKNOWN")]
    [InlineData(StatusCode.Internal, "INTERNAL")]
    public void Decide_FailureThatDoesNotJudgeTheProtocol_RetriesAndSaysWhomToTellIfItGoesOn(StatusCode status, string name)
    {
        var decision = new RetryPolicy(Options, new Random(3), new TestClock()).Decide(status, 1, detail: "Exception was thrown by handler.");

        Assert.True(decision.Retry);
        Assert.Equal(
            $"The call failed with an error, at Central or on the way: {name} (Exception was thrown by handler.); trying again automatically. If this goes on, tell the election office.",
            decision.Message);
    }

    [Fact]
    public void Decide_Ok_IsNotAFailure()
    {
        var policy = new RetryPolicy(Options, new Random(3), new TestClock());

        Assert.Throws<ArgumentException>(() => policy.Decide(StatusCode.OK, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => policy.Decide(StatusCode.Unavailable, 0));
    }

    [Fact]
    public void Constructor_InvalidOptions_OneClearError()
    {
        var zero = Assert.Throws<ArgumentException>(() => new RetryPolicy(new RetryOptions { BaseDelay = TimeSpan.Zero }, new Random(1), new TestClock()));
        var inverted = Assert.Throws<ArgumentException>(() => new RetryPolicy(
            new RetryOptions { BaseDelay = TimeSpan.FromMinutes(5), MaxDelay = TimeSpan.FromMinutes(1) }, new Random(1), new TestClock()));

        Assert.Contains("BaseDelay", zero.Message, StringComparison.Ordinal);
        Assert.Contains("MaxDelay", inverted.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_FedToTheOutbox_SchedulesOrStops()
    {
        using var folder = new StationFolder();
        var clock = new TestClock();
        var policy = new RetryPolicy(Options, new FixedRandom(0.5), clock);
        using var outbox = folder.Open(clock);
        outbox.RecordSigned(1, Signed.Envelope(1), Signed.Payload(1), []);
        outbox.MarkQueued(1);

        var attempts = outbox.MarkSent(1, TimeSpan.FromSeconds(30)).Entry!.Attempts;
        var retry = policy.Decide(StatusCode.Unavailable, attempts);
        outbox.RecordFailure(1, retry.Note.ToStored(), retry.NextAttemptAt);
        Assert.Empty(outbox.NextDue());
        clock.Advance(retry.Delay);
        Assert.Single(outbox.NextDue());

        attempts = outbox.MarkSent(1, TimeSpan.FromSeconds(30)).Entry!.Attempts;
        var stop = policy.Decide(StatusCode.PermissionDenied, attempts);
        var stopped = outbox.RecordFailure(1, stop.Note.ToStored(), stop.NextAttemptAt);
        Assert.True(stopped.Entry!.IsStopped);
        Assert.Equal("stopped PERMISSION_DENIED", stopped.Entry.LastError);
        Assert.Equal(stop.Message, FailureNote.Describe(stopped.Entry.LastError));
        clock.Advance(TimeSpan.FromDays(1));
        Assert.Empty(outbox.NextDue());
    }
}
