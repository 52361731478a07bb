using System.Globalization;
using Transmission.Core.Election;

namespace Transmission.Core.Protocol;

/// <summary>
/// Checks a result protocol against its election definition (design §5) and reports every violation, not just the
/// first. The same code runs at the station (before signing) and at Central (after verifying the signature), so
/// both sides agree on what is rejected and what is flagged.
/// </summary>
/// <remarks>
/// Central never fixes numbers: a flagged protocol is stored as signed. Arithmetic uses <see cref="Int128"/> so
/// that counts near <see cref="long.MaxValue"/> are compared exactly instead of overflowing.
/// </remarks>
public static class ProtocolValidator
{
    private const int DigestLength = 32;

    /// <summary>Every violation of <paramref name="protocol"/> against <paramref name="definition"/>.</summary>
    public static ValidationReport Validate(ResultProtocol protocol, ElectionDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(protocol.Ballots);
        ArgumentNullException.ThrowIfNull(protocol.Contests);
        ArgumentNullException.ThrowIfNull(protocol.Attachments);

        var found = new List<ProtocolViolation>();
        CheckBinding(protocol, definition, found);
        definition.TryGetStation(protocol.StationCode ?? string.Empty, out var station);
        CheckRevision(protocol, found);
        CheckNegativeBallots(protocol.Ballots, found);
        CheckContests(protocol, definition, found);
        CheckAttachments(protocol.Attachments, found);
        CheckBallotArithmetic(protocol.Ballots, definition, station, found);
        CheckContestArithmetic(protocol, definition, found);
        return new ValidationReport(found, !string.IsNullOrWhiteSpace(protocol.Explanation));
    }

    private static void CheckBinding(ResultProtocol protocol, ElectionDefinition definition, List<ProtocolViolation> found)
    {
        if (!string.Equals(protocol.ElectionId, definition.ElectionId, StringComparison.Ordinal))
        {
            found.Add(Reject(ProtocolRules.ElectionMismatch,
                $"This protocol is for election '{Show(protocol.ElectionId)}', but the election here is '{definition.ElectionId}'.")
                with { Field = "electionId", Expected = definition.ElectionId, Actual = protocol.ElectionId });
        }

        var digest = protocol.DefinitionSha256.Span;
        if (!digest.SequenceEqual(definition.Sha256))
        {
            var actual = Convert.ToHexStringLower(digest);
            var message = digest.Length == DigestLength
                ? $"This protocol was made with a different election definition ({Short(actual)}) than the current one ({Short(definition.Sha256Hex)}). Make it again from the current definition."
                : $"The election definition fingerprint in this protocol is {digest.Length} bytes long; it must be the 32-byte SHA-256 of the definition ({Short(definition.Sha256Hex)}).";
            found.Add(Reject(ProtocolRules.DefinitionMismatch, message) with
            {
                Field = "definitionSha256",
                Expected = definition.Sha256Hex,
                Actual = actual,
                Numbers = Numbers(("length", digest.Length)),
            });
        }

        if (protocol.Mode != definition.Mode)
        {
            var message = protocol.Mode == ElectionMode.Unspecified
                ? $"This protocol does not say whether it is a test or live protocol; the election is '{definition.Mode.ToJsonName()}'."
                : $"This protocol is marked '{ModeName(protocol.Mode)}', but the election is '{definition.Mode.ToJsonName()}'. Test and live results must never mix.";
            found.Add(Reject(ProtocolRules.ModeMismatch, message) with
            {
                Field = "mode",
                Expected = definition.Mode.ToJsonName(),
                Actual = ModeName(protocol.Mode),
            });
        }

        if (protocol.StationCode is null || !definition.TryGetStation(protocol.StationCode, out _))
        {
            found.Add(Reject(ProtocolRules.StationUnknown,
                $"Station '{Show(protocol.StationCode)}' is not in the election's list of polling stations.")
                with { Field = "stationCode", Actual = protocol.StationCode });
        }
    }

