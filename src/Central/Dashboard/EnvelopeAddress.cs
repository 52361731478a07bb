namespace Transmission.Central.Dashboard;

/// <summary>The envelope SHA-256 in a dashboard address (<c>/submissions/{envelope}</c>): 64 hex digits.</summary>
internal static class EnvelopeAddress
{
    /// <summary>
    /// <paramref name="value"/> in lowercase (the read model's keys) when it is 64 hex digits in either case;
    /// otherwise false, and the address names no submission.
    /// </summary>
    public static bool TryNormalize(string? value, out string hex)
    {
        if (value is { Length: 64 } && value.All(char.IsAsciiHexDigit))
        {
            hex = value.ToLowerInvariant();
            return true;
        }

        hex = string.Empty;
        return false;
    }
}
