using System.Text.Json.Serialization;

namespace Transmission.Audit.Bundle;

/// <summary>
/// One element of <c>log/entries.json</c>: what Central recorded about a log entry. Nothing here is trusted by a
/// verifier; every fact is checked against the entry bytes, which the checkpoint covers.
/// </summary>
public sealed record EntryFacts
{
    /// <summary>The entry's position in the log (0-based); equals its position in the file.</summary>
    [JsonPropertyName("index")]
    public required long Index { get; init; }

    /// <summary><c>submission</c>, <c>decision</c> or <c>revocation</c>.</summary>
    [JsonPropertyName("kind")]
    public required string Kind { get; init; }

    /// <summary>The Merkle leaf hash <c>SHA-256(0x00 ‖ entry bytes)</c>, lowercase hex.</summary>
    [JsonPropertyName("leafHash")]
    public required string LeafHash { get; init; }

    /// <summary>
    /// Central's time of the entry (ISO 8601 UTC with milliseconds): when it received the submission, decided, or put
    /// the revocation in force.
    /// </summary>
    [JsonPropertyName("at")]
    public required string At { get; init; }

    /// <summary>Submissions only: SHA-256 of the envelope bytes (the entry bytes), lowercase hex; the receipt's hash.</summary>
    [JsonPropertyName("envelopeSha256")]
    public string? EnvelopeSha256 { get; init; }

    /// <summary>Submissions only: the station, from the verified payload.</summary>
    [JsonPropertyName("stationCode")]
    public string? StationCode { get; init; }

    /// <summary>Submissions only: the revision, from the verified payload.</summary>
    [JsonPropertyName("revision")]
    public int? Revision { get; init; }

    /// <summary>Submissions only: the Flag-level rule codes Central assigned when it stored the submission.</summary>
    [JsonPropertyName("flags")]
    public IReadOnlyList<string>? Flags { get; init; }

    /// <summary>Submissions only: how many committee co-signatures Central verified.</summary>
    [JsonPropertyName("verifiedCosignatures")]
    public int? VerifiedCosignatures { get; init; }

    /// <summary>Submissions only: the attachments the protocol declares, as signed.</summary>
    [JsonPropertyName("attachments")]
    public IReadOnlyList<AttachmentFacts>? Attachments { get; init; }
}

/// <summary>An attachment a protocol declares (name, media type, size and SHA-256 exactly as signed).</summary>
public sealed record AttachmentFacts
{
    /// <summary>The file name the station gave.</summary>
    [JsonPropertyName("name")]
    public required string Name { get; init; }

    /// <summary><c>image/png</c>, <c>image/jpeg</c> or <c>application/pdf</c>.</summary>
    [JsonPropertyName("mediaType")]
    public required string MediaType { get; init; }

    /// <summary>The size in bytes.</summary>
    [JsonPropertyName("size")]
    public required long Size { get; init; }

    /// <summary>The SHA-256 of the bytes, lowercase hex; the file is <c>attachments/&lt;sha256&gt;</c>.</summary>
    [JsonPropertyName("sha256")]
    public required string Sha256 { get; init; }
}