    private static void CheckRevision(ResultProtocol protocol, List<ProtocolViolation> found)
    {
        if (protocol.Revision < 1)
        {
            found.Add(Reject(ProtocolRules.RevisionInvalid,
                $"Revision is {protocol.Revision}; the first protocol of a station is revision 1 and corrections count up from there.")
                with { Field = "revision", Numbers = Numbers(("revision", protocol.Revision)) });
        }
        else if (protocol.Revision > 1 && string.IsNullOrWhiteSpace(protocol.CorrectionReason))
        {
            found.Add(Reject(ProtocolRules.CorrectionReasonMissing,
                $"This is revision {protocol.Revision}, a correction of an earlier protocol, so it needs a written reason for the correction.")
                with { Field = "correctionReason", Numbers = Numbers(("revision", protocol.Revision)) });
        }
    }

    private static void CheckNegativeBallots(BallotCounts ballots, List<ProtocolViolation> found)
    {
        foreach (var (field, label, value) in BallotFields(ballots))
        {
            if (value < 0)
            {
                found.Add(Reject(ProtocolRules.CountNegative, $"{Capitalize(label)} is {N(value)}; a count cannot be negative.")
                    with { Field = field, Numbers = Numbers(("value", value)) });
            }
        }
    }

    private static void CheckContests(ResultProtocol protocol, ElectionDefinition definition, List<ProtocolViolation> found)
    {
        var seenContests = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var result in protocol.Contests)
        {
            ArgumentNullException.ThrowIfNull(result);
            var contestId = result.ContestId ?? string.Empty;
            var occurrences = seenContests[contestId] = seenContests.GetValueOrDefault(contestId) + 1;
            definition.TryGetContest(contestId, out var contest);
            if (contest is null && occurrences == 1)
            {
                found.Add(Reject(ProtocolRules.ContestUnknown, $"Contest '{Show(contestId)}' is not in the election definition.")
                    with { ContestId = contestId });
            }
            else if (occurrences == 2)
            {
                found.Add(Reject(ProtocolRules.ContestDuplicate, $"Contest '{Show(contestId)}' is listed more than once; list each contest once.")
                    with { ContestId = contestId });
            }

            var seenChoices = new HashSet<string>(StringComparer.Ordinal);
            var reportedDuplicates = new HashSet<string>(StringComparer.Ordinal);
            foreach (var choice in result.Choices ?? [])
            {
                ArgumentNullException.ThrowIfNull(choice);
                var choiceId = choice.ChoiceId ?? string.Empty;
                if (choice.Votes < 0)
                {
                    found.Add(Reject(ProtocolRules.CountNegative,
                        $"Votes for '{Show(choiceId)}' in contest '{Show(contestId)}' is {N(choice.Votes)}; a count cannot be negative.")
                        with { Field = "votes", ContestId = contestId, ChoiceId = choiceId, Numbers = Numbers(("value", choice.Votes)) });
                }

                if (!seenChoices.Add(choiceId))
                {
                    if (reportedDuplicates.Add(choiceId))
                    {
                        found.Add(Reject(ProtocolRules.ChoiceDuplicate,
                            $"Choice '{Show(choiceId)}' is listed more than once in contest '{Show(contestId)}'; list each choice once.")
                            with { ContestId = contestId, ChoiceId = choiceId });
                    }
                }
                else if (contest is not null && !contest.HasChoice(choiceId))
                {
                    found.Add(Reject(ProtocolRules.ChoiceUnknown,
                        $"Choice '{Show(choiceId)}' is not on the ballot of contest '{contest.Id}'.")
                        with { ContestId = contestId, ChoiceId = choiceId });
                }
            }
        }

