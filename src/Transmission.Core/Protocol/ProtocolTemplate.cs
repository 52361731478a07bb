using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Transmission.Core.Election;

namespace Transmission.Core.Protocol;

/// <summary>
/// The JSON form a station chair fills in: the binding (election, definition SHA-256, mode, station, revision),
/// the ballot counts and, per contest, every choice with its votes. <see cref="Create"/> writes an empty one
/// (registered voters from the registry, everything else 0); <see cref="Parse"/> turns a filled one into an
/// unsigned <see cref="ResultProtocol"/> draft (no <see cref="ResultProtocol.SignedAt"/>, no attachments),
/// ready for <see cref="ProtocolValidator"/>.
/// </summary>
/// <remarks>
/// Format (names are for the reader and ignored when parsing):
/// <code>
/// { "electionId": "ks-2025-assembly", "definitionSha256": "64 hex", "mode": "test", "stationCode": "01-0001-01",
///   "revision": 1, "correctionReason": "",
///   "ballots": { "registeredVoters": 812, "received": 0, "used": 0, "unused": 0, "spoiled": 0, "invalid": 0, "valid": 0 },
///   "contests": [ { "id": "parties", "name": "Political parties",
///                   "choices": [ { "id": "P01", "name": "Civic Alliance", "votes": 0 } ] } ],
///   "explanation": "" }
/// </code>
/// </remarks>
public static class ProtocolTemplate
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        AllowDuplicateProperties = false,
        MaxDepth = 16,
    };

    /// <summary>
    /// Writes <paramref name="protocol"/>'s counts into a template (ballots and every choice's votes), as a chair
    /// would type them; everything else in the template is kept. For rehearsals, demonstrations and tests.
    /// </summary>
    /// <exception cref="ArgumentException">The template lists a contest or choice the protocol does not have.</exception>
    public static byte[] Fill(ReadOnlySpan<byte> templateJson, ResultProtocol protocol)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        var root = JsonNode.Parse(templateJson)?.AsObject() ?? throw new ArgumentException("The template is not a JSON object.", nameof(templateJson));
        var ballots = root["ballots"]!.AsObject();
        ballots["registeredVoters"] = protocol.Ballots.RegisteredVoters;
        ballots["received"] = protocol.Ballots.Received;
        ballots["used"] = protocol.Ballots.Used;
        ballots["unused"] = protocol.Ballots.Unused;
        ballots["spoiled"] = protocol.Ballots.Spoiled;
        ballots["invalid"] = protocol.Ballots.Invalid;
        ballots["valid"] = protocol.Ballots.Valid;
        foreach (var contestNode in root["contests"]!.AsArray())
        {
            var contestId = contestNode!["id"]!.GetValue<string>();
            var contest = protocol.Contests.FirstOrDefault(c => c.ContestId == contestId)
                ?? throw new ArgumentException($"The protocol has no contest '{contestId}'.", nameof(protocol));
            foreach (var choiceNode in contestNode["choices"]!.AsArray())
            {
                var choiceId = choiceNode!["id"]!.GetValue<string>();
                choiceNode["votes"] = (contest.Choices.FirstOrDefault(c => c.ChoiceId == choiceId)
                    ?? throw new ArgumentException($"The protocol has no choice '{choiceId}' in '{contestId}'.", nameof(protocol))).Votes;
            }
        }

        return JsonSerializer.SerializeToUtf8Bytes(root, new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    /// <summary>An empty template for a station, with names in <paramref name="culture"/> (e.g. <c>sq</c>, <c>sr-Latn</c>; default English).</summary>
    /// <exception cref="ArgumentException">The station is not in the definition (a bug in the caller).</exception>
    public static byte[] Create(ElectionDefinition definition, string stationCode, string? culture = null)
    {
        using var buffer = new MemoryStream();
        Write(buffer, definition, stationCode, culture);
        return buffer.ToArray();
    }

    /// <summary>Writes the empty template to <paramref name="destination"/> (left open).</summary>
    public static void Write(Stream destination, ElectionDefinition definition, string stationCode, string? culture = null)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(stationCode);
        if (!definition.TryGetStation(stationCode, out var station))
        {
            throw new ArgumentException($"Station '{stationCode}' is not in election {definition.ElectionId}.", nameof(stationCode));
        }

        var language = culture ?? "en";
        using var writer = new Utf8JsonWriter(destination, WriterOptions);
        writer.WriteStartObject();
        writer.WriteString("electionId", definition.ElectionId);
        writer.WriteString("definitionSha256", definition.Sha256Hex);
        writer.WriteString("mode", definition.Mode.ToJsonName());
        writer.WriteString("stationCode", station.Code);
        writer.WriteNumber("revision", 1);
        writer.WriteString("correctionReason", string.Empty);
        writer.WriteStartObject("ballots");
        writer.WriteNumber(BallotNames[0], station.RegisteredVoters);
        foreach (var name in BallotNames.Skip(1))
        {
            writer.WriteNumber(name, 0);
        }

        writer.WriteEndObject();
        writer.WriteStartArray("contests");
        foreach (var contest in definition.Contests)
        {
            writer.WriteStartObject();
            writer.WriteString("id", contest.Id);
            writer.WriteString("name", contest.Name.Get(language));
            writer.WriteStartArray("choices");
            foreach (var choice in contest.Choices)
            {
                writer.WriteStartObject();
                writer.WriteString("id", choice.Id);
                writer.WriteString("name", choice.Name.Get(language));
                writer.WriteNumber("votes", 0);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteString("explanation", string.Empty);
        writer.WriteEndObject();
        writer.Flush();
    }

    /// <summary>
    /// Reads a filled template. Every problem is reported (with a JSON path and a plain message), for example a count
    /// that is not a whole number (<c>NOT_A_NUMBER</c>), below zero (<c>COUNT_NEGATIVE</c>) or an id the definition
    /// does not have (<c>CONTEST_UNKNOWN</c>, <c>CHOICE_UNKNOWN</c>). Binding checks (election, station, mode, sums)
    /// are left to <see cref="ProtocolValidator"/>.
    /// </summary>
    public static ProtocolTemplateParseResult Parse(ReadOnlySpan<byte> json, ElectionDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var reader = new TemplateReader(definition);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json.ToArray(), DocumentOptions);
        }
        catch (JsonException e)
        {
            reader.Add(TemplateErrorCode.JsonMalformed, "$", $"The file is not valid JSON: {e.Message}");
            return new ProtocolTemplateParseResult(null, reader.Errors);
        }

        using (document)
        {
            var draft = reader.Read(document.RootElement);
            return reader.Errors.Count == 0 && draft is not null
                ? new ProtocolTemplateParseResult(draft, [])
                : new ProtocolTemplateParseResult(null, reader.Errors);
        }
    }

    private static readonly string[] BallotNames = ["registeredVoters", "received", "used", "unused", "spoiled", "invalid", "valid"];

    private sealed class TemplateReader(ElectionDefinition definition)
    {
        public List<TemplateError> Errors { get; } = [];

        public void Add(TemplateErrorCode code, string path, string message) => Errors.Add(new TemplateError(code, path, message));

        public ResultProtocol? Read(JsonElement root)
        {
            if (root.ValueKind != JsonValueKind.Object)
            {
                Add(TemplateErrorCode.JsonMalformed, "$", "The file must hold one JSON object.");
                return null;
            }

            var fields = Fields(root, "$", "electionId", "definitionSha256", "mode", "stationCode", "revision", "correctionReason", "ballots", "contests", "explanation");
            var electionId = Text(fields, "$", "electionId", required: true);
            var stationCode = Text(fields, "$", "stationCode", required: true);
            var correctionReason = Text(fields, "$", "correctionReason", required: false) ?? string.Empty;
            var explanation = Text(fields, "$", "explanation", required: false) ?? string.Empty;

            byte[]? sha256 = null;
            if (Text(fields, "$", "definitionSha256", required: true) is { } hex)
            {
                if (hex.Length == 64 && hex.All(char.IsAsciiHexDigit))
                {
                    sha256 = Convert.FromHexString(hex);
                }
                else
                {
                    Add(TemplateErrorCode.FieldInvalid, "$.definitionSha256", "The definition fingerprint must be 64 hexadecimal characters (a SHA-256).");
                }
            }

            var mode = ElectionMode.Unspecified;
            if (Text(fields, "$", "mode", required: true) is { } modeText && !ElectionModeNames.TryParse(modeText, out mode))
            {
                Add(TemplateErrorCode.FieldInvalid, "$.mode", $"Mode is '{Show(modeText)}'; it must be \"test\" or \"live\".");
            }

            int? revision = null;
            if (Required(fields, "$", "revision") is { } revisionElement && Count(revisionElement, "$.revision", "Revision") is { } revisionValue)
            {
                if (revisionValue > int.MaxValue)
                {
                    Add(TemplateErrorCode.CountTooLarge, "$.revision", $"Revision {revisionValue} is too large.");
                }
                else
                {
                    revision = (int)revisionValue;
                }
            }

            var ballots = Required(fields, "$", "ballots") is { } b ? ReadBallots(b) : null;
            var contests = Required(fields, "$", "contests") is { } c ? ReadContests(c) : null;
            if (Errors.Count > 0 || electionId is null || stationCode is null || sha256 is null || revision is null || ballots is null || contests is null)
            {
                return null;
            }

            return new ResultProtocol
            {
                ElectionId = electionId,
                DefinitionSha256 = sha256,
                Mode = mode,
                StationCode = stationCode,
                Revision = revision.Value,
                CorrectionReason = correctionReason,
                Ballots = ballots,
                Contests = contests,
                Explanation = explanation,
            };
        }

        private BallotCounts? ReadBallots(JsonElement element)
        {
            const string path = "$.ballots";
            if (!ExpectKind(element, JsonValueKind.Object, path, "an object of counts"))
            {
                return null;
            }

            var fields = Fields(element, path, BallotNames);
            var values = new long[BallotNames.Length];
            var ok = true;
            for (var i = 0; i < BallotNames.Length; i++)
            {
                if (Required(fields, path, BallotNames[i]) is { } value && Count(value, $"{path}.{BallotNames[i]}", BallotLabel(BallotNames[i])) is { } count)
                {
                    values[i] = count;
                }
                else
                {
                    ok = false;
                }
            }

            return ok ? new BallotCounts(values[0], values[1], values[2], values[3], values[4], values[5], values[6]) : null;
        }

        private List<ContestResult>? ReadContests(JsonElement element)
        {
            const string path = "$.contests";
            if (!ExpectKind(element, JsonValueKind.Array, path, "a list of contests"))
            {
                return null;
            }

            var result = new List<ContestResult>();
            var index = 0;
            foreach (var item in element.EnumerateArray())
            {
                var itemPath = $"{path}[{index++}]";
                if (!ExpectKind(item, JsonValueKind.Object, itemPath, "a contest object"))
                {
                    continue;
                }

                var fields = Fields(item, itemPath, "id", "name", "choices");
                var id = Text(fields, itemPath, "id", required: true);
                Contest? contest = null;
                if (id is not null && !definition.TryGetContest(id, out contest))
                {
                    Add(TemplateErrorCode.ContestUnknown, itemPath + ".id", $"Contest '{Show(id)}' is not in the election definition.");
                }

                if (Required(fields, itemPath, "choices") is not { } choicesElement
                    || !ExpectKind(choicesElement, JsonValueKind.Array, itemPath + ".choices", "a list of choices"))
                {
                    continue;
                }

                var choices = new List<ChoiceVotes>();
                var choiceIndex = 0;
                foreach (var choiceElement in choicesElement.EnumerateArray())
                {
                    var choicePath = $"{itemPath}.choices[{choiceIndex++}]";
                    if (!ExpectKind(choiceElement, JsonValueKind.Object, choicePath, "a choice object"))
                    {
                        continue;
                    }

                    var choiceFields = Fields(choiceElement, choicePath, "id", "name", "votes");
                    var choiceId = Text(choiceFields, choicePath, "id", required: true);
                    if (choiceId is not null && contest is not null && !contest.HasChoice(choiceId))
                    {
                        Add(TemplateErrorCode.ChoiceUnknown, choicePath + ".id", $"Choice '{Show(choiceId)}' is not on the ballot of contest '{contest.Id}'.");
                    }

                    var label = $"Votes for '{Show(choiceId ?? "?")}'";
                    if (Required(choiceFields, choicePath, "votes") is { } votesElement && Count(votesElement, choicePath + ".votes", label) is { } votes && choiceId is not null)
                    {
                        choices.Add(new ChoiceVotes(choiceId, votes));
                    }
                }

                if (id is not null)
                {
                    result.Add(new ContestResult(id, choices));
                }
            }

            return result;
        }

        private Dictionary<string, JsonElement> Fields(JsonElement element, string path, params string[] known)
        {
            var fields = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            foreach (var property in element.EnumerateObject())
            {
                if (known.Contains(property.Name, StringComparer.Ordinal))
                {
                    fields[property.Name] = property.Value;
                }
                else
                {
                    Add(TemplateErrorCode.FieldUnknown, path, $"Unknown field '{Show(property.Name)}'.");
                }
            }

            return fields;
        }

        private JsonElement? Required(Dictionary<string, JsonElement> fields, string path, string name)
        {
            if (fields.TryGetValue(name, out var value))
            {
                return value;
            }

            Add(TemplateErrorCode.FieldMissing, path, $"'{name}' is missing.");
            return null;
        }

        private string? Text(Dictionary<string, JsonElement> fields, string path, string name, bool required)
        {
            if (!fields.TryGetValue(name, out var value))
            {
                if (required)
                {
                    Add(TemplateErrorCode.FieldMissing, path, $"'{name}' is missing.");
                }

                return null;
            }

            if (value.ValueKind != JsonValueKind.String)
            {
                Add(TemplateErrorCode.FieldInvalid, $"{path}.{name}", $"'{name}' must be text in quotes.");
                return null;
            }

            var text = value.GetString()!;
            if (required && string.IsNullOrWhiteSpace(text))
            {
                Add(TemplateErrorCode.FieldInvalid, $"{path}.{name}", $"'{name}' must not be empty.");
                return null;
            }

            return text;
        }

        // A count is a plain JSON integer: no quotes, no decimals, no exponent, not negative.
        private long? Count(JsonElement element, string path, string label)
        {
            if (element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out var value))
            {
                if (value < 0)
                {
                    Add(TemplateErrorCode.CountNegative, path, $"{label} is {value.ToString(CultureInfo.InvariantCulture)}; a count cannot be negative.");
                    return null;
                }

                if (value > ResultProtocol.MaxCount)
                {
                    Add(TemplateErrorCode.CountTooLarge, path, $"{label} is {value.ToString(CultureInfo.InvariantCulture)}, which is too large to be a count.");
                    return null;
                }

                return value;
            }

            var raw = element.ValueKind == JsonValueKind.String ? element.GetString()! : element.GetRawText();
            if (element.ValueKind == JsonValueKind.Number && IsIntegerLiteral(raw))
            {
                if (raw.StartsWith('-'))
                {
                    Add(TemplateErrorCode.CountNegative, path, $"{label} is {Show(raw)}; a count cannot be negative.");
                }
                else
                {
                    Add(TemplateErrorCode.CountTooLarge, path, $"{label} is {Show(raw)}, which is too large to be a count.");
                }

                return null;
            }

            Add(TemplateErrorCode.NotANumber, path, element.ValueKind == JsonValueKind.String
                ? $"{label} is \"{Show(raw)}\"; write a whole number without quotes, for example 0 or 812."
                : $"{label} is {Show(raw)}; write a whole number, for example 0 or 812.");
            return null;
        }

        private bool ExpectKind(JsonElement element, JsonValueKind kind, string path, string what)
        {
            if (element.ValueKind == kind)
            {
                return true;
            }

            Add(TemplateErrorCode.FieldInvalid, path, $"Expected {what}.");
            return false;
        }

        private static bool IsIntegerLiteral(string raw)
        {
            var digits = raw.AsSpan(raw.StartsWith('-') ? 1 : 0);
            return digits.Length > 0 && !digits.ContainsAnyExceptInRange('0', '9');
        }

        private static string BallotLabel(string name) => name switch
        {
            "registeredVoters" => "Registered voters",
            "received" => "Ballots received",
            "used" => "Ballots used",
            "unused" => "Unused ballots",
            "spoiled" => "Spoiled ballots",
            "invalid" => "Invalid ballots",
            _ => "Valid ballots",
        };

        private static string Show(string value) => Election.DefinitionParser.Printable(value);
    }
}

