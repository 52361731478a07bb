using Transmission.Audit.Bundle;
using Transmission.Contracts.V1;
using CoreResultProtocol = Transmission.Core.Protocol.ResultProtocol;

namespace Transmission.Audit.Verification;

/// <summary>What the stateless checks of one log entry found (computed in parallel; replayed in index order).</summary>
internal sealed class EntryResult(long index, BundleEntryKind? kind, byte[] leafHash)
{
    public long Index { get; } = index;

    public BundleEntryKind? Kind { get; } = kind;

    public byte[] LeafHash { get; } = leafHash;

    /// <summary>Central's time of the entry from <c>entries.json</c>, if it was there and readable.</summary>
    public DateTimeOffset? At { get; set; }

    /// <summary><c>entries.json</c>'s spelling of <see cref="At"/>, as the exports repeat it.</summary>
    public string? AtText { get; set; }

    public EntryFacts? Facts { get; set; }

    public List<AuditFinding> Findings { get; } = [];

    public SubmissionResult? Submission { get; set; }

    public DecisionResult? Decision { get; set; }

    public RevocationResult? Revocation { get; set; }
}

/// <summary>A submission entry, as far as it could be read and verified.</summary>
internal sealed class SubmissionResult
{
    public required string EnvelopeSha256Hex { get; init; }

    /// <summary>Whether the envelope, signer, payload, binding and Reject rules all passed: what Central must have checked.</summary>
    public bool Authentic { get; set; }

    public string? PayloadSha256Hex { get; set; }

    public CoreResultProtocol? Protocol { get; set; }

    /// <summary>The chair's certificate serial (canonical hex), when its certificate parsed.</summary>
    public string? ChairSerial { get; set; }

    /// <summary>The chair's identity URI, when the envelope verified.</summary>
    public string? ChairUri { get; set; }

    /// <summary>Serials of the co-signatures that verified (before revocation is taken into account).</summary>
    public IReadOnlyList<string> CoSignerSerials { get; set; } = [];

    /// <summary>The Flag rule codes recomputed from the protocol, when the definition is usable.</summary>
    public IReadOnlyList<string>? Flags { get; set; }
}

/// <summary>A decision entry, decoded.</summary>
internal sealed record DecisionResult(LoggedDecision Logged, string EnvelopeSha256Hex, DateTimeOffset DecidedAt);

/// <summary>A revocation entry, decoded.</summary>
internal sealed record RevocationResult(LoggedRevocation Logged, string Serial, DateTimeOffset RevokedAt, DateTimeOffset ObservedAt);
