using System.Security.Cryptography.X509Certificates;

namespace Transmission.Core.Pki;

/// <summary>One revoked certificate.</summary>
/// <param name="SerialNumber">The serial number as upper-case hex of its big-endian bytes, without leading zero bytes.</param>
/// <param name="RevokedAt">When the certificate stopped being valid; uses strictly before this instant stay valid.</param>
/// <param name="Reason">The CRL reason, if any.</param>
public sealed record RevocationEntry(string SerialNumber, DateTimeOffset RevokedAt, X509RevocationReason? Reason)
{
    /// <summary>Canonical serial hex: upper case, leading zero bytes removed (DER may add one for the sign bit).</summary>
    public static string CanonicalSerial(ReadOnlySpan<byte> serialBigEndian)
    {
        var start = 0;
        while (start < serialBigEndian.Length - 1 && serialBigEndian[start] == 0)
        {
            start++;
        }

        return Convert.ToHexString(serialBigEndian[start..]);
    }

    /// <summary>
    /// The serial's big-endian bytes as a certificate or CRL encodes them (the DER INTEGER's content): the canonical
    /// bytes with a leading zero byte restored when the top bit is set, since serials are positive (RFC 5280 §4.1.2.2).
    /// </summary>
    /// <exception cref="FormatException"><paramref name="canonicalSerial"/> is not hex.</exception>
    public static byte[] SerialBytes(string canonicalSerial)
    {
        ArgumentException.ThrowIfNullOrEmpty(canonicalSerial);
        var serial = Convert.FromHexString(canonicalSerial);
        return serial[0] >= 0x80 ? [0, .. serial] : serial;
    }

    /// <summary>Canonical serial hex of a certificate.</summary>
    public static string CanonicalSerial(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return CanonicalSerial(certificate.SerialNumberBytes.Span);
    }

    /// <summary>Canonical form of a hex serial typed by an operator (case and leading zeros ignored); <see langword="null"/> if not hex.</summary>
    public static string? CanonicalSerial(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        var trimmed = hex.Replace(":", string.Empty, StringComparison.Ordinal).Trim();
        if (trimmed.Length % 2 == 1)
        {
            trimmed = "0" + trimmed;
        }

        try
        {
            var bytes = Convert.FromHexString(trimmed);
            return bytes.Length == 0 ? null : CanonicalSerial(bytes);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
