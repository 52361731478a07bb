using Transmission.Grpc;

namespace Transmission.Central.Submission;

/// <summary>
/// Why one protocol of a Submit stream was refused: a stable code, the gRPC status it corresponds to and a message for
/// people. Sent in-band as <c>SubmitResponse.rejection</c>; the stream goes on with the next protocol.
/// </summary>
/// <param name="Code">Stable reason code, e.g. <c>SIGNATURE_INVALID</c>.</param>
/// <param name="Status">The gRPC status the refusal corresponds to.</param>
/// <param name="Message">Plain words; never payload bytes.</param>
public sealed record SubmissionRefusal(string Code, StatusCode Status, string Message);

/// <summary>The reason codes Central's ingestion adds to the envelope, mapping and protocol-rule codes.</summary>
public static class SubmissionCodes
{
    /// <summary>The TLS caller, the envelope's signer and the payload's station are not the same station (PERMISSION_DENIED).</summary>
    public const string StationMismatch = "STATION_MISMATCH";

    /// <summary>The envelope bytes exceed <see cref="SubmissionLimits.MaxEnvelopeBytes"/> (RESOURCE_EXHAUSTED).</summary>
    public const string EnvelopeTooLarge = "ENVELOPE_TOO_LARGE";

    /// <summary>The verified payload is not a <c>transmission.v1.ResultProtocol</c> (INVALID_ARGUMENT).</summary>
    public const string PayloadMalformed = "PAYLOAD_MALFORMED";

    /// <summary>More attachments than <see cref="SubmissionLimits.MaxAttachments"/>, or one declared larger than <see cref="SubmissionLimits.MaxAttachmentBytes"/> (RESOURCE_EXHAUSTED).</summary>
    public const string AttachmentLimit = "ATTACHMENT_LIMIT";

    /// <summary>A chunk's attachment index goes back, skips one, or is beyond the declared attachments (INVALID_ARGUMENT).</summary>
    public const string AttachmentOutOfOrder = "ATTACHMENT_OUT_OF_ORDER";

    /// <summary>An attachment carries more bytes than declared, or fewer by the time the next one (or the end) comes (INVALID_ARGUMENT).</summary>
    public const string AttachmentSizeMismatch = "ATTACHMENT_SIZE_MISMATCH";

    /// <summary>An attachment's bytes do not have the signed SHA-256 (INVALID_ARGUMENT).</summary>
    public const string AttachmentDigestMismatch = "ATTACHMENT_DIGEST_MISMATCH";

    /// <summary>Another protocol was already accepted for this station and revision; this one is kept as evidence (ALREADY_EXISTS).</summary>
    public const string RevisionConflict = "REVISION_CONFLICT";

    /// <summary>A higher revision of this station was already accepted (FAILED_PRECONDITION).</summary>
    public const string RevisionStale = "REVISION_STALE";

    /// <summary>Security event kind for a refused protocol (the detail starts with its code).</summary>
    public const string RejectedEventKind = "SUBMISSION_REJECTED";

    /// <summary>Security event kind for a Submit stream ended because it broke the stream rules.</summary>
    public const string StreamInvalidEventKind = "SUBMIT_STREAM_INVALID";
}
