using System.Buffers.Binary;
using Transmission.Audit.Bundle;

namespace Transmission.Audit.Tests.Bundle;

public sealed class BundleFormatTests
{
    [Theory]
    [InlineData("MANIFEST.json", true)]
    [InlineData("log/entries.bin", true)]
    [InlineData("attachments/0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", true)]
    [InlineData("pki/crls/12.crl.pem", true)]
    [InlineData("", false)]
    [InlineData("/log/entries.bin", false)]
    [InlineData("log/", false)]
    [InlineData("log/../MANIFEST.json", false)]
    [InlineData("./MANIFEST.json", false)]
    [InlineData("log\\entries.bin", false)]
    [InlineData("log/entries bin", false)]
    [InlineData("log/entrïes.bin", false)]
    public void IsSafe_Path_AsDocumented(string path, bool safe) => Assert.Equal(safe, BundlePaths.IsSafe(path));

    [Theory]
    [InlineData("pki/crls/1.crl.pem", "1")]
    [InlineData("pki/crls/340282366920938463463374607431768211456.crl.pem", "340282366920938463463374607431768211456")]
    [InlineData("pki/crls/01.crl.pem", null)]
    [InlineData("pki/crls/x.crl.pem", null)]
    [InlineData("pki/crls/1.pem", null)]
    [InlineData("pki/1.crl.pem", null)]
    public void CrlNumberOf_FileName_DecimalWithoutLeadingZeros(string path, string? number) =>
        Assert.Equal(number, BundlePaths.CrlNumberOf(path)?.ToString(System.Globalization.CultureInfo.InvariantCulture));

    [Theory]
    [InlineData("2025-12-28T19:05:00.123Z", true)]
    [InlineData("2025-12-28T19:05:00Z", false)]
    [InlineData("2025-12-28T19:05:00.123+00:00", false)]
    [InlineData("2025-12-28 19:05:00.123Z", false)]
    [InlineData("2025-13-28T19:05:00.123Z", false)]
    public void TryParseTime_OnlyTheExportSpelling(string text, bool valid)
    {
        Assert.Equal(valid, BundleFormat.TryParseTime(text, out var parsed));
        if (valid)
        {
            Assert.Equal(text, BundleFormat.FormatTime(parsed));
        }
    }

    [Fact]
    public void EntriesReader_WholeEntries_ReadInOrderThenEnd()
    {
        var reader = new EntriesFileReader(new MemoryStream([.. Frame(0, [1, 2, 3]), .. Frame(1, []), .. Frame(2, [9])]));

        Assert.Equal(EntryReadStatus.Entry, reader.Read(out var first));
        Assert.Equal(EntryReadStatus.Entry, reader.Read(out var second));
        Assert.Equal(EntryReadStatus.Entry, reader.Read(out var third));
        Assert.Equal(EntryReadStatus.End, reader.Read(out _));
        Assert.Equal((0L, BundleEntryKind.Submission), (first!.Index, first.Kind!.Value));
        Assert.Equal([1, 2, 3], first.Bytes);
        Assert.Equal((1L, BundleEntryKind.Decision), (second!.Index, second.Kind!.Value));
        Assert.Equal((2L, BundleEntryKind.Revocation), (third!.Index, third.Kind!.Value));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(7)]
    public void EntriesReader_FileEndsInsideAnEntry_Truncated(int cut)
    {
        byte[] file = [.. Frame(0, [1, 2, 3]), .. Frame(0, [4, 5, 6])];
        var reader = new EntriesFileReader(new MemoryStream(file[..^cut]));

        Assert.Equal(EntryReadStatus.Entry, reader.Read(out _));
        Assert.Equal(EntryReadStatus.Truncated, reader.Read(out var entry));
        Assert.Null(entry);
        Assert.Equal(EntryReadStatus.End, reader.Read(out _));
    }

    [Fact]
    public void EntriesReader_LengthAboveTheLimit_TooLargeWithoutAllocating()
    {
        var header = new byte[5];
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(1), uint.MaxValue);

        Assert.Equal(EntryReadStatus.TooLarge, new EntriesFileReader(new MemoryStream(header)).Read(out _));
    }

    [Fact]
    public void EntriesReader_UnknownKindByte_ReadWithoutKind()
    {
        var reader = new EntriesFileReader(new MemoryStream(Frame(7, [1])));

        Assert.Equal(EntryReadStatus.Entry, reader.Read(out var entry));
        Assert.Null(entry!.Kind);
        Assert.Equal(7, entry.KindByte);
    }

    private static byte[] Frame(byte kind, byte[] bytes)
    {
        var header = new byte[EntryFraming.HeaderSize];
        EntryFraming.WriteHeader(header, (BundleEntryKind)kind, bytes.Length);
        return [.. header, .. bytes];
    }
}
