namespace Transmission.Core.Election;

/// <summary>A polling station of the registry.</summary>
/// <param name="Code">The station code; satisfies <c>CallerIdentity.IsValidId</c>, so it is also the id in the station's certificate.</param>
/// <param name="PollingCentre">The polling centre (building) the station is in.</param>
/// <param name="MunicipalityCode">The code of a municipality of the same definition.</param>
/// <param name="RegisteredVoters">Voters on the station's list (non-negative).</param>
public sealed record StationEntry(string Code, LocalizedName PollingCentre, string MunicipalityCode, long RegisteredVoters);
