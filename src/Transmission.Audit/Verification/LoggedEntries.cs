using System.Globalization;
using System.Text;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace Transmission.Audit.Verification;

/// <summary>Decoding of the PAE-framed log entries (decisions, revocations) and of canonical protobuf bodies.</summary>
internal static class LoggedEntries
{
    private static ReadOnlySpan<byte> Prefix => "DSSEv1 "u8;

    /// <summary>
    /// Splits <c>PAE(type, body) = "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body</c> (docs/protocol.md 6.1),
    /// accepting only the one encoding <c>Pae.Encode</c> produces: decimal lengths without leading zeros that match
    /// exactly, a visible-ASCII type, and no byte after the body.
    /// </summary>
    public static bool TryDecodePae(ReadOnlyMemory<byte> entry, out string type, out ReadOnlyMemory<byte> body)
    {
        type = string.Empty;
        body = default;
        var span = entry.Span;
        if (!span.StartsWith(Prefix))
        {
            return false;
        }

        var at = Prefix.Length;
        if (!TryReadLength(span, ref at, out var typeLength) || at + typeLength + 1 > span.Length || span[at + typeLength] != (byte)' ')
        {
            return false;
        }

        var typeBytes = span.Slice(at, typeLength);
        foreach (var b in typeBytes)
        {
            if (b is < 0x21 or > 0x7E)
            {
                return false;
            }
        }

        type = Encoding.ASCII.GetString(typeBytes);
        at += typeLength + 1;
        if (!TryReadLength(span, ref at, out var bodyLength) || span.Length - at != bodyLength)
        {
            return false;
        }

        body = entry[at..];
        return true;
    }

    /// <summary>Parses <paramref name="body"/> as <typeparamref name="T"/>, only if it is the canonical encoding (no unknown, repeated or reordered fields).</summary>
    public static T? ParseCanonical<T>(MessageParser<T> parser, ReadOnlySpan<byte> body)
        where T : IMessage<T>
    {
        try
        {
            var message = parser.WithDiscardUnknownFields(true).ParseFrom(body);
            return message.ToByteArray().AsSpan().SequenceEqual(body) ? message : default;
        }
        catch (InvalidProtocolBufferException)
        {
            return default;
        }
    }

    /// <summary>A timestamp's instant, if it is within years 1–9999 with valid nanos.</summary>
    public static DateTimeOffset? TimeOf(Timestamp? timestamp) =>
        timestamp is { Seconds: >= -62_135_596_800L and <= 253_402_300_799L, Nanos: >= 0 and < 1_000_000_000 }
            ? timestamp.ToDateTimeOffset()
            : null;

    private static bool TryReadLength(ReadOnlySpan<byte> span, ref int at, out int length)
    {
        length = 0;
        var start = at;
        while (at < span.Length && span[at] != (byte)' ')
        {
            if (!char.IsAsciiDigit((char)span[at]) || at - start >= 10)
            {
                return false;
            }

            at++;
        }

        var digits = span[start..at];
        if (at >= span.Length || digits.Length == 0 || (digits.Length > 1 && digits[0] == (byte)'0')
            || !int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out length))
        {
            return false;
        }

        at++;
        return true;
    }
}
