using System.Resources;
using Transmission.Cli.Localization;
using Transmission.Core.Election;
using Transmission.Core.Protocol;
using Transmission.Station.Localization;

namespace Transmission.Station.Protocol;

/// <summary>
/// A protocol problem in the chair's language, said from its code and its structured fields (ids and numbers), never
/// by translating Core's English sentence. The code itself is never translated. In English every sentence is the
/// same as Core's <see cref="ProtocolViolation.Message"/> (a test holds them together).
/// </summary>
internal static class ViolationText
{
    private const int DigestLength = 32;

    /// <summary>The sentence for <paramref name="violation"/> found in <paramref name="stationCode"/>'s protocol, in the current UI culture.</summary>
    public static string For(ProtocolViolation violation, ElectionDefinition definition, string stationCode)
    {
        ArgumentNullException.ThrowIfNull(violation);
        ArgumentNullException.ThrowIfNull(definition);
        var n = violation.Numbers;
        Int128 Number(string name) => n.TryGetValue(name, out var value) ? value : 0;
        var contest = Show(violation.ContestId);
        var choice = Show(violation.ChoiceId);
        return violation.Code switch
        {
            ProtocolRules.ElectionMismatch => F(StationText.Rule_ELECTION_MISMATCH, Show(violation.Actual), violation.Expected),
            ProtocolRules.DefinitionMismatch when Number("length") == DigestLength =>
                F(StationText.Rule_DEFINITION_MISMATCH, Short(violation.Actual), Short(violation.Expected)),
            ProtocolRules.DefinitionMismatch => F(StationText.Rule_DEFINITION_MISMATCH_Length, Number("length"), Short(violation.Expected)),
            ProtocolRules.ModeMismatch when violation.Actual == ElectionMode.Unspecified.ToJsonName() =>
                F(StationText.Rule_MODE_MISMATCH_Unspecified, violation.Expected),
            ProtocolRules.ModeMismatch => F(StationText.Rule_MODE_MISMATCH, violation.Actual, violation.Expected),
            ProtocolRules.StationUnknown => F(StationText.Rule_STATION_UNKNOWN, Show(violation.Actual)),
            ProtocolRules.RevisionInvalid => F(StationText.Rule_REVISION_INVALID, Number("revision")),
            ProtocolRules.CorrectionReasonMissing => F(StationText.Rule_CORRECTION_REASON_MISSING, Number("revision")),
            ProtocolRules.CountNegative when violation.Field == "votes" =>
                F(StationText.Rule_COUNT_NEGATIVE_Votes, choice, contest, Number("value")),
            ProtocolRules.CountNegative => F(StationText.Rule_COUNT_NEGATIVE, BallotLabel(violation.Field), Number("value")),
            ProtocolRules.ContestUnknown => F(StationText.Rule_CONTEST_UNKNOWN, contest),
            ProtocolRules.ContestDuplicate => F(StationText.Rule_CONTEST_DUPLICATE, contest),
            ProtocolRules.ChoiceDuplicate => F(StationText.Rule_CHOICE_DUPLICATE, choice, contest),
            ProtocolRules.ChoiceUnknown => F(StationText.Rule_CHOICE_UNKNOWN, choice, contest),
            ProtocolRules.ContestMissing => F(StationText.Rule_CONTEST_MISSING, contest, ContestName(definition, violation.ContestId)),
            ProtocolRules.AttachmentInvalid => Attachment(violation),
            ProtocolRules.ValidInvalidNotUsed => F(StationText.Rule_VALID_INVALID_NOT_USED, Number("valid"), Number("invalid"), Number("sum"), Number("used")),
            ProtocolRules.BallotsNotBalanced => F(StationText.Rule_BALLOTS_NOT_BALANCED, Number("used"), Number("unused"), Number("spoiled"), Number("sum"), Number("received")),
            ProtocolRules.UsedExceedsRegistered when Number("allowance") == 0 =>
                F(StationText.Rule_USED_EXCEEDS_REGISTERED, Number("used"), Number("registered")),
            ProtocolRules.UsedExceedsRegistered =>
                F(StationText.Rule_USED_EXCEEDS_REGISTERED_Allowance, Number("used"), Number("registered"), Number("allowance"), Number("limit")),
            ProtocolRules.RegisteredMismatch => F(StationText.Rule_REGISTERED_MISMATCH, Number("registeredVoters"), stationCode, Number("registry")),
            ProtocolRules.ContestSumMismatch => F(StationText.Rule_CONTEST_SUM_MISMATCH, contest, Number("sum"), Number("valid")),
            ProtocolRules.PreferenceOverLimit when violation.ChoiceId is not null =>
                F(StationText.Rule_PREFERENCE_OVER_LIMIT_Choice, choice, contest, Number("votes"), Number("valid")),
            ProtocolRules.PreferenceOverLimit =>
                F(StationText.Rule_PREFERENCE_OVER_LIMIT, contest, Number("sum"), Number("valid"), Number("maxPreferences"), Number("limit")),

            // A code this station does not know yet (a newer Core): Core's English sentence rather than nothing.
            _ => violation.Message,
        };
    }

