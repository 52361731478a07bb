using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Google.Protobuf;
using Transmission.Contracts.Mapping;
using Transmission.Contracts.V1;
using Transmission.Core.Envelope;
using Transmission.Core.Pki;

namespace Transmission.Contracts.Receipts;

/// <summary>
/// Central's receipts: a DSSE envelope of payload type <see cref="PayloadTypes.Receipt"/> whose payload is a
/// serialized <see cref="ReceiptBody"/>, signed by Central's receipt/log signing key (a central-signing
/// certificate of the election root). The station keeps the exact bytes as its proof that Central
/// accepted exactly that protocol.
/// </summary>
public static class Receipts
{
    /// <summary>Signs <paramref name="body"/> and returns the receipt envelope's bytes.</summary>
    public static byte[] Issue(ReceiptBody body, ECDsa key, X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(body);
        var envelope = EnvelopeSigner.Sign(PayloadTypes.Receipt, body.ToByteArray(), key, certificate);
        return EnvelopeMapping.ToBytes(envelope);
    }

    /// <summary>
    /// Verifies a receipt as of <paramref name="at"/>: well-formed envelope, signed by a Central signing
    /// certificate of the election root, payload type receipt, and a body that parses.
    /// </summary>
    public static ReceiptCheck Verify(ReadOnlySpan<byte> receipt, EnvelopeVerifier verifier, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(verifier);
        var parsed = EnvelopeMapping.Parse(receipt);
        if (parsed.Envelope is not { } envelope)
        {
            return ReceiptCheck.Fail(parsed.ReasonCode ?? "ENVELOPE_MALFORMED", parsed.Detail);
        }

        var verification = verifier.Verify(envelope, PayloadTypes.Receipt, at, Role.Central);
        if (!verification.IsValid)
        {
            var reason = verification.PkiReasonCode is { } pki ? $"{verification.ReasonCode} ({pki})" : verification.ReasonCode;
            return ReceiptCheck.Fail(verification.ReasonCode ?? "SIGNATURE_INVALID", $"{reason}: {verification.Detail}");
        }

        ReceiptBody body;
        try
        {
            body = ReceiptBody.Parser.ParseFrom(envelope.Payload.Span);
        }
        catch (InvalidProtocolBufferException ex)
        {
            return ReceiptCheck.Fail(ReceiptCheck.Malformed, $"the receipt body does not parse: {ex.Message}");
        }

        return ReceiptCheck.Valid(body);
    }

    /// <summary>
    /// As <see cref="Verify(ReadOnlySpan{byte}, EnvelopeVerifier, DateTimeOffset)"/>, and checks that the receipt is for
    /// exactly the envelope <paramref name="envelopeSha256"/> of <paramref name="stationCode"/>, revision <paramref name="revision"/>.
    /// </summary>
    public static ReceiptCheck VerifyFor(
        ReadOnlySpan<byte> receipt,
        EnvelopeVerifier verifier,
        DateTimeOffset at,
        ReadOnlySpan<byte> envelopeSha256,
        string stationCode,
        uint revision)
    {
        var check = Verify(receipt, verifier, at);
        if (check.Body is not { } body)
        {
            return check;
        }

        if (!body.EnvelopeSha256.Span.SequenceEqual(envelopeSha256))
        {
            return ReceiptCheck.Fail(ReceiptCheck.Mismatch, "the receipt is for another envelope");
        }

        if (!string.Equals(body.StationCode, stationCode, StringComparison.Ordinal) || body.Revision != revision)
        {
            return ReceiptCheck.Fail(ReceiptCheck.Mismatch, $"the receipt is for {body.StationCode} revision {body.Revision}, not {stationCode} revision {revision}");
        }

        return check;
    }
}

/// <summary>The outcome of checking a receipt: the body when valid, otherwise a reason code and a detail.</summary>
public sealed record ReceiptCheck
{
    /// <summary>RECEIPT_MALFORMED: the receipt body does not parse.</summary>
    public const string Malformed = "RECEIPT_MALFORMED";

    /// <summary>RECEIPT_MISMATCH: a valid receipt, but for another envelope, station or revision.</summary>
    public const string Mismatch = "RECEIPT_MISMATCH";

    private ReceiptCheck(ReceiptBody? body, string? reasonCode, string detail)
    {
        Body = body;
        ReasonCode = reasonCode;
        Detail = detail;
    }

    /// <summary>The verified body, or null.</summary>
    public ReceiptBody? Body { get; }

    /// <summary>Why the receipt was refused, or null.</summary>
    public string? ReasonCode { get; }

    /// <summary>Plain words for the refusal; empty when valid.</summary>
    public string Detail { get; }

    /// <summary>True when the receipt verified.</summary>
    public bool IsValid => Body is not null;

    internal static ReceiptCheck Valid(ReceiptBody body) => new(body, null, string.Empty);

    internal static ReceiptCheck Fail(string reasonCode, string detail) => new(null, reasonCode, detail);
}
