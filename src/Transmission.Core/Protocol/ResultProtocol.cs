using System.Security.Cryptography;
using Transmission.Core.Election;

namespace Transmission.Core.Protocol;

/// <summary>
/// The result protocol of one polling station (design §4–5), the domain form of
/// <c>transmission.v1.ResultProtocol</c>. Counts are <see cref="long"/>: the contract mapper and the template reader
/// refuse values above <see cref="MaxCount"/>, and negative values exist only in drafts, where
/// <see cref="ProtocolValidator"/> reports them as <c>COUNT_NEGATIVE</c>.
/// </summary>
/// <remarks>
/// A record for convenient <c>with</c> copies; equality of its lists and bytes is by reference, so compare
/// protocols by their serialized payload (whose SHA-256 is the protocol's identity), not with <c>==</c>.
/// </remarks>
public sealed record ResultProtocol
{
    /// <summary>
    /// The largest count a protocol may carry: 1,000,000,000,000 (10^12), far above any polling station. The bound
    /// keeps the sum over every station of an election (up to 9 million stations) inside a 64-bit total: with counts
    /// up to <see cref="long.MaxValue"/>, one station's protocol made every later station's overflow the checked
    /// totals, and those honest protocols were left out of the totals and the review board.
    /// </summary>
    public const long MaxCount = 1_000_000_000_000;

    /// <summary>The election the protocol belongs to.</summary>
    public required string ElectionId { get; init; }

    /// <summary>SHA-256 (32 bytes) of the election definition file the protocol was made against.</summary>
    public required ReadOnlyMemory<byte> DefinitionSha256 { get; init; }

    /// <summary>Test or live; must match the definition.</summary>
    public required ElectionMode Mode { get; init; }

    /// <summary>The station's code, as in its certificate.</summary>
    public required string StationCode { get; init; }

    /// <summary>1 for the first protocol of a station; corrections count up from there.</summary>
    public required int Revision { get; init; }

    /// <summary>Why this revision corrects an earlier one; required when <see cref="Revision"/> &gt; 1, otherwise empty.</summary>
    public string CorrectionReason { get; init; } = string.Empty;

    /// <summary>When the chair signed; <see langword="null"/> in a draft that is not signed yet.</summary>
    public DateTimeOffset? SignedAt { get; init; }

    /// <summary>The ballot counts.</summary>
    public required BallotCounts Ballots { get; init; }

    /// <summary>Per contest, the votes of each choice.</summary>
    public required IReadOnlyList<ContestResult> Contests { get; init; }

    /// <summary>Digests of the scans of the paper form that travel with the protocol.</summary>
    public IReadOnlyList<AttachmentDigest> Attachments { get; init; } = [];

    /// <summary>The chair's written explanation when the protocol breaks an arithmetic rule on purpose; otherwise empty.</summary>
    public string Explanation { get; init; } = string.Empty;
}

/// <summary>The ballot counts of a protocol (design §5).</summary>
/// <param name="RegisteredVoters">Voters on the station's list, as written on the form.</param>
/// <param name="Received">Ballots the station received.</param>
/// <param name="Used">Ballots found in the box (= valid + invalid).</param>
/// <param name="Unused">Ballots not handed out.</param>
/// <param name="Spoiled">Ballots spoiled and replaced.</param>
/// <param name="Invalid">Used ballots that are invalid.</param>
/// <param name="Valid">Used ballots that are valid.</param>
public sealed record BallotCounts(long RegisteredVoters, long Received, long Used, long Unused, long Spoiled, long Invalid, long Valid)
{
    /// <summary>All zeros.</summary>
    public static BallotCounts Zero { get; } = new(0, 0, 0, 0, 0, 0, 0);
}

/// <summary>The votes of one contest.</summary>
/// <param name="ContestId">A contest id of the definition.</param>
/// <param name="Choices">The votes per choice; a choice left out has no votes.</param>
public sealed record ContestResult(string ContestId, IReadOnlyList<ChoiceVotes> Choices);

/// <summary>The votes of one choice.</summary>
/// <param name="ChoiceId">A choice id of the contest.</param>
/// <param name="Votes">The votes (non-negative in a valid protocol).</param>
public sealed record ChoiceVotes(string ChoiceId, long Votes);

/// <summary>The digest of one attached scan; the bytes travel beside the protocol and are checked against it.</summary>
/// <param name="Name">A file name, unique (ignoring case) within the protocol.</param>
/// <param name="MediaType"><c>image/jpeg</c>, <c>image/png</c> or <c>application/pdf</c>.</param>
/// <param name="Size">The size in bytes (at least 1).</param>
/// <param name="Sha256">SHA-256 of the bytes (32 bytes).</param>
public sealed record AttachmentDigest(string Name, string MediaType, long Size, ReadOnlyMemory<byte> Sha256)
{
    /// <summary>The digest of <paramref name="content"/>: its size and SHA-256.</summary>
    public static AttachmentDigest Of(string name, string mediaType, ReadOnlySpan<byte> content) =>
        new(name, mediaType, content.Length, SHA256.HashData(content));
}
