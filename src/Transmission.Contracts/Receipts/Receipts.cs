using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Google.Protobuf;
using Transmission.Contracts.Mapping;
using Transmission.Contracts.V1;
using Transmission.Core.Envelope;
using Transmission.Core.Log;
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
    /// exactly <paramref name="envelope"/> (the bytes sent) of <paramref name="stationCode"/>, revision
    /// <paramref name="revision"/>, and that it proves the envelope in the log: the checkpoint it carries is signed by
    /// the receipt's own signer for the election's log, and the inclusion proof leads from the envelope's leaf at
    /// <c>log_index</c> to that checkpoint's root (docs/protocol.md §8.4).
    /// </summary>
    public static ReceiptCheck VerifyFor(
        ReadOnlySpan<byte> receipt,
        EnvelopeVerifier verifier,
        DateTimeOffset at,
        ReadOnlySpan<byte> envelope,
        string stationCode,
        uint revision)
    {
        var check = Verify(receipt, verifier, at);
        if (check.Body is not { } body)
        {
            return check;
        }

        if (!body.EnvelopeSha256.Span.SequenceEqual(SHA256.HashData(envelope)))
        {
            return ReceiptCheck.Fail(ReceiptCheck.Mismatch, "the receipt is for another envelope");
        }

        if (!string.Equals(body.StationCode, stationCode, StringComparison.Ordinal) || body.Revision != revision)
        {
            return ReceiptCheck.Fail(ReceiptCheck.Mismatch, $"the receipt is for {body.StationCode} revision {body.Revision}, not {stationCode} revision {revision}");
        }

        var signed = VerifyCheckpoint(body, receipt);
        if (signed.Checkpoint is not { } checkpoint)
        {
            return ReceiptCheck.Fail(ReceiptCheck.CheckpointInvalid, $"the receipt's checkpoint does not verify ({signed.ReasonCode}: {signed.Detail})");
        }

        var proof = body.InclusionProof.Select(h => h.ToByteArray()).ToArray();
        var index = body.LogIndex > long.MaxValue ? -1 : (long)body.LogIndex;
        var inclusion = MerkleProofs.VerifyInclusion(MerkleHash.LeafHash(envelope), index, checkpoint.TreeSize, proof, checkpoint.RootHash);
        if (!inclusion.IsValid)
        {
            return ReceiptCheck.Fail(ReceiptCheck.InclusionInvalid, $"the receipt does not prove the envelope at log index {body.LogIndex} of a tree of {checkpoint.TreeSize} ({inclusion})");
        }

        return ReceiptCheck.Valid(body, checkpoint);
    }

    /// <summary>
    /// The checkpoint key of a receipt's signer: the central-signing certificate's public key, named with the log origin
    /// of <paramref name="electionId"/>. Null when <paramref name="receipt"/> does not parse or its certificate has no
    /// P-256 key (the receipt would not have verified).
    /// </summary>
    public static CheckpointKey? CheckpointKeyOf(ReadOnlySpan<byte> receipt, string electionId)
    {
        if (EnvelopeMapping.Parse(receipt).Envelope is not { Signatures.Count: > 0 } envelope)
        {
            return null;
        }

        try
        {
            using var certificate = X509CertificateLoader.LoadCertificate(envelope.Signatures[0].CertificateDer.Span);
            // The key object lives on in the CheckpointKey: not disposed here.
            var key = certificate.GetECDsaPublicKey();
            return key is null ? null : new CheckpointKey(LogEntryTypes.Origin(electionId), key);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            return null;
        }
    }

    private static CheckpointResult VerifyCheckpoint(ReceiptBody body, ReadOnlySpan<byte> receipt)
    {
        if (body.Checkpoint.IsEmpty)
        {
            return CheckpointResult.Fail(CheckpointFailure.NoteMalformed, "the receipt carries no checkpoint");
        }

        if (CheckpointKeyOf(receipt, body.ElectionId) is not { } key)
        {
            return CheckpointResult.Fail(CheckpointFailure.SignatureInvalid, "the receipt's signer has no usable key");
        }

        return CheckpointNote.Verify(body.Checkpoint.ToStringUtf8(), key);
    }
}

/// <summary>The outcome of checking a receipt: the body when valid, otherwise a reason code and a detail.</summary>
public sealed record ReceiptCheck
{
    /// <summary>RECEIPT_MALFORMED: the receipt body does not parse.</summary>
    public const string Malformed = "RECEIPT_MALFORMED";

    /// <summary>RECEIPT_MISMATCH: a valid receipt, but for another envelope, station or revision.</summary>
    public const string Mismatch = "RECEIPT_MISMATCH";

    /// <summary>RECEIPT_CHECKPOINT_INVALID: the checkpoint in the receipt is missing, malformed, or not signed by the receipt's signer for this election's log.</summary>
    public const string CheckpointInvalid = "RECEIPT_CHECKPOINT_INVALID";

    /// <summary>RECEIPT_INCLUSION_INVALID: the inclusion proof does not lead from the envelope's leaf to the checkpoint's root.</summary>
    public const string InclusionInvalid = "RECEIPT_INCLUSION_INVALID";

    private ReceiptCheck(ReceiptBody? body, string? reasonCode, string detail, Checkpoint? checkpoint = null)
    {
        Checkpoint = checkpoint;
        Body = body;
        ReasonCode = reasonCode;
        Detail = detail;
    }

    /// <summary>The receipt's verified checkpoint (only from <see cref="Receipts.VerifyFor"/>), or null.</summary>
    public Checkpoint? Checkpoint { get; }

    /// <summary>The verified body, or null.</summary>
    public ReceiptBody? Body { get; }

    /// <summary>Why the receipt was refused, or null.</summary>
    public string? ReasonCode { get; }

    /// <summary>Plain words for the refusal; empty when valid.</summary>
    public string Detail { get; }

    /// <summary>True when the receipt verified.</summary>
    public bool IsValid => Body is not null;

    internal static ReceiptCheck Valid(ReceiptBody body, Checkpoint? checkpoint = null) => new(body, null, string.Empty, checkpoint);

    internal static ReceiptCheck Fail(string reasonCode, string detail) => new(null, reasonCode, detail);
}