        foreach (var contest in definition.Contests)
        {
            if (!seenContests.ContainsKey(contest.Id))
            {
                found.Add(Reject(ProtocolRules.ContestMissing,
                    $"Contest '{contest.Id}' ({contest.Name.Get("en")}) is missing from the protocol; enter its votes, even if they are all 0.")
                    with { ContestId = contest.Id });
            }
        }
    }

    private static void CheckAttachments(IReadOnlyList<AttachmentDigest> attachments, List<ProtocolViolation> found)
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var reported = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < attachments.Count; i++)
        {
            var attachment = attachments[i] ?? throw new ArgumentException($"Attachment {i} is null.", nameof(attachments));
            var name = attachment.Name ?? string.Empty;
            var label = name.Length == 0 ? $"Attachment {i + 1}" : $"Attachment '{Show(name)}'";
            if (!IsSafeFileName(name))
            {
                found.Add(Reject(ProtocolRules.AttachmentInvalid,
                    name.Length == 0
                        ? $"{label} has no name."
                        : $"{label} has a name that is not a plain file name (no folders, '..' or control characters).")
                    with { Field = "name", AttachmentName = name, Numbers = Numbers(("index", i)) });
            }
            else if (!names.Add(name) && reported.Add(name))
            {
                found.Add(Reject(ProtocolRules.AttachmentInvalid, $"{label} is attached more than once; each attachment needs its own name.")
                    with { Field = "name", AttachmentName = name, Numbers = Numbers(("index", i)) });
            }

            if (!ProtocolRules.AttachmentMediaTypes.Contains(attachment.MediaType ?? string.Empty, StringComparer.Ordinal))
            {
                found.Add(Reject(ProtocolRules.AttachmentInvalid,
                    $"{label} is of type '{Show(attachment.MediaType)}'; only JPEG (image/jpeg), PNG (image/png) and PDF (application/pdf) scans are accepted.")
                    with { Field = "mediaType", AttachmentName = name, Actual = attachment.MediaType, Numbers = Numbers(("index", i)) });
            }

            if (attachment.Size < 1)
            {
                found.Add(Reject(ProtocolRules.AttachmentInvalid, $"{label} has size {N(attachment.Size)} bytes; an attachment cannot be empty.")
                    with { Field = "size", AttachmentName = name, Numbers = Numbers(("index", i), ("size", attachment.Size)) });
            }

            if (attachment.Sha256.Length != DigestLength)
            {
                found.Add(Reject(ProtocolRules.AttachmentInvalid,
                    $"{label} has a fingerprint of {attachment.Sha256.Length} bytes; it must be a 32-byte SHA-256.")
                    with { Field = "sha256", AttachmentName = name, Numbers = Numbers(("index", i), ("length", attachment.Sha256.Length)) });
            }
        }
    }

    private static void CheckBallotArithmetic(BallotCounts b, ElectionDefinition definition, StationEntry? station, List<ProtocolViolation> found)
    {
        Int128 validPlusInvalid = (Int128)b.Valid + b.Invalid;
        if (validPlusInvalid != b.Used)
        {
            found.Add(Flag(ProtocolRules.ValidInvalidNotUsed,
                $"Valid ({N(b.Valid)}) + invalid ({N(b.Invalid)}) = {N(validPlusInvalid)}, but ballots used is {N(b.Used)}.")
                with { Numbers = Numbers(("valid", b.Valid), ("invalid", b.Invalid), ("sum", validPlusInvalid), ("used", b.Used)) });
        }

        Int128 accounted = (Int128)b.Used + b.Unused + b.Spoiled;
        if (accounted != b.Received)
        {
            found.Add(Flag(ProtocolRules.BallotsNotBalanced,
                $"Used ({N(b.Used)}) + unused ({N(b.Unused)}) + spoiled ({N(b.Spoiled)}) = {N(accounted)}, but ballots received is {N(b.Received)}.")
                with { Numbers = Numbers(("used", b.Used), ("unused", b.Unused), ("spoiled", b.Spoiled), ("sum", accounted), ("received", b.Received)) });
        }

        // The registry's number is authoritative; the form's own number is only used when the station is unknown
        // (already a rejection). A mistyped "registered voters" is REGISTERED_MISMATCH, not a second false alarm here.
        var registered = station?.RegisteredVoters ?? b.RegisteredVoters;
        Int128 limit = (Int128)registered + definition.UsedAllowance;
        if (b.Used > limit)
        {
            var allowance = definition.UsedAllowance == 0
                ? $"registered voters ({N(registered)})"
                : $"registered voters ({N(registered)}) + allowance ({N(definition.UsedAllowance)}) = {N(limit)}";
            found.Add(Flag(ProtocolRules.UsedExceedsRegistered, $"Ballots used ({N(b.Used)}) is more than {allowance}.")
                with { Numbers = Numbers(("used", b.Used), ("registered", registered), ("allowance", definition.UsedAllowance), ("limit", limit)) });
        }

        if (station is not null && b.RegisteredVoters != station.RegisteredVoters)
        {
            found.Add(Flag(ProtocolRules.RegisteredMismatch,
                $"Registered voters on the form is {N(b.RegisteredVoters)}, but the voter list for station {station.Code} has {N(station.RegisteredVoters)}.")
                with { Field = "ballots.registeredVoters", Numbers = Numbers(("registeredVoters", b.RegisteredVoters), ("registry", station.RegisteredVoters)) });
        }
    }

    private static void CheckContestArithmetic(ResultProtocol protocol, ElectionDefinition definition, List<ProtocolViolation> found)
    {
        var valid = protocol.Ballots.Valid;
        var checkedContests = new HashSet<string>(StringComparer.Ordinal);
        foreach (var result in protocol.Contests)
        {
            // A repeated contest is already a rejection; only its first entry is summed.
            if (result.ContestId is null || !checkedContests.Add(result.ContestId) || !definition.TryGetContest(result.ContestId, out var contest))
            {
                continue;
            }

            Int128 sum = 0;
            foreach (var choice in result.Choices ?? [])
            {
                sum += choice.Votes;
            }

            if (contest.Kind == ContestKind.SingleChoice)
            {
                if (sum != valid)
                {
                    found.Add(Flag(ProtocolRules.ContestSumMismatch,
                        $"The votes in contest '{contest.Id}' add up to {N(sum)}, but valid ballots is {N(valid)}.")
                        with { ContestId = contest.Id, Numbers = Numbers(("sum", sum), ("valid", valid)) });
                }

                continue;
            }

            foreach (var choice in result.Choices ?? [])
            {
                if (choice.Votes > valid)
                {
                    found.Add(Flag(ProtocolRules.PreferenceOverLimit,
                        $"'{Show(choice.ChoiceId)}' in contest '{contest.Id}' has {N(choice.Votes)} votes, more than the {N(valid)} valid ballots.")
                        with { ContestId = contest.Id, ChoiceId = choice.ChoiceId, Numbers = Numbers(("votes", choice.Votes), ("valid", valid)) });
                }
            }

            Int128 limit = (Int128)valid * contest.MaxPreferences;
            if (sum > limit)
            {
                found.Add(Flag(ProtocolRules.PreferenceOverLimit,
                    $"The votes in contest '{contest.Id}' add up to {N(sum)}, more than valid ballots ({N(valid)}) × {contest.MaxPreferences} preferences = {N(limit)}.")
                    with { ContestId = contest.Id, Numbers = Numbers(("sum", sum), ("valid", valid), ("maxPreferences", contest.MaxPreferences), ("limit", limit)) });
            }
        }
    }

    private static IEnumerable<(string Field, string Label, long Value)> BallotFields(BallotCounts b) =>
    [
        ("ballots.registeredVoters", "registered voters", b.RegisteredVoters),
        ("ballots.received", "ballots received", b.Received),
        ("ballots.used", "ballots used", b.Used),
        ("ballots.unused", "unused ballots", b.Unused),
        ("ballots.spoiled", "spoiled ballots", b.Spoiled),
        ("ballots.invalid", "invalid ballots", b.Invalid),
        ("ballots.valid", "valid ballots", b.Valid),
    ];

    private static bool IsSafeFileName(string name) =>
        name.Length is > 0 and <= 255
        && name is not ("." or "..")
        && !name.Any(c => char.IsControl(c) || c is '/' or '\\' or ':');

    private static ProtocolViolation Reject(string code, string message) =>
        new() { Code = code, Severity = ViolationSeverity.Reject, Message = message };

    private static ProtocolViolation Flag(string code, string message) =>
        new() { Code = code, Severity = ViolationSeverity.Flag, Message = message };

    private static Dictionary<string, Int128> Numbers(params (string Name, Int128 Value)[] numbers)
    {
        var result = new Dictionary<string, Int128>(numbers.Length, StringComparer.Ordinal);
        foreach (var (name, value) in numbers)
        {
            result.Add(name, value);
        }

        return result;
    }

    private static string ModeName(ElectionMode mode) => Enum.IsDefined(mode) ? mode.ToJsonName() : ((int)mode).ToString(CultureInfo.InvariantCulture);

    private static string N(Int128 value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Short(string hex) => hex.Length > 12 ? hex[..12] + "…" : hex;

    private static string Capitalize(string text) => char.ToUpperInvariant(text[0]) + text[1..];

    private static string Show(string? value) => value is null ? string.Empty : DefinitionParser.Printable(value);
}
