using System.Buffers;
using System.Buffers.Binary;

namespace Transmission.Grpc.Internal;

/// <summary>
/// The gRPC Length-Prefixed-Message: a 1-byte Compressed-Flag, a 4-byte big-endian
/// Message-Length, then the message (PROTOCOL-HTTP2.md, "Requests").
/// </summary>
internal static class MessageFraming
{
    /// <summary>Size of the prefix before every message.</summary>
    public const int HeaderSize = 5;

    /// <summary>Offset of the big-endian length inside the prefix.</summary>
    public const int LengthOffset = 1;

    /// <summary>Compressed-Flag value: message is not compressed.</summary>
    public const byte NotCompressed = 0;

    /// <summary>Compressed-Flag value: message is compressed with the call's grpc-encoding.</summary>
    public const byte Compressed = 1;

    /// <summary>Writes a prefix for a message of <paramref name="length"/> bytes.</summary>
    public static void WriteHeader(Span<byte> destination, bool compressed, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        destination[0] = compressed ? Compressed : NotCompressed;
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(LengthOffset, 4), (uint)length);
    }

    /// <summary>
    /// Tries to take one whole frame off the front of <paramref name="buffer"/>.
    /// The size limit is enforced from the length prefix alone, before the message is buffered.
    /// </summary>
    /// <returns>
    /// <see cref="FrameReadResult.NeedMoreData"/> when the prefix or message is not complete
    /// (<paramref name="buffer"/> is unchanged), otherwise the outcome; on
    /// <see cref="FrameReadResult.Frame"/> <paramref name="buffer"/> is advanced past the frame.
    /// </returns>
    public static FrameReadResult TryReadFrame(
        ref ReadOnlySequence<byte> buffer,
        long maxMessageSize,
        out bool compressed,
        out ReadOnlySequence<byte> message,
        out long declaredLength)
    {
        compressed = false;
        message = default;
        declaredLength = 0;
        if (buffer.Length < HeaderSize)
        {
            return FrameReadResult.NeedMoreData;
        }

        Span<byte> header = stackalloc byte[HeaderSize];
        buffer.Slice(0, HeaderSize).CopyTo(header);
        var flag = header[0];
        declaredLength = BinaryPrimitives.ReadUInt32BigEndian(header[LengthOffset..]);
        if (flag is not (NotCompressed or Compressed))
        {
            return FrameReadResult.InvalidFlag;
        }

        compressed = flag == Compressed;
        if (declaredLength > maxMessageSize)
        {
            return FrameReadResult.TooLarge;
        }

        if (buffer.Length < HeaderSize + declaredLength)
        {
            return FrameReadResult.NeedMoreData;
        }

        message = buffer.Slice(HeaderSize, declaredLength);
        buffer = buffer.Slice(HeaderSize + declaredLength);
        return FrameReadResult.Frame;
    }
}

/// <summary>The outcome of <see cref="MessageFraming.TryReadFrame"/>.</summary>
internal enum FrameReadResult
{
    /// <summary>A whole frame was read.</summary>
    Frame,
    /// <summary>The buffer does not hold a whole frame yet.</summary>
    NeedMoreData,
    /// <summary>The length prefix is over the receive limit.</summary>
    TooLarge,
    /// <summary>The Compressed-Flag is neither 0 nor 1.</summary>
    InvalidFlag,
}
