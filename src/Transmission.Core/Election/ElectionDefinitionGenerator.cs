using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Transmission.Core.Election;

/// <summary>
/// Writes a realistic election definition file, deterministically from a seed, for rehearsals, demos, tests and
/// benchmarks. Streams through <see cref="Utf8JsonWriter"/>, so 500,000 stations take seconds and little memory.
/// </summary>
/// <remarks>
/// Party and candidate names are invented; municipality names are Kosovo's 38 municipalities in Albanian and
/// Serbian (Latin), with station counts weighted roughly by population.
/// </remarks>
public static class ElectionDefinitionGenerator
{
    // (Albanian, Serbian Latin, relative weight ~ registered voters in thousands).
    private static readonly (string Sq, string Sr, int Weight)[] KosovoMunicipalities =
    [
        ("Prishtinë", "Priština", 200), ("Prizren", "Prizren", 180), ("Ferizaj", "Uroševac", 110),
        ("Pejë", "Peć", 95), ("Gjakovë", "Đakovica", 95), ("Mitrovicë", "Mitrovica", 70),
        ("Podujevë", "Podujevo", 85), ("Gjilan", "Gnjilane", 90), ("Vushtrri", "Vučitrn", 65),
        ("Suharekë", "Suva Reka", 55), ("Rahovec", "Orahovac", 55), ("Drenas", "Glogovac", 60),
        ("Lipjan", "Lipljan", 55), ("Malishevë", "Mališevo", 55), ("Kamenicë", "Kamenica", 35),
        ("Viti", "Vitina", 45), ("Deçan", "Dečani", 40), ("Istog", "Istok", 40),
        ("Klinë", "Klina", 38), ("Skenderaj", "Srbica", 50), ("Dragash", "Dragaš", 34),
        ("Fushë Kosovë", "Kosovo Polje", 35), ("Kaçanik", "Kačanik", 33), ("Shtime", "Štimlje", 27),
        ("Obiliq", "Obilić", 21), ("Mitrovicë e Veriut", "Severna Mitrovica", 29), ("Leposaviq", "Leposavić", 18),
        ("Zubin Potok", "Zubin Potok", 15), ("Zveçan", "Zvečan", 17), ("Shtërpcë", "Štrpce", 13),
        ("Graçanicë", "Gračanica", 11), ("Ranillug", "Ranilug", 5), ("Novobërdë", "Novo Brdo", 7),
        ("Kllokot", "Klokot", 3), ("Partesh", "Parteš", 2), ("Junik", "Junik", 6),
        ("Mamushë", "Mamuša", 5), ("Hani i Elezit", "Elez Han", 10),
    ];

    // Invented party names (Albanian, Serbian Latin, English).
    private static readonly (string Sq, string Sr, string En)[] PartyNames =
    [
        ("Lëvizja për Ardhmëri", "Pokret za Budućnost", "Movement for the Future"),
        ("Aleanca Qytetare", "Građanski Savez", "Civic Alliance"),
        ("Partia e Punës dhe Zhvillimit", "Stranka Rada i Razvoja", "Labour and Development Party"),
        ("Forumi Demokratik", "Demokratski Forum", "Democratic Forum"),
        ("Nisma për Drejtësi", "Inicijativa za Pravdu", "Justice Initiative"),
        ("Lista e Gjelbër", "Zelena Lista", "Green List"),
        ("Bashkimi i Fshatrave", "Savez Sela", "Union of Villages"),
        ("Partia e të Rinjve", "Stranka Mladih", "Youth Party"),
        ("Koalicioni Qendror", "Koalicija Centra", "Centre Coalition"),
        ("Lidhja e Mësuesve", "Savez Učitelja", "Teachers' League"),
        ("Zëri i Diasporës", "Glas Dijaspore", "Voice of the Diaspora"),
        ("Partia e Pensionistëve", "Stranka Penzionera", "Pensioners' Party"),
        ("Lista Komunitare", "Lista Zajednica", "Communities List"),
        ("Fryma e Re", "Novi Duh", "New Spirit"),
        ("Aleanca për Transparencë", "Savez za Transparentnost", "Alliance for Transparency"),
        ("Partia e Zejtarëve", "Stranka Zanatlija", "Craftspeople's Party"),
        ("Lëvizja Ekologjike", "Ekološki Pokret", "Ecological Movement"),
        ("Unioni i Bujqve", "Unija Poljoprivrednika", "Farmers' Union"),
        ("Forca Qytetare", "Građanska Snaga", "Civic Force"),
        ("Ura", "Most", "Bridge"),
        ("Partia Evropiane", "Evropska Stranka", "European Party"),
        ("Lista e Pavarur", "Nezavisna Lista", "Independent List"),
        ("Nisma Lokale", "Lokalna Inicijativa", "Local Initiative"),
        ("Aleanca e Qendrës së Majtë", "Savez Levog Centra", "Centre-Left Alliance"),
        ("Rruga e Re", "Novi Put", "New Road"),
    ];

