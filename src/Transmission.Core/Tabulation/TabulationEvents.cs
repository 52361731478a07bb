using Transmission.Core.Protocol;
using Transmission.Core.Review;

namespace Transmission.Core.Tabulation;

/// <summary>A submission was verified and durably stored (design §6); it starts <see cref="ReviewState.Pending"/>.</summary>
/// <param name="StationCode">The station, a station of the definition.</param>
/// <param name="Revision">The protocol's revision (≥ 1); unique per station.</param>
/// <param name="Protocol">The protocol; its contests and choices exist in the definition and its counts are non-negative (Reject-level rules passed).</param>
/// <param name="Flags">The Flag-level reason codes of <see cref="ProtocolRules"/> it broke; empty when clean.</param>
public sealed record SubmissionAccepted(string StationCode, int Revision, ResultProtocol Protocol, IReadOnlyList<string> Flags);

/// <summary>A review decision was stored for one revision of a station (<see cref="ReviewStateMachine"/> allowed it).</summary>
/// <param name="StationCode">The station.</param>
/// <param name="Revision">The decided revision.</param>
/// <param name="State">The revision's new state.</param>
public sealed record DecisionRecorded(string StationCode, int Revision, ReviewState State);
