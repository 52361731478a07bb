using Transmission.Grpc.Internal;

namespace Transmission.Grpc.Tests.Internal;

public sealed class GrpcTimeoutTests
{
    public static TheoryData<string, long> ValidValues => new()
    {
        { "1H", TimeSpan.TicksPerHour },
        { "2M", 2 * TimeSpan.TicksPerMinute },
        { "3S", 3 * TimeSpan.TicksPerSecond },
        { "4m", 4 * TimeSpan.TicksPerMillisecond },
        { "5u", 5 * TimeSpan.TicksPerMicrosecond },
        { "100n", 1 },
        { "0S", 0 },
        { "00000010S", 10 * TimeSpan.TicksPerSecond },
        { "99999999H", 99_999_999 * TimeSpan.TicksPerHour },
    };

    [Theory]
    [MemberData(nameof(ValidValues))]
    public void TryParse_EveryUnit_ReturnsTimeout(string value, long ticks)
    {
        Assert.True(GrpcTimeout.TryParse(value, out var timeout));
        Assert.Equal(ticks, timeout.Ticks);
    }

    [Theory]
    [InlineData("1n", 1)]
    [InlineData("99n", 1)]
    [InlineData("101n", 2)]
    public void TryParse_Nanoseconds_RoundsUpToTicks(string value, long ticks)
    {
        Assert.True(GrpcTimeout.TryParse(value, out var timeout));
        Assert.Equal(ticks, timeout.Ticks);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("S")]
    [InlineData("1")]
    [InlineData("1s")]
    [InlineData("1x")]
    [InlineData("-1S")]
    [InlineData("+1S")]
    [InlineData("1.5S")]
    [InlineData(" 1S")]
    [InlineData("1S ")]
    [InlineData("123456789S")]
    [InlineData("１S")]
    public void TryParse_Malformed_ReturnsFalse(string? value)
    {
        Assert.False(GrpcTimeout.TryParse(value, out _));
    }

    [Theory]
    [InlineData(1, "100n")]
    [InlineData(10, "1000n")]
    [InlineData(999_999, "99999900n")]
    [InlineData(1_000_000, "100000u")]
    [InlineData(10_000_000, "1000000u")]
    [InlineData(1_000_000_001, "100001m")]
    [InlineData(1_000_000_000_000, "100000S")]
    public void Format_Timeout_FinestUnitThatFitsRoundedUp(long ticks, string expected)
    {
        Assert.Equal(expected, GrpcTimeout.Format(TimeSpan.FromTicks(ticks)));
    }

    [Fact]
    public void Format_ZeroOrNegative_SmallestTimeout()
    {
        Assert.Equal("1n", GrpcTimeout.Format(TimeSpan.Zero));
        Assert.Equal("1n", GrpcTimeout.Format(TimeSpan.FromSeconds(-1)));
    }

    [Fact]
    public void Format_Huge_ClampsToLargestValue()
    {
        Assert.Equal("99999999H", GrpcTimeout.Format(TimeSpan.MaxValue));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(12_345)]
    [InlineData(987_654_321)]
    [InlineData(36_000_000_001)]
    public void Format_ThenParse_NeverShorter(long ticks)
    {
        var timeout = TimeSpan.FromTicks(ticks);

        Assert.True(GrpcTimeout.TryParse(GrpcTimeout.Format(timeout), out var parsed));
        Assert.True(parsed >= timeout, $"{parsed} < {timeout}");
    }
}
