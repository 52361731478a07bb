using System.Buffers.Binary;

namespace Transmission.Audit.Bundle;

/// <summary>
/// The framing of <c>log/entries.bin</c>: per entry, in index order, <c>u8 kind ‖ u32 big-endian length ‖ entry
/// bytes</c>. The entry bytes are exactly what the Merkle leaf hashes: <c>SHA-256(0x00 ‖ entry bytes)</c>.
/// </summary>
public static class EntryFraming
{
    /// <summary>The kind byte and the length: 5 bytes.</summary>
    public const int HeaderSize = 5;

    /// <summary>
    /// The largest entry a reader accepts: 16 MiB. Central's envelopes are at most 1 MiB by default and the other
    /// entries are a few hundred bytes; the bound keeps a corrupt length from making a reader allocate gigabytes.
    /// </summary>
    public const int MaxEntryBytes = 16 * 1024 * 1024;

    /// <summary>Writes the 5-byte header for an entry of <paramref name="length"/> bytes.</summary>
    public static void WriteHeader(Span<byte> destination, BundleEntryKind kind, int length)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, HeaderSize);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        destination[0] = (byte)kind;
        BinaryPrimitives.WriteUInt32BigEndian(destination[1..], (uint)length);
    }
}

/// <summary>One framed entry as read from <c>log/entries.bin</c>; the kind byte is as found (it may be undefined).</summary>
/// <param name="Index">The entry's position (0-based).</param>
/// <param name="KindByte">The kind byte (see <see cref="BundleEntryKind"/>).</param>
/// <param name="Bytes">The entry bytes.</param>
public sealed record RawEntry(long Index, byte KindByte, byte[] Bytes)
{
    /// <summary>The kind, when the byte is a defined one.</summary>
    public BundleEntryKind? Kind => BundleEntryKinds.IsDefined(KindByte) ? (BundleEntryKind)KindByte : null;
}

/// <summary>What <see cref="EntriesFileReader.Read"/> found.</summary>
public enum EntryReadStatus
{
    /// <summary>An entry.</summary>
    Entry,

    /// <summary>The clean end of the file, after a whole entry (or an empty file).</summary>
    End,

    /// <summary>The file ends inside a header or inside an entry's bytes.</summary>
    Truncated,

    /// <summary>A header states more than <see cref="EntryFraming.MaxEntryBytes"/>.</summary>
    TooLarge,
}

/// <summary>Reads <c>log/entries.bin</c> entry by entry, never holding more than one entry.</summary>
/// <remarks>Not thread-safe. After anything but <see cref="EntryReadStatus.Entry"/> the reader stays at the end.</remarks>
public sealed class EntriesFileReader
{
    private readonly Stream _stream;
    private readonly byte[] _header = new byte[EntryFraming.HeaderSize];
    private long _next;
    private bool _done;

    /// <summary>A reader over <paramref name="stream"/> (left open).</summary>
    public EntriesFileReader(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _stream = stream;
    }

    /// <summary>Bytes consumed so far (for progress).</summary>
    public long Position { get; private set; }

    /// <summary>Reads the next entry.</summary>
    public EntryReadStatus Read(out RawEntry? entry)
    {
        entry = null;
        if (_done)
        {
            return EntryReadStatus.End;
        }

        var got = Fill(_header);
        if (got == 0)
        {
            _done = true;
            return EntryReadStatus.End;
        }

        if (got < EntryFraming.HeaderSize)
        {
            _done = true;
            return EntryReadStatus.Truncated;
        }

        var length = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(_header.AsSpan(1));
        if (length > EntryFraming.MaxEntryBytes)
        {
            _done = true;
            return EntryReadStatus.TooLarge;
        }

        var bytes = new byte[length];
        if (Fill(bytes) < bytes.Length)
        {
            _done = true;
            return EntryReadStatus.Truncated;
        }

        entry = new RawEntry(_next++, _header[0], bytes);
        return EntryReadStatus.Entry;
    }

    private int Fill(byte[] buffer)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var read = _stream.Read(buffer, total, buffer.Length - total);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        Position += total;
        return total;
    }
}