/// <summary>Why a filled template cannot be read. Each value has a stable reason code (<see cref="TemplateErrorCodes.ToReasonCode"/>).</summary>
public enum TemplateErrorCode
{
    /// <summary><c>JSON_MALFORMED</c>: not JSON, not an object, or a property name repeated in one object.</summary>
    JsonMalformed,

    /// <summary><c>FIELD_MISSING</c>: a required field is absent.</summary>
    FieldMissing,

    /// <summary><c>FIELD_UNKNOWN</c>: a field the template does not have.</summary>
    FieldUnknown,

    /// <summary><c>FIELD_INVALID</c>: wrong JSON type or unusable value (empty id, bad mode, bad SHA-256 hex).</summary>
    FieldInvalid,

    /// <summary><c>NOT_A_NUMBER</c>: a count is text, a decimal, an exponent or anything but a whole number.</summary>
    NotANumber,

    /// <summary><c>COUNT_NEGATIVE</c>: a count is below zero.</summary>
    CountNegative,

    /// <summary><c>COUNT_TOO_LARGE</c>: a count is above <see cref="ResultProtocol.MaxCount"/> (or a revision does not fit in 32 bits).</summary>
    CountTooLarge,

    /// <summary><c>CONTEST_UNKNOWN</c>: a contest id the definition does not have.</summary>
    ContestUnknown,

