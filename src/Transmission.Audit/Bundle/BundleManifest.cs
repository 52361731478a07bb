using System.Text.Json.Serialization;

namespace Transmission.Audit.Bundle;

/// <summary>
/// <c>MANIFEST.json</c>: what the bundle is and every other file with its size and SHA-256, sorted by path (ordinal).
/// A convenience for completeness checks after a transfer; it is not a trust anchor (the signed checkpoint is).
/// </summary>
public sealed record BundleManifest
{
    /// <summary>Always <see cref="BundleFormat.Name"/>.</summary>
    [JsonPropertyName("format")]
    public required string Format { get; init; }

    /// <summary>The election.</summary>
    [JsonPropertyName("electionId")]
    public required string ElectionId { get; init; }

    /// <summary><c>test</c> or <c>live</c>.</summary>
    [JsonPropertyName("mode")]
    public required string Mode { get; init; }

    /// <summary>The number of log entries in the bundle (the checkpoint's tree size).</summary>
    [JsonPropertyName("logSize")]
    public required long LogSize { get; init; }

    /// <summary>Whether <c>attachments/</c> holds every attachment the logged protocols declare.</summary>
    [JsonPropertyName("includesAttachments")]
    public required bool IncludesAttachments { get; init; }

    /// <summary>Every file of the bundle except the manifest itself.</summary>
    [JsonPropertyName("files")]
    public required IReadOnlyList<ManifestFile> Files { get; init; }
}

/// <summary>One file of the bundle.</summary>
public sealed record ManifestFile
{
    /// <summary>The bundle path (<see cref="BundlePaths"/>).</summary>
    [JsonPropertyName("path")]
    public required string Path { get; init; }

    /// <summary>The size in bytes.</summary>
    [JsonPropertyName("size")]
    public required long Size { get; init; }

    /// <summary>The SHA-256 of the bytes, lowercase hex.</summary>
    [JsonPropertyName("sha256")]
    public required string Sha256 { get; init; }
}