    private static readonly string[] FirstNames =
    [
        "Arben", "Blerta", "Drita", "Fatmir", "Gresa", "Hana", "Ilir", "Jeta", "Kushtrim", "Liridona",
        "Mimoza", "Nora", "Petrit", "Rina", "Shpend", "Teuta", "Valon", "Vjosa", "Ardit", "Besa",
        "Dragan", "Jelena", "Milica", "Nikola", "Stefan", "Ivana", "Selim", "Ayşe", "Emine", "Fadil",
    ];

    private static readonly string[] LastNames =
    [
        "Berisha", "Krasniqi", "Gashi", "Hoxha", "Morina", "Shala", "Bytyqi", "Kelmendi", "Hasani", "Rexhepi",
        "Ahmeti", "Kryeziu", "Mustafa", "Salihu", "Zeqiri", "Jovanović", "Petrović", "Nikolić", "Stojanović", "Kurtaj",
        "Bajrami", "Thaqi", "Sylejmani", "Musliu", "Limani", "Osmani", "Halimi", "Demiri", "Ismaili", "Dervishi",
    ];

    private static readonly string[] SchoolNames =
    [
        "Naim Frashëri", "Sami Frashëri", "Ismail Qemali", "Faik Konica", "Migjeni", "Gjergj Fishta", "Andon Zako Çajupi",
        "Pjetër Bogdani", "Hasan Prishtina", "Mother Teresa", "Vuk Karadžić", "Sveti Sava", "Dëshmorët", "Bajram Curri",
        "Ndre Mjeda", "Asim Vokshi", "Xhevdet Doda", "Skënderbeu", "7 Shtatori", "Ganimete Tërbeshi",
    ];

    private static readonly JsonWriterOptions IndentedOptions = new()
    {
        Indented = true,
        // A file for people in Kosovo: write "Prishtinë", not "Prishtin\u00EB". The file is never embedded in HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = false,
    };

    private static readonly JsonWriterOptions CompactOptions = IndentedOptions with { Indented = false };

    /// <summary>The names of Kosovo's 38 municipalities (Albanian, Serbian Latin) in the generator's order.</summary>
    public static IReadOnlyList<(string Albanian, string SerbianLatin)> KosovoMunicipalityNames { get; } =
        KosovoMunicipalities.Select(m => (m.Sq, m.Sr)).ToArray();

    /// <summary>Writes the definition JSON (UTF-8, no BOM) to <paramref name="destination"/>; the stream is left open.</summary>
    public static void Write(Stream destination, ElectionDefinitionGeneratorOptions options)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var random = new SeededRandom(options.Seed);
        using var writer = new Utf8JsonWriter(destination, options.Indented ? IndentedOptions : CompactOptions);