    /// <summary><c>CHOICE_UNKNOWN</c>: a choice id the contest does not have.</summary>
    ChoiceUnknown,
}

/// <summary>One problem in a filled template.</summary>
/// <param name="Code">What is wrong.</param>
/// <param name="Path">Where, as a JSON path such as <c>$.ballots.valid</c>.</param>
/// <param name="Message">A plain English sentence for the station chair.</param>
public sealed record TemplateError(TemplateErrorCode Code, string Path, string Message)
{
    /// <summary>The stable reason code, e.g. <c>NOT_A_NUMBER</c>.</summary>
    public string ReasonCode => Code.ToReasonCode();

    /// <inheritdoc/>
    public override string ToString() => $"{ReasonCode} at {Path}: {Message}";
}

/// <summary>Stable reason codes for <see cref="TemplateErrorCode"/>.</summary>
public static class TemplateErrorCodes
{
    /// <summary>The SCREAMING_SNAKE reason code.</summary>
    public static string ToReasonCode(this TemplateErrorCode code) => code switch
    {
        TemplateErrorCode.JsonMalformed => "JSON_MALFORMED",
        TemplateErrorCode.FieldMissing => "FIELD_MISSING",
        TemplateErrorCode.FieldUnknown => "FIELD_UNKNOWN",
        TemplateErrorCode.FieldInvalid => "FIELD_INVALID",
        TemplateErrorCode.NotANumber => "NOT_A_NUMBER",
        TemplateErrorCode.CountNegative => "COUNT_NEGATIVE",
        TemplateErrorCode.CountTooLarge => "COUNT_TOO_LARGE",
        TemplateErrorCode.ContestUnknown => "CONTEST_UNKNOWN",
        TemplateErrorCode.ChoiceUnknown => "CHOICE_UNKNOWN",
        _ => throw new ArgumentOutOfRangeException(nameof(code), code, null),
    };
}

/// <summary>
/// The outcome of <see cref="ProtocolTemplate.Parse"/>. Invariant: exactly one of <see cref="Draft"/> (with no
/// errors) or a non-empty <see cref="Errors"/>.
/// </summary>
public sealed class ProtocolTemplateParseResult
{
    internal ProtocolTemplateParseResult(ResultProtocol? draft, IReadOnlyList<TemplateError> errors)
    {
        Draft = draft;
        Errors = errors;
    }

    /// <summary>The unsigned draft, when <see cref="IsSuccess"/>.</summary>
    public ResultProtocol? Draft { get; }

    /// <summary>Every problem found (empty on success).</summary>
    public IReadOnlyList<TemplateError> Errors { get; }

    /// <summary>Whether the template was read.</summary>
    [MemberNotNullWhen(true, nameof(Draft))]
    public bool IsSuccess => Draft is not null;

    /// <inheritdoc/>
    public override string ToString() => IsSuccess ? "OK" : string.Join("; ", Errors);
}
