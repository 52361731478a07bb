namespace Transmission.Core.Protocol;

/// <summary>How bad a <see cref="ProtocolViolation"/> is.</summary>
public enum ViolationSeverity
{
    /// <summary>
    /// Binding or structure is wrong: the station cannot sign and Central refuses the submission
    /// (gRPC <c>INVALID_ARGUMENT</c>). No explanation makes it acceptable.
    /// </summary>
    Reject,

    /// <summary>
    /// An arithmetic rule of design §5 is broken: the station refuses to sign unless the chair writes an
    /// explanation; Central stores the protocol and flags it for review, never drops or fixes it.
    /// </summary>
    Flag,
}

/// <summary>
/// The stable reason codes of <see cref="ProtocolValidator"/>, each mapped to design §5 ("The result protocol and
/// its checks") and §4 (what the payload carries). The codes are part of the contract: stations, Central, the review
/// UI and stored flags use them; never rename one.
/// </summary>
public static class ProtocolRules
{
    /// <summary>Reject. §4 "the payload carries election id": the protocol's election id is not the definition's.</summary>
    public const string ElectionMismatch = "ELECTION_MISMATCH";

    /// <summary>Reject. §4 "the SHA-256 of the election definition it was made against": the digest is not this definition's SHA-256.</summary>
    public const string DefinitionMismatch = "DEFINITION_MISMATCH";

    /// <summary>Reject. §2/§4 test vs live: the protocol's mode is not the definition's (rehearsal data never mixes with real results).</summary>
    public const string ModeMismatch = "MODE_MISMATCH";

    /// <summary>Reject. §5 "the station exists in the registry": the station code is not in the definition.</summary>
    public const string StationUnknown = "STATION_UNKNOWN";

    /// <summary>Reject. §5 "every contest ... exists in the election definition": a contest id the definition does not have.</summary>
    public const string ContestUnknown = "CONTEST_UNKNOWN";

    /// <summary>Reject. §5 contests: the same contest appears twice (which count would be the real one?).</summary>
    public const string ContestDuplicate = "CONTEST_DUPLICATE";

    /// <summary>Reject. §5 "per contest ...": a contest of the definition has no result in the protocol.</summary>
    public const string ContestMissing = "CONTEST_MISSING";

    /// <summary>Reject. §5 "every ... choice exists in the election definition": a choice id the contest does not have.</summary>
    public const string ChoiceUnknown = "CHOICE_UNKNOWN";

    /// <summary>Reject. §5 choices: the same choice appears twice in one contest.</summary>
    public const string ChoiceDuplicate = "CHOICE_DUPLICATE";

    /// <summary>Reject. §4 "revision number (1, then corrections)": the revision is below 1.</summary>
    public const string RevisionInvalid = "REVISION_INVALID";

    /// <summary>Reject. §4 "corrections with a written reason": revision &gt; 1 without a correction reason.</summary>
    public const string CorrectionReasonMissing = "CORRECTION_REASON_MISSING";

    /// <summary>
    /// Reject. §4 "for each attached scan its media type, size and SHA-256": digest not 32 bytes, size below 1,
    /// media type not <c>image/jpeg</c>, <c>image/png</c> or <c>application/pdf</c>, or an empty, unsafe or repeated name.
    /// </summary>
    public const string AttachmentInvalid = "ATTACHMENT_INVALID";

    /// <summary>Reject. §5 "no negative numbers": a ballot count or a choice's votes is below zero.</summary>
    public const string CountNegative = "COUNT_NEGATIVE";

    /// <summary>Flag. §5 "valid + invalid = used".</summary>
    public const string ValidInvalidNotUsed = "VALID_INVALID_NOT_USED";

    /// <summary>Flag. §5 "received = used + unused + spoiled".</summary>
    public const string BallotsNotBalanced = "BALLOTS_NOT_BALANCED";

    /// <summary>Flag. §5 "used ≤ registered voters (+ a configured allowance)", the allowance being the definition's <c>usedAllowance</c>.</summary>
    public const string UsedExceedsRegistered = "USED_EXCEEDS_REGISTERED";

    /// <summary>Flag. §5 registry: the registered voters written on the form differ from the registry's number for the station.</summary>
    public const string RegisteredMismatch = "REGISTERED_MISMATCH";

    /// <summary>Flag. §5 "per contest, the sum of choice votes equals the valid ballots (for single-choice contests)".</summary>
    public const string ContestSumMismatch = "CONTEST_SUM_MISMATCH";

    /// <summary>
    /// Flag. §5 per-contest arithmetic for preference contests: one choice has more votes than valid ballots, or the
    /// votes add up to more than valid ballots × maxPreferences.
    /// </summary>
    public const string PreferenceOverLimit = "PREFERENCE_OVER_LIMIT";

    /// <summary>Every code with its severity, in the order the validator checks them.</summary>
    public static IReadOnlyList<(string Code, ViolationSeverity Severity)> All { get; } =
    [
        (ElectionMismatch, ViolationSeverity.Reject),
        (DefinitionMismatch, ViolationSeverity.Reject),
        (ModeMismatch, ViolationSeverity.Reject),
        (StationUnknown, ViolationSeverity.Reject),
        (RevisionInvalid, ViolationSeverity.Reject),
        (CorrectionReasonMissing, ViolationSeverity.Reject),
        (CountNegative, ViolationSeverity.Reject),
        (ContestUnknown, ViolationSeverity.Reject),
        (ContestDuplicate, ViolationSeverity.Reject),
        (ContestMissing, ViolationSeverity.Reject),
        (ChoiceUnknown, ViolationSeverity.Reject),
        (ChoiceDuplicate, ViolationSeverity.Reject),
        (AttachmentInvalid, ViolationSeverity.Reject),
        (ValidInvalidNotUsed, ViolationSeverity.Flag),
        (BallotsNotBalanced, ViolationSeverity.Flag),
        (UsedExceedsRegistered, ViolationSeverity.Flag),
        (RegisteredMismatch, ViolationSeverity.Flag),
        (ContestSumMismatch, ViolationSeverity.Flag),
        (PreferenceOverLimit, ViolationSeverity.Flag),
    ];

    /// <summary>The media types an attachment may have.</summary>
    public static IReadOnlyList<string> AttachmentMediaTypes { get; } = ["image/jpeg", "image/png", "application/pdf"];

    /// <summary>The severity of a code; throws for a code that is not one of these.</summary>
    public static ViolationSeverity SeverityOf(string code)
    {
        foreach (var (known, severity) in All)
        {
            if (string.Equals(known, code, StringComparison.Ordinal))
            {
                return severity;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(code), code, "Not a protocol rule code.");
    }
}
