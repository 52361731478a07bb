using Transmission.Core.Election;
using Transmission.Core.Protocol;
using Transmission.Core.Review;
using Transmission.Core.Tabulation;

namespace Transmission.Central.Exports;

/// <summary>
/// Everything an export needs, taken at one moment from the read model. Invariant (checked by the writers, which
/// throw <see cref="ArgumentException"/> otherwise): the stations, revisions and totals belong to
/// <see cref="Definition"/>, and every exported revision is in the first <see cref="LogSize"/> log entries.
/// </summary>
/// <param name="Definition">The election the data belongs to.</param>
/// <param name="LogSize">The number of log entries the export reflects: every exported revision's log index is below it.</param>
/// <param name="Stations">The stations with at least one stored submission, in any order (the writers sort by code, ordinal).</param>
/// <param name="Totals">The totals at the same moment (<see cref="Tabulator.Snapshot"/>).</param>
public sealed record ExportData(ElectionDefinition Definition, long LogSize, IReadOnlyList<StationExport> Stations, TabulationSnapshot Totals);

/// <summary>
/// A reported station and the revisions to export: its latest revision and (when different) its latest accepted one,
/// in any order (the writers sort them ascending).
/// </summary>
/// <param name="Station">The station's registry entry; a station of the definition.</param>
/// <param name="Revisions">At least one revision, each revision number once.</param>
public sealed record StationExport(StationEntry Station, IReadOnlyList<RevisionExport> Revisions);

/// <summary>One stored revision of a station's protocol, as exported.</summary>
/// <param name="Revision">The revision number (≥ 1); equals <c>Protocol.Revision</c>.</param>
/// <param name="State">Its review state.</param>
/// <param name="CountedProvisional">Whether it is the revision counted in the provisional totals (the station's latest).</param>
/// <param name="CountedCertified">Whether it is the revision counted in the certified totals (the station's latest accepted).</param>
/// <param name="EnvelopeSha256Hex">SHA-256 of the envelope bytes as received (64 hex digits; written lowercase).</param>
/// <param name="LogIndex">The submission's position in the transparency log (0-based, below <see cref="ExportData.LogSize"/>).</param>
/// <param name="ReceivedAt">When Central stored it.</param>
/// <param name="SignedAt">When the chair signed it, as signed into the protocol; <see langword="null"/> if not given.</param>
/// <param name="Protocol">The protocol as signed; its station code and revision are the station's and <paramref name="Revision"/>.</param>
public sealed record RevisionExport(
    int Revision,
    ReviewState State,
    bool CountedProvisional,
    bool CountedCertified,
    string EnvelopeSha256Hex,
    long LogIndex,
    DateTimeOffset ReceivedAt,
    DateTimeOffset? SignedAt,
    ResultProtocol Protocol);
