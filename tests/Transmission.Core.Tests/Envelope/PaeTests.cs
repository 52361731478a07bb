using System.Text;
using Transmission.Core.Envelope;

namespace Transmission.Core.Tests.Envelope;

public sealed class PaeTests
{
    // secure-systems-lab/dsse protocol.md, "Test Vectors" (protocol v1.0.0):
    // SERIALIZED_BODY "hello world", PAYLOAD_TYPE "http://example.com/HelloWorld",
    // PAE "DSSEv1 29 http://example.com/HelloWorld 11 hello world".
    [Fact]
    public void Encode_DsseSpecVector_MatchesSpec()
    {
        var pae = Pae.Encode("http://example.com/HelloWorld", "hello world"u8);

        Assert.Equal("DSSEv1 29 http://example.com/HelloWorld 11 hello world"u8.ToArray(), pae);
    }

    [Fact]
    public void Encode_EmptyTypeAndBody_LengthsAreZero()
    {
        Assert.Equal("DSSEv1 0  0 "u8.ToArray(), Pae.Encode(string.Empty, ReadOnlySpan<byte>.Empty));
    }

    [Fact]
    public void Encode_NonAsciiType_LengthCountsUtf8Bytes()
    {
        // "é" is two bytes in UTF-8: LEN is a byte count, not a character count.
        var pae = Pae.Encode("é", [0x00, 0xff]);

        Assert.Equal([.. "DSSEv1 2 "u8, .. Encoding.UTF8.GetBytes("é"), .. " 2 "u8, 0x00, 0xff], pae);
    }

    [Fact]
    public void Encode_LongBody_DecimalLengthWithoutLeadingZeros()
    {
        var body = new byte[1234];

        var pae = Pae.Encode(PayloadTypes.ResultProtocol, body);

        var header = $"DSSEv1 {PayloadTypes.ResultProtocol.Length} {PayloadTypes.ResultProtocol} 1234 ";
        Assert.Equal(Encoding.ASCII.GetBytes(header), pae[..header.Length]);
        Assert.Equal(header.Length + 1234, pae.Length);
    }
}
