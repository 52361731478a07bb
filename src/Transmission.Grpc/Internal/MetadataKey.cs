namespace Transmission.Grpc.Internal;

/// <summary>Validation of metadata keys and values (PROTOCOL-HTTP2.md, "Custom-Metadata").</summary>
internal static class MetadataKey
{
    /// <summary>Lowercases <paramref name="key"/> and checks it has only 0-9 a-z _ - . characters.</summary>
    public static string Normalize(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var lower = key.ToLowerInvariant();
        foreach (var c in lower)
        {
            var ok = c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_' or '.';
            if (!ok)
            {
                throw new ArgumentException($"Metadata key '{key}' has a character outside 0-9 a-z _ - .", nameof(key));
            }
        }

        if (lower.StartsWith("grpc-", StringComparison.Ordinal))
        {
            throw new ArgumentException($"Metadata key '{key}' uses the reserved 'grpc-' prefix.", nameof(key));
        }

        return lower;
    }

    /// <summary>True when every character of <paramref name="value"/> is printable ASCII (0x20-0x7E).</summary>
    public static bool IsValidAsciiValue(string value)
    {
        foreach (var c in value)
        {
            if (c is < (char)0x20 or > (char)0x7E)
            {
                return false;
            }
        }

        return true;
    }
}
