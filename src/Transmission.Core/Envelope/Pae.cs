using System.Globalization;
using System.Text;

namespace Transmission.Core.Envelope;

/// <summary>
/// The DSSE pre-authentication encoding (secure-systems-lab/dsse protocol.md, "Signature Definition"):
/// <c>PAE(type, body) = "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body</c>, where LEN is the ASCII decimal byte
/// count without leading zeros and SP is 0x20. Signatures cover these bytes, so the payload type is authenticated
/// together with the payload and neither can be swapped.
/// </summary>
public static class Pae
{
    private static ReadOnlySpan<byte> Prefix => "DSSEv1 "u8;

    /// <summary>Encodes <paramref name="payloadType"/> (as UTF-8) and <paramref name="payload"/>.</summary>
    public static byte[] Encode(string payloadType, ReadOnlySpan<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(payloadType);
        var typeLength = Encoding.UTF8.GetByteCount(payloadType);
        Span<byte> typeDigits = stackalloc byte[11];
        Span<byte> bodyDigits = stackalloc byte[11];
        typeDigits = typeDigits[..FormatLength(typeLength, typeDigits)];
        bodyDigits = bodyDigits[..FormatLength(payload.Length, bodyDigits)];

        // checked by CheckForOverflowUnderflow: a 2 GiB payload cannot wrap the length.
        var total = Prefix.Length + typeDigits.Length + 1 + typeLength + 1 + bodyDigits.Length + 1 + payload.Length;
        var result = new byte[total];
        var span = result.AsSpan();
        Prefix.CopyTo(span);
        var at = Prefix.Length;
        typeDigits.CopyTo(span[at..]);
        at += typeDigits.Length;
        span[at++] = (byte)' ';
        at += Encoding.UTF8.GetBytes(payloadType, span[at..]);
        span[at++] = (byte)' ';
        bodyDigits.CopyTo(span[at..]);
        at += bodyDigits.Length;
        span[at++] = (byte)' ';
        payload.CopyTo(span[at..]);
        return result;
    }

    private static int FormatLength(int length, Span<byte> destination)
    {
        // Invariant culture: plain ASCII digits, no group separators, no leading zeros.
        if (!length.TryFormat(destination, out var written, "D", CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException("An int always fits in 11 bytes.");
        }

        return written;
    }
}
