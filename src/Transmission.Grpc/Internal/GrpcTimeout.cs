using System.Globalization;

namespace Transmission.Grpc.Internal;

/// <summary>
/// The <c>grpc-timeout</c> header: TimeoutValue (1 to 8 ASCII digits) followed by a
/// TimeoutUnit (H, M, S, m, u, n) (PROTOCOL-HTTP2.md, "Requests").
/// </summary>
internal static class GrpcTimeout
{
    /// <summary>The largest TimeoutValue: eight digits.</summary>
    public const long MaxValue = 99_999_999;

    /// <summary>Parses a header value; false when it is not well formed.</summary>
    public static bool TryParse(string? value, out TimeSpan timeout)
    {
        timeout = default;
        if (value is null || value.Length < 2 || value.Length > 9)
        {
            return false;
        }

        var digits = value.AsSpan(0, value.Length - 1);
        foreach (var c in digits)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        var amount = long.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
        long? ticks = value[^1] switch
        {
            'H' => amount * TimeSpan.TicksPerHour,
            'M' => amount * TimeSpan.TicksPerMinute,
            'S' => amount * TimeSpan.TicksPerSecond,
            'm' => amount * TimeSpan.TicksPerMillisecond,
            'u' => amount * TimeSpan.TicksPerMicrosecond,
            // One tick is 100 ns; round up so a tiny timeout never becomes zero by accident.
            'n' => (amount + 99) / 100,
            _ => null,
        };
        if (ticks is null)
        {
            return false;
        }

        timeout = TimeSpan.FromTicks(ticks.Value);
        return true;
    }

    /// <summary>
    /// Formats <paramref name="timeout"/> in the finest unit whose value fits eight digits,
    /// rounding up so the server never sees a shorter deadline than the client set.
    /// </summary>
    public static string Format(TimeSpan timeout)
    {
        if (timeout <= TimeSpan.Zero)
        {
            return "1n";
        }

        var ticks = timeout.Ticks;
        ReadOnlySpan<(long TicksPerUnit, char Unit)> units =
        [
            (0, 'n'),
            (TimeSpan.TicksPerMicrosecond, 'u'),
            (TimeSpan.TicksPerMillisecond, 'm'),
            (TimeSpan.TicksPerSecond, 'S'),
            (TimeSpan.TicksPerMinute, 'M'),
            (TimeSpan.TicksPerHour, 'H'),
        ];
        foreach (var (ticksPerUnit, unit) in units)
        {
            long amount;
            if (ticksPerUnit == 0)
            {
                // Nanoseconds: 100 per tick; overflow-safe because 8 digits are checked first.
                if (ticks > MaxValue / 100)
                {
                    continue;
                }

                amount = ticks * 100;
            }
            else
            {
                // Round up without (ticks + ticksPerUnit - 1), which overflows near TimeSpan.MaxValue.
                amount = (ticks / ticksPerUnit) + (ticks % ticksPerUnit == 0 ? 0 : 1);
            }

            if (amount <= MaxValue)
            {
                return amount.ToString(CultureInfo.InvariantCulture) + unit;
            }
        }

        return MaxValue.ToString(CultureInfo.InvariantCulture) + "H";
    }
}
