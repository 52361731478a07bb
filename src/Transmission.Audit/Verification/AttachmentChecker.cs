using System.Collections.Concurrent;
using System.Security.Cryptography;
using Transmission.Audit.Bundle;

namespace Transmission.Audit.Verification;

/// <summary>Checks attachment files against their signed digests, each file once (several revisions may share a scan). Thread-safe.</summary>
internal sealed class AttachmentChecker(BundleReader bundle)
{
    private readonly ConcurrentDictionary<string, Lazy<(long Size, string Sha256)?>> _files = new(StringComparer.Ordinal);

    /// <summary>Distinct attachment files read so far.</summary>
    public long Checked => _files.Values.Count(v => v.IsValueCreated && v.Value is not null);

    /// <summary>The size and SHA-256 of <c>attachments/&lt;sha256Hex&gt;</c>, or <see langword="null"/> when the bundle does not have it.</summary>
    public (long Size, string Sha256)? Measure(string sha256Hex) =>
        _files.GetOrAdd(sha256Hex, key => new Lazy<(long, string)?>(() => Read(key))).Value;

    private (long, string)? Read(string sha256Hex)
    {
        using var stream = bundle.OpenRead(BundlePaths.Attachment(sha256Hex));
        if (stream is null)
        {
            return null;
        }

        return (stream.Length, Convert.ToHexStringLower(SHA256.HashData(stream)));
    }
}
