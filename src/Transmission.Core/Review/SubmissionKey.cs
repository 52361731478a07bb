namespace Transmission.Core.Review;

/// <summary>
/// Names one submission exactly: a station's revision and the SHA-256 of the signed envelope that carried it, so a
/// decision can never be applied to different bytes than the verifier looked at.
/// </summary>
/// <remarks>Invariant: non-empty station code, revision ≥ 1, envelope digest of 64 lowercase hex digits.</remarks>
public sealed record SubmissionKey
{
    /// <summary>A key; throws for a malformed one (a bug in the caller: keys come from stored submissions).</summary>
    /// <param name="stationCode">The station's code.</param>
    /// <param name="revision">The protocol's revision (1, then corrections).</param>
    /// <param name="envelopeSha256Hex">Lowercase hex SHA-256 of the signed envelope bytes.</param>
    public SubmissionKey(string stationCode, int revision, string envelopeSha256Hex)
    {
        ArgumentException.ThrowIfNullOrEmpty(stationCode);
        ArgumentOutOfRangeException.ThrowIfLessThan(revision, 1);
        ArgumentNullException.ThrowIfNull(envelopeSha256Hex);
        if (envelopeSha256Hex.Length != 64 || !envelopeSha256Hex.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f'))
        {
            throw new ArgumentException("The envelope digest must be 64 lowercase hex digits.", nameof(envelopeSha256Hex));
        }

        StationCode = stationCode;
        Revision = revision;
        EnvelopeSha256Hex = envelopeSha256Hex;
    }

    /// <summary>The station's code.</summary>
    public string StationCode { get; }

    /// <summary>The protocol's revision (≥ 1).</summary>
    public int Revision { get; }

    /// <summary>Lowercase hex SHA-256 of the signed envelope bytes.</summary>
    public string EnvelopeSha256Hex { get; }

    /// <inheritdoc/>
    public override string ToString() => $"{StationCode} r{Revision} {EnvelopeSha256Hex[..12]}…";
}
