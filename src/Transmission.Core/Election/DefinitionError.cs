namespace Transmission.Core.Election;

/// <summary>Why an election definition file is refused. Each value has a stable reason code (<see cref="DefinitionErrorCodes.ToReasonCode"/>).</summary>
public enum DefinitionErrorCode
{
    /// <summary><c>JSON_MALFORMED</c>: not UTF-8 JSON, not an object, or a property name repeated in one object.</summary>
    JsonMalformed,

    /// <summary><c>FIELD_MISSING</c>: a required field is absent.</summary>
    FieldMissing,

    /// <summary><c>FIELD_UNKNOWN</c>: a field the format does not have (a typo would otherwise silently fall back to a default).</summary>
    FieldUnknown,

    /// <summary><c>FIELD_INVALID</c>: a field has the wrong JSON type or an unusable value (empty text, bad date, non-integer).</summary>
    FieldInvalid,

    /// <summary><c>ELECTION_ID_INVALID</c>: the election id is not 1–64 characters of <c>[A-Za-z0-9._-]</c> starting with a letter or digit.</summary>
    ElectionIdInvalid,

    /// <summary><c>MODE_INVALID</c>: the mode is not <c>"test"</c> or <c>"live"</c>.</summary>
    ModeInvalid,

    /// <summary><c>NIGHT_WINDOW_INVALID</c>: <c>closesAt</c> is not after <c>opensAt</c>.</summary>
    NightWindowInvalid,

    /// <summary><c>USED_ALLOWANCE_NEGATIVE</c>: <c>usedAllowance</c> is below zero.</summary>
    UsedAllowanceNegative,

    /// <summary><c>CONTESTS_EMPTY</c>: no contests.</summary>
    ContestsEmpty,

    /// <summary><c>CONTEST_ID_DUPLICATE</c>: two contests share an id.</summary>
    ContestIdDuplicate,

    /// <summary><c>CONTEST_KIND_INVALID</c>: the kind is not <c>"single-choice"</c> or <c>"preference"</c>.</summary>
    ContestKindInvalid,

    /// <summary><c>MAX_PREFERENCES_INVALID</c>: a preference contest without 1 ≤ maxPreferences ≤ number of choices, or a single-choice contest with maxPreferences other than 1.</summary>
    MaxPreferencesInvalid,

    /// <summary><c>CHOICES_EMPTY</c>: a contest without choices.</summary>
    ChoicesEmpty,

    /// <summary><c>CHOICE_ID_DUPLICATE</c>: two choices of one contest share an id.</summary>
    ChoiceIdDuplicate,

    /// <summary><c>CHOICE_PARTY_UNKNOWN</c>: a choice names a party that is no choice of any single-choice contest.</summary>
    ChoicePartyUnknown,

    /// <summary><c>MUNICIPALITIES_EMPTY</c>: no municipalities.</summary>
    MunicipalitiesEmpty,

    /// <summary><c>MUNICIPALITY_CODE_DUPLICATE</c>: two municipalities share a code.</summary>
    MunicipalityCodeDuplicate,

    /// <summary><c>STATIONS_EMPTY</c>: no stations.</summary>
    StationsEmpty,

    /// <summary><c>STATION_CODE_INVALID</c>: a station code is not a valid certificate identity id (<c>CallerIdentity.IsValidId</c>).</summary>
    StationCodeInvalid,

    /// <summary><c>STATION_CODE_DUPLICATE</c>: two stations share a code, ignoring case (two spellings must never name one station).</summary>
    StationCodeDuplicate,

    /// <summary><c>STATION_MUNICIPALITY_UNKNOWN</c>: a station names a municipality code the definition does not list.</summary>
    StationMunicipalityUnknown,

    /// <summary><c>REGISTERED_VOTERS_NEGATIVE</c>: a station has fewer than zero registered voters.</summary>
    RegisteredVotersNegative,

    /// <summary><c>TOO_MANY_ERRORS</c>: the error list was cut after <see cref="ElectionDefinition.MaxErrors"/> entries.</summary>
    TooManyErrors,
}

/// <summary>One problem in an election definition file.</summary>
/// <param name="Code">What is wrong.</param>
/// <param name="Path">Where, as a JSON path such as <c>$.stations[12].code</c>.</param>
/// <param name="Message">A one-line English explanation for the person who wrote the file.</param>
public sealed record DefinitionError(DefinitionErrorCode Code, string Path, string Message)
{
    /// <summary>The stable reason code, e.g. <c>STATION_CODE_DUPLICATE</c>.</summary>
    public string ReasonCode => Code.ToReasonCode();

    /// <inheritdoc/>
    public override string ToString() => $"{ReasonCode} at {Path}: {Message}";
}

/// <summary>Stable reason codes for <see cref="DefinitionErrorCode"/>.</summary>
public static class DefinitionErrorCodes
{
    /// <summary>The SCREAMING_SNAKE reason code, e.g. <c>STATION_MUNICIPALITY_UNKNOWN</c>.</summary>
    public static string ToReasonCode(this DefinitionErrorCode code) => code switch
    {
        DefinitionErrorCode.JsonMalformed => "JSON_MALFORMED",
        DefinitionErrorCode.FieldMissing => "FIELD_MISSING",
        DefinitionErrorCode.FieldUnknown => "FIELD_UNKNOWN",
        DefinitionErrorCode.FieldInvalid => "FIELD_INVALID",
        DefinitionErrorCode.ElectionIdInvalid => "ELECTION_ID_INVALID",
        DefinitionErrorCode.ModeInvalid => "MODE_INVALID",
        DefinitionErrorCode.NightWindowInvalid => "NIGHT_WINDOW_INVALID",
        DefinitionErrorCode.UsedAllowanceNegative => "USED_ALLOWANCE_NEGATIVE",
        DefinitionErrorCode.ContestsEmpty => "CONTESTS_EMPTY",
        DefinitionErrorCode.ContestIdDuplicate => "CONTEST_ID_DUPLICATE",
        DefinitionErrorCode.ContestKindInvalid => "CONTEST_KIND_INVALID",
        DefinitionErrorCode.MaxPreferencesInvalid => "MAX_PREFERENCES_INVALID",
        DefinitionErrorCode.ChoicesEmpty => "CHOICES_EMPTY",
        DefinitionErrorCode.ChoiceIdDuplicate => "CHOICE_ID_DUPLICATE",
        DefinitionErrorCode.ChoicePartyUnknown => "CHOICE_PARTY_UNKNOWN",
        DefinitionErrorCode.MunicipalitiesEmpty => "MUNICIPALITIES_EMPTY",
        DefinitionErrorCode.MunicipalityCodeDuplicate => "MUNICIPALITY_CODE_DUPLICATE",
        DefinitionErrorCode.StationsEmpty => "STATIONS_EMPTY",
        DefinitionErrorCode.StationCodeInvalid => "STATION_CODE_INVALID",
        DefinitionErrorCode.StationCodeDuplicate => "STATION_CODE_DUPLICATE",
        DefinitionErrorCode.StationMunicipalityUnknown => "STATION_MUNICIPALITY_UNKNOWN",
        DefinitionErrorCode.RegisteredVotersNegative => "REGISTERED_VOTERS_NEGATIVE",
        DefinitionErrorCode.TooManyErrors => "TOO_MANY_ERRORS",
        _ => throw new ArgumentOutOfRangeException(nameof(code), code, null),
    };
}
