namespace Transmission.Core.Election;

/// <summary>
/// What <see cref="ElectionDefinitionGenerator"/> writes. The defaults are shaped like a Kosovo Assembly election:
/// 38 municipalities, 2,500 stations of 300–1,000 registered voters, 15 party lists and an open-list preference contest.
/// </summary>
public sealed record ElectionDefinitionGeneratorOptions
{
    /// <summary>The seed: the same options give the same bytes. Defaults to 1.</summary>
    public long Seed { get; init; } = 1;

    /// <summary>The election id. Defaults to <c>ks-2025-assembly</c>.</summary>
    public string ElectionId { get; init; } = "ks-2025-assembly";

    /// <summary>Test or live. Defaults to <see cref="ElectionMode.Test"/>.</summary>
    public ElectionMode Mode { get; init; } = ElectionMode.Test;

    /// <summary>Number of polling stations (at least 1). Defaults to 2,500.</summary>
    public int Stations { get; init; } = 2500;

    /// <summary>
    /// The station codes to use, in order, instead of generated ones (for example a registry's <c>stations.txt</c>);
    /// when set, <see cref="Stations"/> is ignored and the definition has exactly these stations. Defaults to
    /// <see langword="null"/> (generated codes).
    /// </summary>
    public IReadOnlyList<string>? StationCodes { get; init; }

    /// <summary>The number of stations the definition will have: <see cref="StationCodes"/>' count when set, else <see cref="Stations"/>.</summary>
    public int StationCount => StationCodes?.Count ?? Stations;

    /// <summary>Number of municipalities (at least 1): the first ones are Kosovo's 38, further ones are numbered. Defaults to 38.</summary>
    public int Municipalities { get; init; } = 38;

    /// <summary>Number of party lists in the single-choice contest (at least 1). Defaults to 15.</summary>
    public int Parties { get; init; } = 15;

    /// <summary>Candidates per party in the preference contest; 0 leaves the preference contest out. Defaults to 8.</summary>
    public int CandidatesPerParty { get; init; } = 8;

    /// <summary>How many candidates one ballot may mark (at most the number of candidates). Defaults to 5.</summary>
    public int MaxPreferences { get; init; } = 5;

    /// <summary>The definition's <c>usedAllowance</c>. Defaults to 0.</summary>
    public long UsedAllowance { get; init; }

    /// <summary>When transmission opens. Defaults to 2025-12-28T19:00:00+01:00 (polls close at 19:00 local time).</summary>
    public DateTimeOffset NightOpensAt { get; init; } = new(2025, 12, 28, 19, 0, 0, TimeSpan.FromHours(1));

    /// <summary>How long the night window stays open. Defaults to 12 hours.</summary>
    public TimeSpan NightDuration { get; init; } = TimeSpan.FromHours(12);

    /// <summary>Whether the JSON is indented for people. Defaults to <see langword="true"/>.</summary>
    public bool Indented { get; init; } = true;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> with one clear message for the first unusable option.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(StationCount, 1, StationCodes is null ? nameof(Stations) : nameof(StationCodes));
        if (StationCodes is not null)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var code in StationCodes)
            {
                if (!Pki.CallerIdentity.IsValidId(code ?? string.Empty))
                {
                    throw new ArgumentOutOfRangeException(nameof(StationCodes), code, "A station code must be 1-64 characters of [A-Za-z0-9._-] starting with a letter or digit.");
                }

                if (!seen.Add(code!))
                {
                    throw new ArgumentOutOfRangeException(nameof(StationCodes), code, "Station codes must be distinct.");
                }
            }
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(Municipalities, 1, nameof(Municipalities));
        ArgumentOutOfRangeException.ThrowIfLessThan(Parties, 1, nameof(Parties));
        ArgumentOutOfRangeException.ThrowIfLessThan(CandidatesPerParty, 0, nameof(CandidatesPerParty));
        ArgumentOutOfRangeException.ThrowIfNegative(UsedAllowance, nameof(UsedAllowance));
        if (CandidatesPerParty > 0)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(MaxPreferences, 1, nameof(MaxPreferences));
            ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxPreferences, (long)Parties * CandidatesPerParty, nameof(MaxPreferences));
        }

        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(NightDuration, TimeSpan.Zero, nameof(NightDuration));
        if (!Pki.CallerIdentity.IsValidId(ElectionId ?? string.Empty))
        {
            throw new ArgumentOutOfRangeException(nameof(ElectionId), ElectionId, "The election id must be 1-64 characters of [A-Za-z0-9._-] starting with a letter or digit.");
        }

        if (Mode is not (ElectionMode.Test or ElectionMode.Live))
        {
            throw new ArgumentOutOfRangeException(nameof(Mode), Mode, "The mode must be Test or Live.");
        }
    }
}
