using Google.Protobuf;
using Transmission.Contracts.Mapping;
using Transmission.Core.Envelope;
using ProtoEnvelope = Transmission.Contracts.V1.Envelope;

namespace Transmission.Core.Tests.Envelope;

public sealed class EnvelopeMappingTests
{
    private static readonly SignedEnvelope Sample = new(
        PayloadTypes.ResultProtocol,
        new byte[] { 1, 2, 3 },
        [new EnvelopeSignature(EcdsaP256.AlgorithmName, new byte[64], new byte[] { 0x30, 0x00 }, new string('a', 64))]);

    [Fact]
    public void Parse_ToBytes_SameContent()
    {
        var parsed = EnvelopeMapping.Parse(EnvelopeMapping.ToBytes(Sample));

        Assert.True(parsed.IsSuccess, parsed.Detail);
        Assert.Equal(Sample.PayloadType, parsed.Envelope.PayloadType);
        Assert.Equal(Sample.Payload.ToArray(), parsed.Envelope.Payload.ToArray());
        var signature = Assert.Single(parsed.Envelope.Signatures);
        Assert.Equal((EcdsaP256.AlgorithmName, 64, 2, new string('a', 64)), (signature.Algorithm, signature.Signature.Length, signature.CertificateDer.Length, signature.KeyId));
    }

    [Theory]
    [InlineData("")]
    [InlineData("0a")]
    [InlineData("0aff")]
    [InlineData("ffffffffffffffffffff01")]
    [InlineData("1a05")]
    public void Parse_MalformedBytes_EnvelopeMalformed(string hex)
    {
        var result = EnvelopeMapping.Parse(Convert.FromHexString(hex));

        Assert.False(result.IsSuccess);
        Assert.Equal("ENVELOPE_MALFORMED", result.ReasonCode);
    }

    [Fact]
    public void Parse_UnknownFieldAppended_EnvelopeMalformed()
    {
        // Field 15, varint 1: unauthenticated extra bytes would give the same envelope a second identity.
        byte[] bytes = [.. EnvelopeMapping.ToBytes(Sample), 0x78, 0x01];

        Assert.Equal("ENVELOPE_MALFORMED", EnvelopeMapping.Parse(bytes).ReasonCode);
    }

    [Fact]
    public void Parse_FieldRepeated_EnvelopeMalformed()
    {
        // A second payload_type: protobuf keeps the last one, so two encodings would parse alike.
        var extra = new ProtoEnvelope { PayloadType = PayloadTypes.ResultProtocol }.ToByteArray();
        byte[] bytes = [.. extra, .. EnvelopeMapping.ToBytes(Sample)];

        Assert.Equal("ENVELOPE_MALFORMED", EnvelopeMapping.Parse(bytes).ReasonCode);
    }

    [Fact]
    public void Parse_InvalidUtf8InPayloadType_EnvelopeMalformed()
    {
        byte[] bytes = [0x0a, 0x02, 0xc3, 0x28];

        Assert.Equal("ENVELOPE_MALFORMED", EnvelopeMapping.Parse(bytes).ReasonCode);
    }
}
