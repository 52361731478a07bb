using Transmission.Grpc.Internal;

namespace Transmission.Grpc.Tests.Internal;

public sealed class PercentEncodingTests
{
    [Theory]
    [InlineData("", "")]
    [InlineData("plain ASCII text ~!", "plain ASCII text ~!")]
    [InlineData("100%", "100%25")]
    [InlineData("a\tb\nc\r", "a%09b%0Ac%0D")]
    [InlineData("\u007F", "%7F")]
    [InlineData("é", "%C3%A9")]
    [InlineData("☺", "%E2%98%BA")]
    [InlineData("😀", "%F0%9F%98%80")]
    [InlineData("a:b/c?d=e&f", "a:b/c?d=e&f")]
    public void Encode_Value_EscapesOnlyOutsidePrintableAsciiAndPercent(string value, string expected)
    {
        Assert.Equal(expected, PercentEncoding.Encode(value));
    }

    [Theory]
    [InlineData("")]
    [InlineData("Deadline Exceeded")]
    [InlineData("ünïcödé ☺ 😀 — 50% off\t\n\0")]
    [InlineData("already looks encoded: %3A %25 %zz %")]
    [InlineData("Станция T-001 не найдена")]
    public void Encode_ThenDecode_RoundTrips(string value)
    {
        Assert.Equal(value, PercentEncoding.Decode(PercentEncoding.Encode(value)));
    }

    [Fact]
    public void Encode_LiteralPercent3A_IsEscapedSoItIsNotDecoded()
    {
        // grpc-js leaves %3A undecoded, so we never produce it for ':'; a literal "%3A"
        // in a message must become "%253A" to survive a decoder.
        Assert.Equal("%253A", PercentEncoding.Encode("%3A"));
        Assert.Equal(":", PercentEncoding.Encode(":"));
    }

    [Theory]
    [InlineData("%", "%")]
    [InlineData("%4", "%4")]
    [InlineData("%zz", "%zz")]
    [InlineData("%41", "A")]
    [InlineData("%c3%a9", "é")]
    [InlineData("%FF", "\uFFFD")]
    [InlineData("ab%", "ab%")]
    public void Decode_Lenient_KeepsInvalidEscapes(string value, string expected)
    {
        Assert.Equal(expected, PercentEncoding.Decode(value));
    }
}
