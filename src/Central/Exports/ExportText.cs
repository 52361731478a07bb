using System.Globalization;
using Transmission.Core.Review;

namespace Transmission.Central.Exports;

/// <summary>How values that are not plain numbers are spelled in both formats (docs/exports.md "Values").</summary>
internal static class ExportText
{
    /// <summary>ISO 8601 in UTC with milliseconds and <c>Z</c>, e.g. <c>2025-12-28T18:20:00.123Z</c>; finer digits are cut, not rounded.</summary>
    public static string Time(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary><c>pending</c>, <c>accepted</c>, <c>rejected</c> or <c>recount_requested</c>.</summary>
    public static string ReviewState(ReviewState state) => state switch
    {
        Core.Review.ReviewState.Pending => "pending",
        Core.Review.ReviewState.Accepted => "accepted",
        Core.Review.ReviewState.Rejected => "rejected",
        Core.Review.ReviewState.RecountRequested => "recount_requested",
        _ => throw new ArgumentException($"Unknown review state {state}.", nameof(state)),
    };

    /// <summary>A SHA-256 as 64 lowercase hex digits; throws for anything that is not 64 hex digits.</summary>
    public static string Sha256Hex(string hex)
    {
        if (hex is not { Length: 64 } || hex.AsSpan().ContainsAnyExcept("0123456789abcdefABCDEF"))
        {
            throw new ArgumentException($"'{hex}' is not a SHA-256 in hex (64 hex digits).", nameof(hex));
        }

        return hex.ToLowerInvariant();
    }
}
