using System.Diagnostics.CodeAnalysis;
using Google.Protobuf;
using Transmission.Core.Envelope;
using ProtoEnvelope = Transmission.Contracts.V1.Envelope;
using ProtoSignature = Transmission.Contracts.V1.EnvelopeSignature;

namespace Transmission.Contracts.Mapping;

/// <summary>The outcome of <see cref="EnvelopeMapping.Parse"/>: an envelope, or <c>ENVELOPE_MALFORMED</c> with a detail.</summary>
// Invariant: exactly one of Envelope and Failure is set.
public sealed record EnvelopeParseResult(SignedEnvelope? Envelope, EnvelopeFailure? Failure, string Detail)
{
    /// <summary>Whether the bytes parsed.</summary>
    [MemberNotNullWhen(true, nameof(Envelope))]
    [MemberNotNullWhen(false, nameof(Failure))]
    public bool IsSuccess => Envelope is not null;

    /// <summary>The reason code (<c>ENVELOPE_MALFORMED</c>) or <see langword="null"/>.</summary>
    public string? ReasonCode => Failure?.ToReasonCode();
}

/// <summary>
/// Envelope bytes (protobuf <c>transmission.v1.Envelope</c>, proto/transmission/v1/common.proto) to and from the
/// domain <see cref="SignedEnvelope"/>.
/// </summary>
/// <remarks>
/// Parsing accepts only the canonical encoding: the bytes must be exactly what serializing the parsed message gives
/// (fields in order, once each, minimal lengths, valid UTF-8, no unknown fields). The identity of an envelope is
/// SHA-256 of its bytes as received, so a second encoding of the same content must not exist.
/// </remarks>
public static class EnvelopeMapping
{
    private static readonly MessageParser<ProtoEnvelope> Parser = ProtoEnvelope.Parser.WithDiscardUnknownFields(true);

    /// <summary>Parses envelope bytes; malformed input gives <c>ENVELOPE_MALFORMED</c>, never an exception.</summary>
    public static EnvelopeParseResult Parse(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return Malformed("no envelope bytes");
        }

        ProtoEnvelope message;
        try
        {
            message = Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException e)
        {
            return Malformed("not a protobuf Envelope: " + e.Message);
        }

        if (!message.ToByteArray().AsSpan().SequenceEqual(bytes))
        {
            return Malformed("not the canonical protobuf encoding of an Envelope (unknown, repeated or reordered fields, or invalid UTF-8)");
        }

        var signatures = new EnvelopeSignature[message.Signatures.Count];
        for (var i = 0; i < signatures.Length; i++)
        {
            var s = message.Signatures[i];
            signatures[i] = new EnvelopeSignature(s.Algorithm, s.Sig.Memory, s.Certificate.Memory, s.Keyid);
        }

        return new EnvelopeParseResult(new SignedEnvelope(message.PayloadType, message.Payload.Memory, signatures), null, string.Empty);
    }

    /// <summary>Serializes <paramref name="envelope"/>; these are the bytes to store and send.</summary>
    public static byte[] ToBytes(SignedEnvelope envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        var message = new ProtoEnvelope
        {
            PayloadType = envelope.PayloadType,
            Payload = ByteString.CopyFrom(envelope.Payload.Span),
        };
        foreach (var s in envelope.Signatures)
        {
            message.Signatures.Add(new ProtoSignature
            {
                Algorithm = s.Algorithm,
                Sig = ByteString.CopyFrom(s.Signature.Span),
                Certificate = ByteString.CopyFrom(s.CertificateDer.Span),
                Keyid = s.KeyId,
            });
        }

        return message.ToByteArray();
    }

    private static EnvelopeParseResult Malformed(string detail) => new(null, EnvelopeFailure.EnvelopeMalformed, detail);
}
