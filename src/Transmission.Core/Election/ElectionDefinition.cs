using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace Transmission.Core.Election;

/// <summary>
/// An election: its contests and the registry of municipalities and polling stations, read from the election
/// definition file (see <see cref="Parse"/> for the format). Identity = lowercase hex SHA-256 of the exact file bytes.
/// </summary>
/// <remarks>
/// Invariant: everything <see cref="Parse"/> checks holds (unique ids and codes, known municipalities, valid station
/// codes, non-negative counts); lookups by station code, contest id and choice id are dictionary lookups, so a
/// registry of 500,000 stations costs one hash per lookup.
/// </remarks>
public sealed class ElectionDefinition
{
    /// <summary>At most this many errors are reported by <see cref="Parse"/> (then <c>TOO_MANY_ERRORS</c>).</summary>
    public const int MaxErrors = 1000;

    private readonly Dictionary<string, StationEntry> _stationsByCode;
    private readonly Dictionary<string, Contest> _contestsById;
    private readonly Dictionary<string, Municipality> _municipalitiesByCode;
    private readonly byte[] _sha256;

    internal ElectionDefinition(
        string electionId,
        LocalizedName name,
        ElectionMode mode,
        NightWindow nightWindow,
        long usedAllowance,
        IReadOnlyList<Contest> contests,
        IReadOnlyList<Municipality> municipalities,
        IReadOnlyList<StationEntry> stations,
        byte[] sha256)
    {
        ElectionId = electionId;
        Name = name;
        Mode = mode;
        NightWindow = nightWindow;
        UsedAllowance = usedAllowance;
        Contests = contests;
        Municipalities = municipalities;
        Stations = stations;
        _sha256 = sha256;
        Sha256Hex = Convert.ToHexStringLower(sha256);
        _contestsById = contests.ToDictionary(c => c.Id, StringComparer.Ordinal);
        _municipalitiesByCode = municipalities.ToDictionary(m => m.Code, StringComparer.Ordinal);
        _stationsByCode = new Dictionary<string, StationEntry>(stations.Count, StringComparer.Ordinal);
        foreach (var station in stations)
        {
            _stationsByCode.Add(station.Code, station);
        }
    }

    /// <summary>The election id; a valid certificate-identity id (1–64 of <c>[A-Za-z0-9._-]</c>).</summary>
    public string ElectionId { get; }

    /// <summary>The election's name.</summary>
    public LocalizedName Name { get; }

    /// <summary>Rehearsal or live; never <see cref="ElectionMode.Unspecified"/>.</summary>
    public ElectionMode Mode { get; }

    /// <summary>When stations transmit.</summary>
    public NightWindow NightWindow { get; }

    /// <summary>How far "ballots used" may exceed registered voters (voters added on the day); 0 by default.</summary>
    public long UsedAllowance { get; }

    /// <summary>The contests in ballot order.</summary>
    public IReadOnlyList<Contest> Contests { get; }

    /// <summary>The municipalities in file order.</summary>
    public IReadOnlyList<Municipality> Municipalities { get; }

    /// <summary>The polling stations in file order.</summary>
    public IReadOnlyList<StationEntry> Stations { get; }

    /// <summary>SHA-256 of the exact file bytes (32 bytes).</summary>
    public ReadOnlySpan<byte> Sha256 => _sha256;

    /// <summary>Lowercase hex SHA-256 of the exact file bytes: the definition's identity.</summary>
    public string Sha256Hex { get; }

    /// <summary>
    /// Parses an election definition file. Never throws for bad input: a malformed file yields every error found
    /// (up to <see cref="MaxErrors"/>) with a reason code and JSON path.
    /// </summary>
    /// <remarks>
    /// Format (UTF-8 JSON object; unknown fields and repeated property names are refused):
    /// <code>
    /// { "electionId": "ks-2025", "name": "..." | {"sq": "...", "sr-Latn": "...", "en": "..."},
    ///   "mode": "test" | "live", "nightWindow": { "opensAt": ISO 8601, "closesAt": ISO 8601 },
    ///   "usedAllowance": 0,   // optional, default 0
    ///   "contests": [{ "id", "name", "kind": "single-choice" | "preference", "maxPreferences" (preference only),
    ///                  "choices": [{ "id", "name", "party" (optional) }] }],
    ///   "municipalities": [{ "code", "name" }],
    ///   "stations": [{ "code", "pollingCentre", "municipality", "registeredVoters" }] }
    /// </code>
    /// </remarks>
    public static ElectionDefinitionParseResult Parse(ReadOnlySpan<byte> json)
    {
        var sha256 = SHA256.HashData(json);
        return DefinitionParser.Parse(json, sha256);
    }

    /// <summary>The station with this code (ordinal, case-sensitive), if any.</summary>
    public bool TryGetStation(string code, [MaybeNullWhen(false)] out StationEntry station)
    {
        ArgumentNullException.ThrowIfNull(code);
        return _stationsByCode.TryGetValue(code, out station);
    }

    /// <summary>The contest with this id, if any.</summary>
    public bool TryGetContest(string id, [MaybeNullWhen(false)] out Contest contest)
    {
        ArgumentNullException.ThrowIfNull(id);
        return _contestsById.TryGetValue(id, out contest);
    }

    /// <summary>The choice <paramref name="choiceId"/> of contest <paramref name="contestId"/>, if both exist.</summary>
    public bool TryGetChoice(string contestId, string choiceId, [MaybeNullWhen(false)] out Choice choice)
    {
        ArgumentNullException.ThrowIfNull(choiceId);
        choice = null;
        return TryGetContest(contestId, out var contest) && contest.TryGetChoice(choiceId, out choice);
    }

    /// <summary>The municipality with this code, if any.</summary>
    public bool TryGetMunicipality(string code, [MaybeNullWhen(false)] out Municipality municipality)
    {
        ArgumentNullException.ThrowIfNull(code);
        return _municipalitiesByCode.TryGetValue(code, out municipality);
    }

    /// <inheritdoc/>
    public override string ToString() => $"{ElectionId} ({Mode.ToJsonName()}, {Stations.Count} stations, sha256 {Sha256Hex})";
}

/// <summary>
/// The outcome of <see cref="ElectionDefinition.Parse"/>. Invariant: exactly one of <see cref="Definition"/>
/// (with no errors) or a non-empty <see cref="Errors"/>; <see cref="Sha256Hex"/> is always the hash of the input bytes.
/// </summary>
public sealed class ElectionDefinitionParseResult
{
    internal ElectionDefinitionParseResult(ElectionDefinition? definition, IReadOnlyList<DefinitionError> errors, string sha256Hex)
    {
        Definition = definition;
        Errors = errors;
        Sha256Hex = sha256Hex;
    }

    /// <summary>The definition, when <see cref="IsSuccess"/>.</summary>
    public ElectionDefinition? Definition { get; }

    /// <summary>Every error found (empty on success).</summary>
    public IReadOnlyList<DefinitionError> Errors { get; }

    /// <summary>Lowercase hex SHA-256 of the exact input bytes, also for a refused file (for logs).</summary>
    public string Sha256Hex { get; }

    /// <summary>Whether the file is a valid definition.</summary>
    [MemberNotNullWhen(true, nameof(Definition))]
    public bool IsSuccess => Definition is not null;

    /// <inheritdoc/>
    public override string ToString() => IsSuccess
        ? $"OK {Definition}"
        : $"{Errors.Count} error(s): {string.Join("; ", Errors.Take(5))}";
}