    /// <summary>
    /// A problem reading the form: in English Core's own sentence (it names the exact value); in another language
    /// the meaning of the code. The JSON path is added by the caller in both cases.
    /// </summary>
    public static string For(TemplateError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        if (CliLanguage.IsEnglish(System.Globalization.CultureInfo.CurrentUICulture))
        {
            return error.Message;
        }

        return StationText.ResourceManager.GetString("Template_" + error.ReasonCode, System.Globalization.CultureInfo.CurrentUICulture)
            ?? throw new MissingManifestResourceException("Template_" + error.ReasonCode);
    }

    private static string Attachment(ProtocolViolation violation)
    {
        var name = violation.AttachmentName ?? string.Empty;
        var index = violation.Numbers.TryGetValue("index", out var i) ? i : 0;
        var label = name.Length == 0 ? F(StationText.AttachmentNumbered, index + 1) : F(StationText.AttachmentNamed, Show(name));
        Int128 Number(string key) => violation.Numbers.TryGetValue(key, out var value) ? value : 0;
        return violation.Field switch
        {
            "name" when name.Length == 0 => F(StationText.Rule_ATTACHMENT_INVALID_NoName, label),
            "name" when !IsSafeFileName(name) => F(StationText.Rule_ATTACHMENT_INVALID_NotPlain, label),
            "name" => F(StationText.Rule_ATTACHMENT_INVALID_Duplicate, label),
            "mediaType" => F(StationText.Rule_ATTACHMENT_INVALID_MediaType, label, Show(violation.Actual)),
            "size" => F(StationText.Rule_ATTACHMENT_INVALID_Size, label, Number("size")),
            "sha256" => F(StationText.Rule_ATTACHMENT_INVALID_Sha256, label, Number("length")),
            _ => violation.Message,
        };
    }

    private static string BallotLabel(string? field) => field switch
    {
        "ballots.registeredVoters" => StationText.Ballot_registeredVoters,
        "ballots.received" => StationText.Ballot_received,
        "ballots.used" => StationText.Ballot_used,
        "ballots.unused" => StationText.Ballot_unused,
        "ballots.spoiled" => StationText.Ballot_spoiled,
        "ballots.invalid" => StationText.Ballot_invalid,
        "ballots.valid" => StationText.Ballot_valid,
        _ => field ?? string.Empty,
    };

    /// <summary>The contest's name in the chosen language when the definition has one, else as given.</summary>
    private static string ContestName(ElectionDefinition definition, string? contestId) =>
        contestId is not null && definition.TryGetContest(contestId, out var contest) ? contest.Name.Get(System.Globalization.CultureInfo.CurrentUICulture) : string.Empty;

    // The same rules as ProtocolValidator's: which ATTACHMENT_INVALID on the name it was.
    private static bool IsSafeFileName(string name) =>
        name.Length is > 0 and <= 255
        && name is not ("." or "..")
        && !name.Any(c => char.IsControl(c) || c is '/' or '\\' or ':');

    private static string F(string format, params object?[] args) => Localized.Format(format, args);

    private static string Short(string? hex) => hex is null ? string.Empty : hex.Length > 12 ? hex[..12] + "…" : hex;

    /// <summary>An id from the file as printable text (control characters shown as '?'), cut at 100 characters, as Core shows it.</summary>
    private static string Show(string? value)
    {
        if (value is null)
        {
            return string.Empty;
        }

        var cut = value.Length > 100 ? value[..100] + "..." : value;
        return new string(cut.Select(c => char.IsControl(c) ? '?' : c).ToArray());
    }
}
