using Transmission.Grpc.Internal;

namespace Transmission.Grpc.Tests.Internal;

public sealed class MetadataTests
{
    [Fact]
    public void Add_UppercaseKey_IsLowercased()
    {
        var metadata = new Metadata { { "X-Station", "T-001" } };

        Assert.Equal("x-station", metadata[0].Key);
        Assert.Equal("T-001", metadata.GetValue("x-station"));
    }

    [Theory]
    [InlineData("bad key")]
    [InlineData("bad:key")]
    [InlineData("ключ")]
    [InlineData("grpc-status")]
    [InlineData("")]
    public void Add_InvalidKey_Throws(string key)
    {
        Assert.ThrowsAny<ArgumentException>(() => new Metadata { { key, "v" } });
    }

    [Theory]
    [InlineData("line\nbreak")]
    [InlineData("tab\t")]
    [InlineData("é")]
    public void Add_NonPrintableValue_Throws(string value)
    {
        Assert.Throws<ArgumentException>(() => new Metadata { { "x-key", value } });
    }

    [Fact]
    public void Add_StringForBinaryKey_Throws()
    {
        Assert.Throws<ArgumentException>(() => new Metadata { { "x-key-bin", "text" } });
    }

    [Fact]
    public void Add_BytesForTextKey_Throws()
    {
        Assert.Throws<ArgumentException>(() => new Metadata { { "x-key", new byte[] { 1 } } });
    }

    [Fact]
    public void Add_BytesForBinaryKey_Kept()
    {
        var metadata = new Metadata { { "x-key-bin", new byte[] { 0, 255 } } };

        Assert.True(metadata[0].IsBinary);
        Assert.Equal(new byte[] { 0, 255 }, metadata.GetValueBytes("x-key-bin"));
        Assert.Throws<InvalidOperationException>(() => metadata[0].Value);
    }

    [Fact]
    public void Empty_Add_Throws()
    {
        Assert.Throws<InvalidOperationException>(() => Metadata.Empty.Add("x-key", "v"));
    }

    [Theory]
    [InlineData(new byte[] { }, "")]
    [InlineData(new byte[] { 1 }, "AQ")]
    [InlineData(new byte[] { 1, 2 }, "AQI")]
    [InlineData(new byte[] { 1, 2, 3 }, "AQID")]
    public void EncodeBase64_Value_Unpadded(byte[] value, string expected)
    {
        Assert.Equal(expected, MetadataHeaders.EncodeBase64(value));
        Assert.Equal(value, MetadataHeaders.DecodeBase64(expected));
    }

    [Theory]
    [InlineData("AQ==", new byte[] { 1 })]
    [InlineData("AQI=", new byte[] { 1, 2 })]
    public void DecodeBase64_Padded_Accepted(string value, byte[] expected)
    {
        Assert.Equal(expected, MetadataHeaders.DecodeBase64(value));
    }

    [Theory]
    [InlineData("A")]
    [InlineData("!!!!")]
    public void DecodeBase64_Invalid_Throws(string value)
    {
        Assert.Throws<FormatException>(() => MetadataHeaders.DecodeBase64(value));
    }

    [Theory]
    [InlineData("content-type", true)]
    [InlineData("te", true)]
    [InlineData("grpc-timeout", true)]
    [InlineData(":path", true)]
    [InlineData("user-agent", false)]
    [InlineData("x-station", false)]
    public void IsReservedHeader_Name_Classified(string name, bool reserved)
    {
        Assert.Equal(reserved, GrpcProtocolConstants.IsReservedHeader(name));
    }

    [Theory]
    [InlineData("127.0.0.1", 5555, "ipv4:127.0.0.1:5555")]
    [InlineData("::ffff:10.0.0.1", 1, "ipv4:10.0.0.1:1")]
    [InlineData("::1", 443, "ipv6:[::1]:443")]
    public void FormatPeer_Address_GrpcForm(string address, int port, string expected)
    {
        Assert.Equal(expected, MetadataHeaders.FormatPeer(System.Net.IPAddress.Parse(address), port));
    }
}
