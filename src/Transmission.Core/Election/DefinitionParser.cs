using System.Globalization;
using System.Text.Json;
using Transmission.Core.Pki;

namespace Transmission.Core.Election;

// Reads the definition with JsonDocument (one pass builds the index; 500,000 stations parse in well under a
// second) and collects every error instead of stopping at the first, so the author fixes the file in one go.
internal sealed class DefinitionParser
{
    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        // A repeated property could make two readers see two different elections behind one hash.
        AllowDuplicateProperties = false,
        CommentHandling = JsonCommentHandling.Disallow,
        AllowTrailingCommas = false,
        MaxDepth = 16,
    };

    private readonly List<DefinitionError> _errors = [];
    private bool _truncated;

    public static ElectionDefinitionParseResult Parse(ReadOnlySpan<byte> json, byte[] sha256)
    {
        var sha256Hex = Convert.ToHexStringLower(sha256);
        var parser = new DefinitionParser();
        if (!System.Text.Unicode.Utf8.IsValid(json))
        {
            // JsonDocument.Parse accepts a string that is not UTF-8 and only GetString throws: check the whole file first.
            parser.Add(DefinitionErrorCode.JsonMalformed, "$", "the file is not valid UTF-8");
            return new ElectionDefinitionParseResult(null, parser._errors, sha256Hex);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json.ToArray(), DocumentOptions);
        }
        catch (JsonException e)
        {
            parser.Add(DefinitionErrorCode.JsonMalformed, "$", $"the file is not valid JSON: {e.Message}");
            return new ElectionDefinitionParseResult(null, parser._errors, sha256Hex);
        }

        using (document)
        {
            var definition = parser.ReadDefinition(document.RootElement, sha256);
            return parser._errors.Count == 0 && definition is not null
                ? new ElectionDefinitionParseResult(definition, [], sha256Hex)
                : new ElectionDefinitionParseResult(null, parser._errors, sha256Hex);
        }
    }

    private ElectionDefinition? ReadDefinition(JsonElement root, byte[] sha256)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            Add(DefinitionErrorCode.JsonMalformed, "$", $"the file must hold one JSON object, not {Describe(root)}");
            return null;
        }

        JsonElement? electionIdElement = null, nameElement = null, modeElement = null, windowElement = null;
        JsonElement? allowanceElement = null, contestsElement = null, municipalitiesElement = null, stationsElement = null;
        foreach (var property in root.EnumerateObject())
        {
            switch (property.Name)
            {
                case "electionId": electionIdElement = property.Value; break;
                case "name": nameElement = property.Value; break;
                case "mode": modeElement = property.Value; break;
                case "nightWindow": windowElement = property.Value; break;
                case "usedAllowance": allowanceElement = property.Value; break;
                case "contests": contestsElement = property.Value; break;
                case "municipalities": municipalitiesElement = property.Value; break;
                case "stations": stationsElement = property.Value; break;
                default: Unknown("$", property.Name); break;
            }
        }

        var electionId = Required(electionIdElement, "$", "electionId") is { } idValue ? ReadString(idValue, "$.electionId") : null;
        if (electionId is not null && !CallerIdentity.IsValidId(electionId))
        {
            Add(DefinitionErrorCode.ElectionIdInvalid, "$.electionId", $"election id '{Printable(electionId)}' must be 1-64 characters of A-Z, a-z, 0-9, '.', '_', '-' starting with a letter or digit");
        }

        var name = Required(nameElement, "$", "name") is { } nameValue ? ReadName(nameValue, "$.name") : null;
        var mode = ElectionMode.Unspecified;
        if (Required(modeElement, "$", "mode") is { } modeValue && ReadString(modeValue, "$.mode") is { } modeText
            && !ElectionModeNames.TryParse(modeText, out mode))
        {
            Add(DefinitionErrorCode.ModeInvalid, "$.mode", $"mode '{Printable(modeText)}' must be \"test\" or \"live\"");
        }

        var window = Required(windowElement, "$", "nightWindow") is { } windowValue ? ReadNightWindow(windowValue, "$.nightWindow") : null;
        long allowance = 0;
        if (allowanceElement is { } allowanceValue && ReadInteger(allowanceValue, "$.usedAllowance") is { } allowanceNumber)
        {
            allowance = allowanceNumber;
            if (allowance < 0)
            {
                Add(DefinitionErrorCode.UsedAllowanceNegative, "$.usedAllowance", $"usedAllowance is {allowance}; it must be 0 or more");
            }
        }

        var municipalities = Required(municipalitiesElement, "$", "municipalities") is { } mValue ? ReadMunicipalities(mValue) : [];
        var contests = Required(contestsElement, "$", "contests") is { } cValue ? ReadContests(cValue) : [];
        var stations = Required(stationsElement, "$", "stations") is { } sValue ? ReadStations(sValue, municipalities) : [];

        if (_errors.Count > 0 || electionId is null || name is null || window is null)
        {
            return null;
        }

        return new ElectionDefinition(electionId, name, mode, window, allowance, contests, municipalities, stations, sha256);
    }

    private NightWindow? ReadNightWindow(JsonElement element, string path)
    {
        if (!ExpectObject(element, path))
        {
            return null;
        }

        JsonElement? opens = null, closes = null;
        foreach (var property in element.EnumerateObject())
        {
            switch (property.Name)
            {
                case "opensAt": opens = property.Value; break;
                case "closesAt": closes = property.Value; break;
                default: Unknown(path, property.Name); break;
            }
        }

        var opensAt = Required(opens, path, "opensAt") is { } o ? ReadTime(o, path + ".opensAt") : null;
        var closesAt = Required(closes, path, "closesAt") is { } c ? ReadTime(c, path + ".closesAt") : null;
        if (opensAt is null || closesAt is null)
        {
            return null;
        }

        if (closesAt <= opensAt)
        {
            Add(DefinitionErrorCode.NightWindowInvalid, path, $"closesAt ({closesAt:O}) must be after opensAt ({opensAt:O})");
            return null;
        }

        return new NightWindow(opensAt.Value, closesAt.Value);
    }

    private List<Municipality> ReadMunicipalities(JsonElement element)
    {
        const string path = "$.municipalities";
        var result = new List<Municipality>();
        if (!ExpectArray(element, path))
        {
            return result;
        }

        if (element.GetArrayLength() == 0)
        {
            Add(DefinitionErrorCode.MunicipalitiesEmpty, path, "the definition lists no municipalities");
        }

        var codes = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var item in element.EnumerateArray())
        {
            var itemPath = $"{path}[{index++}]";
            if (!ExpectObject(item, itemPath))
            {
                continue;
            }

            JsonElement? codeElement = null, nameElement = null;
            foreach (var property in item.EnumerateObject())
            {
                switch (property.Name)
                {
                    case "code": codeElement = property.Value; break;
                    case "name": nameElement = property.Value; break;
                    default: Unknown(itemPath, property.Name); break;
                }
            }

            var code = Required(codeElement, itemPath, "code") is { } c ? ReadString(c, itemPath + ".code") : null;
            var name = Required(nameElement, itemPath, "name") is { } n ? ReadName(n, itemPath + ".name") : null;
            if (code is not null && !codes.Add(code))
            {
                Add(DefinitionErrorCode.MunicipalityCodeDuplicate, itemPath + ".code", $"municipality code '{Printable(code)}' appears more than once");
                continue;
            }

            if (code is not null && name is not null)
            {
                result.Add(new Municipality(code, name));
            }
        }

        return result;
    }

    private List<Contest> ReadContests(JsonElement element)
    {
        const string path = "$.contests";
        var result = new List<Contest>();
        if (!ExpectArray(element, path))
        {
            return result;
        }

        if (element.GetArrayLength() == 0)
        {
            Add(DefinitionErrorCode.ContestsEmpty, path, "the definition lists no contests");
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        var partyReferences = new List<(string Party, string Path)>();
        var index = 0;
        foreach (var item in element.EnumerateArray())
        {
            var itemPath = $"{path}[{index++}]";
            if (!ExpectObject(item, itemPath))
            {
                continue;
            }

            JsonElement? idElement = null, nameElement = null, kindElement = null, maxElement = null, choicesElement = null;
            foreach (var property in item.EnumerateObject())
            {
                switch (property.Name)
                {
                    case "id": idElement = property.Value; break;
                    case "name": nameElement = property.Value; break;
                    case "kind": kindElement = property.Value; break;
                    case "maxPreferences": maxElement = property.Value; break;
                    case "choices": choicesElement = property.Value; break;
                    default: Unknown(itemPath, property.Name); break;
                }
            }

            var id = Required(idElement, itemPath, "id") is { } i ? ReadString(i, itemPath + ".id") : null;
            var duplicate = id is not null && !ids.Add(id);
            if (duplicate)
            {
                Add(DefinitionErrorCode.ContestIdDuplicate, itemPath + ".id", $"contest id '{Printable(id!)}' appears more than once");
            }

            var name = Required(nameElement, itemPath, "name") is { } n ? ReadName(n, itemPath + ".name") : null;
            ContestKind? kind = null;
            if (Required(kindElement, itemPath, "kind") is { } k && ReadString(k, itemPath + ".kind") is { } kindText)
            {
                if (ContestKindNames.TryParse(kindText, out var parsedKind))
                {
                    kind = parsedKind;
                }
                else
                {
                    Add(DefinitionErrorCode.ContestKindInvalid, itemPath + ".kind", $"kind '{Printable(kindText)}' must be \"single-choice\" or \"preference\"");
                }
            }

            var choices = Required(choicesElement, itemPath, "choices") is { } ch ? ReadChoices(ch, itemPath + ".choices", partyReferences) : [];
            var maxPreferences = ReadMaxPreferences(maxElement, kind, choices.Count, itemPath);
            if (!duplicate && id is not null && name is not null && kind is not null && maxPreferences is not null && choices.Count > 0)
            {
                result.Add(new Contest(id, name, kind.Value, maxPreferences.Value, choices));
            }
        }

        // A contest that could not be read would make every reference to its choices look unknown: skip the check.
        if (result.Count != index)
        {
            return result;
        }

        var parties = new HashSet<string>(
            result.Where(c => c.Kind == ContestKind.SingleChoice).SelectMany(c => c.Choices).Select(c => c.Id),
            StringComparer.Ordinal);
        foreach (var (party, partyPath) in partyReferences)
        {
            if (!parties.Contains(party))
            {
                Add(DefinitionErrorCode.ChoicePartyUnknown, partyPath, $"party '{Printable(party)}' is not a choice of any single-choice contest");
            }
        }

        return result;
    }

    private int? ReadMaxPreferences(JsonElement? element, ContestKind? kind, int choiceCount, string itemPath)
    {
        var path = itemPath + ".maxPreferences";
        long? value = element is { } e ? ReadInteger(e, path) : null;
        if (element is not null && value is null)
        {
            return null;
        }

        switch (kind)
        {
            case ContestKind.SingleChoice when value is null or 1:
                return 1;
            case ContestKind.SingleChoice:
                Add(DefinitionErrorCode.MaxPreferencesInvalid, path, $"a single-choice contest takes one mark per ballot; maxPreferences is {value}");
                return null;
            case ContestKind.Preference when value is null:
                Add(DefinitionErrorCode.MaxPreferencesInvalid, path, "a preference contest needs maxPreferences (how many choices one ballot may mark)");
                return null;
            case ContestKind.Preference when value < 1 || (choiceCount > 0 && value > choiceCount):
                Add(DefinitionErrorCode.MaxPreferencesInvalid, path, $"maxPreferences is {value}; it must be between 1 and the number of choices ({choiceCount})");
                return null;
            case ContestKind.Preference:
                return (int)value.Value;
            default:
                return null;
        }
    }

    private List<Choice> ReadChoices(JsonElement element, string path, List<(string Party, string Path)> partyReferences)
    {
        var result = new List<Choice>();
        if (!ExpectArray(element, path))
        {
            return result;
        }

        if (element.GetArrayLength() == 0)
        {
            Add(DefinitionErrorCode.ChoicesEmpty, path, "the contest lists no choices");
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var item in element.EnumerateArray())
        {
            var itemPath = $"{path}[{index++}]";
            if (!ExpectObject(item, itemPath))
            {
                continue;
            }

            JsonElement? idElement = null, nameElement = null, partyElement = null;
            foreach (var property in item.EnumerateObject())
            {
                switch (property.Name)
                {
                    case "id": idElement = property.Value; break;
                    case "name": nameElement = property.Value; break;
                    case "party": partyElement = property.Value; break;
                    default: Unknown(itemPath, property.Name); break;
                }
            }

            var id = Required(idElement, itemPath, "id") is { } i ? ReadString(i, itemPath + ".id") : null;
            var name = Required(nameElement, itemPath, "name") is { } n ? ReadName(n, itemPath + ".name") : null;
            var party = partyElement is { } p ? ReadString(p, itemPath + ".party") : null;
            if (party is not null)
            {
                partyReferences.Add((party, itemPath + ".party"));
            }

            if (id is not null && !ids.Add(id))
            {
                Add(DefinitionErrorCode.ChoiceIdDuplicate, itemPath + ".id", $"choice id '{Printable(id)}' appears more than once in this contest");
                continue;
            }

            if (id is not null && name is not null)
            {
                result.Add(new Choice(id, name, party));
            }
        }

        return result;
    }

    private List<StationEntry> ReadStations(JsonElement element, List<Municipality> municipalities)
    {
        const string path = "$.stations";
        if (!ExpectArray(element, path))
        {
            return [];
        }

        var count = element.GetArrayLength();
        var result = new List<StationEntry>(count);
        if (count == 0)
        {
            Add(DefinitionErrorCode.StationsEmpty, path, "the definition lists no polling stations");
        }

        // Municipality codes and polling-centre names are shared by many stations: reuse one instance each.
        var municipalityCodes = municipalities.ToDictionary(m => m.Code, m => m.Code, StringComparer.Ordinal);
        var centres = new Dictionary<string, LocalizedName>(StringComparer.Ordinal);
        var codes = new HashSet<string>(count, StringComparer.OrdinalIgnoreCase);
        var index = 0;
        foreach (var item in element.EnumerateArray())
        {
            var itemPath = index++;
            if (!ExpectObject(item, Path(itemPath)))
            {
                continue;
            }

            JsonElement? codeElement = null, centreElement = null, municipalityElement = null, votersElement = null;
            foreach (var property in item.EnumerateObject())
            {
                if (property.NameEquals("code"u8))
                {
                    codeElement = property.Value;
                }
                else if (property.NameEquals("pollingCentre"u8))
                {
                    centreElement = property.Value;
                }
                else if (property.NameEquals("municipality"u8))
                {
                    municipalityElement = property.Value;
                }
                else if (property.NameEquals("registeredVoters"u8))
                {
                    votersElement = property.Value;
                }
                else
                {
                    Unknown(Path(itemPath), property.Name);
                }
            }

            var code = Required(codeElement, itemPath, "code") is { } c ? ReadString(c, Path(itemPath, "code")) : null;
            var valid = code is not null;
            if (code is not null && !CallerIdentity.IsValidId(code))
            {
                Add(DefinitionErrorCode.StationCodeInvalid, Path(itemPath, "code"), $"station code '{Printable(code)}' must be 1-64 characters of A-Z, a-z, 0-9, '.', '_', '-' starting with a letter or digit");
                valid = false;
            }
            else if (code is not null && !codes.Add(code))
            {
                Add(DefinitionErrorCode.StationCodeDuplicate, Path(itemPath, "code"), $"station code '{Printable(code)}' appears more than once (codes are compared ignoring case)");
                valid = false;
            }

            LocalizedName? centre = null;
            if (Required(centreElement, itemPath, "pollingCentre") is { } pc)
            {
                if (pc.ValueKind == JsonValueKind.String && pc.GetString() is { Length: > 0 } centreText)
                {
                    if (!centres.TryGetValue(centreText, out centre))
                    {
                        centre = LocalizedName.FromPlain(centreText);
                        centres.Add(centreText, centre);
                    }
                }
                else
                {
                    centre = ReadName(pc, Path(itemPath, "pollingCentre"));
                }
            }

            string? municipality = null;
            if (Required(municipalityElement, itemPath, "municipality") is { } m && ReadString(m, Path(itemPath, "municipality")) is { } municipalityText)
            {
                if (municipalityCodes.TryGetValue(municipalityText, out var shared))
                {
                    municipality = shared;
                }
                else
                {
                    Add(DefinitionErrorCode.StationMunicipalityUnknown, Path(itemPath, "municipality"), $"municipality '{Printable(municipalityText)}' is not in the municipalities list");
                }
            }

            long? voters = Required(votersElement, itemPath, "registeredVoters") is { } v ? ReadInteger(v, Path(itemPath, "registeredVoters")) : null;
            if (voters < 0)
            {
                Add(DefinitionErrorCode.RegisteredVotersNegative, Path(itemPath, "registeredVoters"), $"registeredVoters is {voters}; it must be 0 or more");
                valid = false;
            }

            if (valid && centre is not null && municipality is not null && voters is not null)
            {
                result.Add(new StationEntry(code!, centre, municipality, voters.Value));
            }
        }

        return result;

        static string Path(int i, string? field = null) => field is null ? $"$.stations[{i}]" : $"$.stations[{i}].{field}";
    }

    private JsonElement? Required(JsonElement? element, int stationIndex, string field) =>
        element ?? MissingStationField(stationIndex, field);

    private JsonElement? MissingStationField(int stationIndex, string field)
    {
        Add(DefinitionErrorCode.FieldMissing, $"$.stations[{stationIndex}]", $"'{field}' is missing");
        return null;
    }

    private JsonElement? Required(JsonElement? element, string path, string field)
    {
        if (element is null)
        {
            Add(DefinitionErrorCode.FieldMissing, path, $"'{field}' is missing");
        }

        return element;
    }

    private string? ReadString(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.String)
        {
            Add(DefinitionErrorCode.FieldInvalid, path, $"expected text, found {Describe(element)}");
            return null;
        }

        var value = element.GetString()!;
        if (value.Length == 0 || string.IsNullOrWhiteSpace(value))
        {
            Add(DefinitionErrorCode.FieldInvalid, path, "must not be empty");
            return null;
        }

        return value;
    }

    private long? ReadInteger(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Number || !element.TryGetInt64(out var value))
        {
            Add(DefinitionErrorCode.FieldInvalid, path, $"expected a whole number, found {Describe(element)}");
            return null;
        }

        return value;
    }

    private DateTimeOffset? ReadTime(JsonElement element, string path)
    {
        if (ReadString(element, path) is not { } text)
        {
            return null;
        }

        // An ISO 8601 time without an offset would be read in the machine's local zone: refuse it.
        var hasOffset = text.EndsWith('Z') || (text.Length > 6 && text[^6] is '+' or '-' && text[^3] == ':');
        if (!hasOffset || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var value)
            || !text.Contains('T', StringComparison.Ordinal))
        {
            Add(DefinitionErrorCode.FieldInvalid, path, $"'{Printable(text)}' is not an ISO 8601 time with an offset, e.g. 2025-12-28T19:00:00+01:00");
            return null;
        }

        return value;
    }

    private LocalizedName? ReadName(JsonElement element, string path)
    {
        if (element.ValueKind == JsonValueKind.String)
        {
            return ReadString(element, path) is { } plain ? LocalizedName.FromPlain(plain) : null;
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            Add(DefinitionErrorCode.FieldInvalid, path, $"a name is text or an object of texts by language, found {Describe(element)}");
            return null;
        }

        var texts = new List<KeyValuePair<string, string>>();
        var languages = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var ok = true;
        foreach (var property in element.EnumerateObject())
        {
            var languagePath = $"{path}.{property.Name}";
            if (string.IsNullOrWhiteSpace(property.Name) || !languages.Add(property.Name))
            {
                Add(DefinitionErrorCode.FieldInvalid, languagePath, $"language key '{Printable(property.Name)}' is empty or repeated");
                ok = false;
                continue;
            }

            if (ReadString(property.Value, languagePath) is { } text)
            {
                texts.Add(new KeyValuePair<string, string>(property.Name, text));
            }
            else
            {
                ok = false;
            }
        }

        if (texts.Count == 0 && ok)
        {
            Add(DefinitionErrorCode.FieldInvalid, path, "a name object needs at least one language");
            return null;
        }

        return ok ? LocalizedName.FromTexts(texts) : null;
    }

    private bool ExpectObject(JsonElement element, string path)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            return true;
        }

        Add(DefinitionErrorCode.FieldInvalid, path, $"expected an object, found {Describe(element)}");
        return false;
    }

    private bool ExpectArray(JsonElement element, string path)
    {
        if (element.ValueKind == JsonValueKind.Array)
        {
            return true;
        }

        Add(DefinitionErrorCode.FieldInvalid, path, $"expected a list, found {Describe(element)}");
        return false;
    }

    private void Unknown(string path, string name) =>
        Add(DefinitionErrorCode.FieldUnknown, path, $"unknown field '{Printable(name)}'");

    private void Add(DefinitionErrorCode code, string path, string message)
    {
        if (_truncated)
        {
            return;
        }

        if (_errors.Count == ElectionDefinition.MaxErrors)
        {
            _truncated = true;
            _errors.Add(new DefinitionError(DefinitionErrorCode.TooManyErrors, "$", $"more than {ElectionDefinition.MaxErrors} errors; the rest are not listed"));
            return;
        }

        _errors.Add(new DefinitionError(code, path, message));
    }

    private static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "a list",
        JsonValueKind.String => $"text \"{Printable(element.GetString()!)}\"",
        JsonValueKind.Number => $"the number {Printable(element.GetRawText())}",
        JsonValueKind.True or JsonValueKind.False => element.GetRawText(),
        _ => "null",
    };

    // Input echoed into a message is bounded and stripped of control characters (log injection).
    internal static string Printable(string value)
    {
        var cut = value.Length > 100 ? value[..100] + "..." : value;
        return string.Create(cut.Length, cut, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                span[i] = char.IsControl(source[i]) ? '?' : source[i];
            }
        });
    }
}
