using System.Globalization;

namespace Transmission.Central.Submission;

/// <summary>What one submitted protocol may carry ("Central:Submission"). Larger input is refused in-band with RESOURCE_EXHAUSTED.</summary>
public sealed class SubmissionLimits
{
    /// <summary>Attachments one protocol may declare. Defaults to 8.</summary>
    public int MaxAttachments { get; set; } = 8;

    /// <summary>Bytes one attachment may declare and carry. Defaults to 20,971,520 (20 MiB).</summary>
    public long MaxAttachmentBytes { get; set; } = 20L * 1024 * 1024;

    /// <summary>Bytes of one signed envelope. Defaults to 1,048,576 (1 MiB).</summary>
    public int MaxEnvelopeBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// Parsed signer certificates (and their public keys) kept for signers seen again: a re-sent protocol, a correction.
    /// Each costs about 3.3 KB (measured, mostly native); most stations send once, so a large cache is memory spent
    /// for nothing. Defaults to 16,384: the signers of the last few minutes of a busy night.
    /// </summary>
    public int SignerCacheCapacity { get; set; } = 16_384;

    /// <summary>The first unusable limit as one readable line, or null.</summary>
    public string? Validate()
    {
        if (MaxAttachments < 0)
        {
            return string.Create(CultureInfo.InvariantCulture, $"Central:Submission:MaxAttachments {MaxAttachments} is negative.");
        }

        if (MaxAttachmentBytes < 1)
        {
            return string.Create(CultureInfo.InvariantCulture, $"Central:Submission:MaxAttachmentBytes {MaxAttachmentBytes} must be at least 1.");
        }

        if (MaxEnvelopeBytes < 1024)
        {
            return string.Create(CultureInfo.InvariantCulture, $"Central:Submission:MaxEnvelopeBytes {MaxEnvelopeBytes} is below the minimum of 1024 bytes.");
        }

        if (SignerCacheCapacity < 2)
        {
            return string.Create(CultureInfo.InvariantCulture, $"Central:Submission:SignerCacheCapacity {SignerCacheCapacity} is below the minimum of 2.");
        }

        return null;
    }
}