        writer.WriteStartObject();
        writer.WriteString("electionId", options.ElectionId);
        var rehearsal = options.Mode == ElectionMode.Test;
        WriteName(writer, "name",
            ("sq", rehearsal ? "Zgjedhjet për Kuvendin e Kosovës 2025 (provë)" : "Zgjedhjet për Kuvendin e Kosovës 2025"),
            ("sr-Latn", rehearsal ? "Izbori za Skupštinu Kosova 2025 (proba)" : "Izbori za Skupštinu Kosova 2025"),
            ("en", rehearsal ? "Kosovo Assembly elections 2025 (rehearsal)" : "Kosovo Assembly elections 2025"));
        writer.WriteString("mode", options.Mode.ToJsonName());
        writer.WriteStartObject("nightWindow");
        writer.WriteString("opensAt", FormatTime(options.NightOpensAt));
        writer.WriteString("closesAt", FormatTime(options.NightOpensAt + options.NightDuration));
        writer.WriteEndObject();
        writer.WriteNumber("usedAllowance", options.UsedAllowance);

        writer.WriteStartArray("contests");
        WriteContests(writer, options, random);
        writer.WriteEndArray();

        writer.WriteStartArray("municipalities");
        for (var m = 0; m < options.Municipalities; m++)
        {
            writer.WriteStartObject();
            writer.WriteString("code", MunicipalityCode(m));
            var (sq, sr) = MunicipalityName(m);
            WriteName(writer, "name", ("sq", sq), ("sr-Latn", sr));
            writer.WriteEndObject();
        }

        writer.WriteEndArray();

