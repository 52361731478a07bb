using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Transmission.Central.Tests.Dashboard;

/// <summary>
/// Writes real PNG files (PNG 1.2 / ISO 15948: signature, IHDR, one zlib IDAT of filter-0 RGB rows, IEND, each chunk
/// with its CRC-32), so the browser has an image it can decode: a scan stand-in drawn in a few lines.
/// </summary>
internal static class TestPng
{
    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];
    private static readonly uint[] CrcTable = BuildCrcTable();

    /// <summary>A <paramref name="width"/> × <paramref name="height"/> 8-bit RGB image with each pixel from <paramref name="pixel"/>.</summary>
    public static byte[] Create(int width, int height, Func<int, int, (byte R, byte G, byte B)> pixel)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        var raw = new byte[height * (1 + (width * 3))];
        var at = 0;
        for (var y = 0; y < height; y++)
        {
            raw[at++] = 0; // filter type None
            for (var x = 0; x < width; x++)
            {
                var (r, g, b) = pixel(x, y);
                raw[at++] = r;
                raw[at++] = g;
                raw[at++] = b;
            }
        }

        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            zlib.Write(raw);
        }

        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bit depth
        header[9] = 2; // colour type: RGB
        using var png = new MemoryStream();
        png.Write(Signature);
        WriteChunk(png, "IHDR", header);
        WriteChunk(png, "IDAT", compressed.ToArray());
        WriteChunk(png, "IEND", []);
        return png.ToArray();
    }

    /// <summary>A stand-in for a scanned count sheet: a white page with a dark title band, ruled lines and two columns of boxes.</summary>
    public static byte[] CountSheet(int width = 420, int height = 560) => Create(width, height, (x, y) =>
    {
        const byte Ink = 40;
        if (x < 4 || y < 4 || x >= width - 4 || y >= height - 4)
        {
            return (Ink, Ink, Ink);
        }

        if (y is >= 20 and < 60 && x is >= 20 && x < width - 20)
        {
            return (30, 60, 110);
        }

        var inBox = y >= 90 && (y - 90) % 28 < 20 && ((x >= 30 && x < 200) || (x >= width - 130 && x < width - 30));
        if (inBox && ((y - 90) % 28 is 0 or 19 || x is 30 or 199 || x == width - 130 || x == width - 31))
        {
            return (Ink, Ink, Ink);
        }

        return y >= 90 && (y - 90) % 28 == 24 ? ((byte)200, (byte)200, (byte)200) : ((byte)250, (byte)248, (byte)240);
    });

    private static void WriteChunk(Stream png, string type, byte[] data)
    {
        Span<byte> buffer = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(buffer, data.Length);
        png.Write(buffer);
        var typeBytes = Encoding.ASCII.GetBytes(type);
        png.Write(typeBytes);
        png.Write(data);
        var crc = Crc32([.. typeBytes, .. data]);
        BinaryPrimitives.WriteUInt32BigEndian(buffer, crc);
        png.Write(buffer);
    }

    // CRC-32 as PNG 1.2 section 15 (polynomial 0xEDB88320, reflected, initial and final XOR 0xFFFFFFFF).
    private static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return crc ^ 0xFFFFFFFFu;
    }

    private static uint[] BuildCrcTable()
    {
        var table = new uint[256];
        for (var n = 0u; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }

            table[n] = c;
        }

        return table;
    }
}