        writer.WriteStartArray("stations");
        WriteStations(writer, options, random);
        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.Flush();
    }

    /// <summary>The definition JSON as bytes (for tests and in-memory use).</summary>
    public static byte[] Generate(ElectionDefinitionGeneratorOptions options)
    {
        using var buffer = new MemoryStream();
        Write(buffer, options);
        return buffer.ToArray();
    }

    /// <summary>The id of party <paramref name="index"/> (0-based) in the generated party contest: <c>P01</c>, <c>P02</c>, ...</summary>
    public static string PartyId(int index) => "P" + (index + 1).ToString("D2", CultureInfo.InvariantCulture);

    /// <summary>The id of the generated single-choice party contest.</summary>
    public const string PartyContestId = "parties";

    /// <summary>The id of the generated preference contest.</summary>
    public const string CandidateContestId = "candidates";

    private static void WriteContests(Utf8JsonWriter writer, ElectionDefinitionGeneratorOptions options, SeededRandom random)
    {
        writer.WriteStartObject();
        writer.WriteString("id", PartyContestId);
        WriteName(writer, "name", ("sq", "Subjektet politike"), ("sr-Latn", "Političke stranke"), ("en", "Political parties"));
        writer.WriteString("kind", ContestKind.SingleChoice.ToJsonName());
        writer.WriteStartArray("choices");
        for (var p = 0; p < options.Parties; p++)
        {
            writer.WriteStartObject();
            writer.WriteString("id", PartyId(p));
            if (p < PartyNames.Length)
            {
                var (sq, sr, en) = PartyNames[p];
                WriteName(writer, "name", ("sq", sq), ("sr-Latn", sr), ("en", en));
            }
            else
            {
                writer.WriteString("name", $"Lista {p + 1}");
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();

        if (options.CandidatesPerParty == 0)
        {
            return;
        }

        writer.WriteStartObject();
        writer.WriteString("id", CandidateContestId);
        WriteName(writer, "name", ("sq", "Kandidatët"), ("sr-Latn", "Kandidati"), ("en", "Candidates"));
        writer.WriteString("kind", ContestKind.Preference.ToJsonName());
        writer.WriteNumber("maxPreferences", options.MaxPreferences);
        writer.WriteStartArray("choices");
        for (var p = 0; p < options.Parties; p++)
        {
            for (var c = 0; c < options.CandidatesPerParty; c++)
            {
                writer.WriteStartObject();
                writer.WriteString("id", $"{PartyId(p)}-C{(c + 1).ToString("D2", CultureInfo.InvariantCulture)}");
                var first = FirstNames[random.Next(0, FirstNames.Length)];
                var last = LastNames[random.Next(0, LastNames.Length)];
                writer.WriteString("name", first + " " + last);
                writer.WriteString("party", PartyId(p));
                writer.WriteEndObject();
            }
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteStations(Utf8JsonWriter writer, ElectionDefinitionGeneratorOptions options, SeededRandom random)
    {
        var perMunicipality = SplitByWeight(options.StationCount, options.Municipalities);
        var next = 0;
        for (var m = 0; m < options.Municipalities; m++)
        {
            var municipalityCode = MunicipalityCode(m);
            var municipalityName = MunicipalityName(m).Sq;
            var remaining = perMunicipality[m];
            var centre = 0;
            while (remaining > 0)
            {
                centre++;
                var inCentre = Math.Min(remaining, random.Next(1, 9));
                var centreName = $"Shkolla \"{SchoolNames[random.Next(0, SchoolNames.Length)]}\", {municipalityName} ({centre})";
                for (var s = 1; s <= inCentre; s++)
                {
                    writer.WriteStartObject();
                    writer.WriteString("code", options.StationCodes is { } codes
                        ? codes[next++]
                        : string.Create(CultureInfo.InvariantCulture, $"{municipalityCode}-{centre:D4}-{s:D2}"));
                    writer.WriteString("pollingCentre", centreName);
                    writer.WriteString("municipality", municipalityCode);
                    writer.WriteNumber("registeredVoters", random.Next(300L, 1001L));
                    writer.WriteEndObject();
                }

                remaining -= inCentre;

                // Keep the writer's buffer small for very large registries.
                if (writer.BytesPending > 1 << 16)
                {
                    writer.Flush();
                }
            }
        }
    }

    // Every municipality gets at least one station when there are enough; the rest follow the weights
    // (largest remainder), so the split is exact and deterministic.
    private static long[] SplitByWeight(int stations, int municipalities)
    {
        var weights = Enumerable.Range(0, municipalities).Select(m => (long)(m < KosovoMunicipalities.Length ? KosovoMunicipalities[m].Weight : 20)).ToArray();
        var counts = new long[municipalities];
        var floor = stations >= municipalities ? 1 : 0;
        if (floor == 0)
        {
            for (var i = 0; i < stations; i++)
            {
                counts[i] = 1;
            }

            return counts;
        }

        long rest = stations - municipalities;
        var totalWeight = weights.Sum();
        var remainders = new (long Remainder, int Index)[municipalities];
        long assigned = 0;
        for (var m = 0; m < municipalities; m++)
        {
            var share = rest * weights[m];
            counts[m] = 1 + (share / totalWeight);
            assigned += share / totalWeight;
            remainders[m] = (share % totalWeight, m);
        }

        foreach (var (_, index) in remainders.OrderByDescending(r => r.Remainder).ThenBy(r => r.Index).Take((int)(rest - assigned)))
        {
            counts[index]++;
        }

        return counts;
    }

    private static string MunicipalityCode(int index) => (index + 1).ToString("D2", CultureInfo.InvariantCulture);

    private static (string Sq, string Sr) MunicipalityName(int index) => index < KosovoMunicipalities.Length
        ? (KosovoMunicipalities[index].Sq, KosovoMunicipalities[index].Sr)
        : ($"Komuna {index + 1}", $"Opština {index + 1}");

    private static string FormatTime(DateTimeOffset time) =>
        time.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    private static void WriteName(Utf8JsonWriter writer, string property, params (string Language, string Text)[] texts)
    {
        writer.WriteStartObject(property);
        foreach (var (language, text) in texts)
        {
            writer.WriteString(language, text);
        }

        writer.WriteEndObject();
    }
}
