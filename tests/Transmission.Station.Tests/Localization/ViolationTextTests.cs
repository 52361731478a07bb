using System.Globalization;
using System.Reflection;
using Transmission.Core.Election;
using Transmission.Core.Protocol;
using Transmission.Station.Localization;
using Transmission.Station.Protocol;
using Transmission.Station.Tests.Support;
using Transmission.Testing;

namespace Transmission.Station.Tests.Localization;

/// <summary>
/// The chair's problem sentences are said from the violation's code and fields. In English they must be exactly
/// Core's sentences (so the rendering reads the right fields); in Albanian and Serbian every one is translated and
/// carries the same numbers.
/// </summary>
public sealed class ViolationTextTests
{
    private static readonly ElectionDefinition Definition = ElectionDefinition.Parse(TestElection.Bytes()).Definition!;

    public static TheoryData<string> Translations => new() { "sq", "sr-Latn" };

    [Fact]
    public void For_EveryViolationOfTheCorpus_EnglishIsCoresSentence()
    {
        var violations = Corpus();

        using (new UiCulture("en"))
        {
            foreach (var (station, violation) in violations)
            {
                Assert.Equal(violation.Message, ViolationText.For(violation, Definition, station));
            }
        }
    }

    [Fact]
    public void Corpus_CoversEveryRuleCode()
    {
        var codes = typeof(ProtocolRules).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToHashSet(StringComparer.Ordinal);

        var found = Corpus().Select(v => v.Violation.Code).ToHashSet(StringComparer.Ordinal);

        Assert.Equal(codes.Order(StringComparer.Ordinal), found.Order(StringComparer.Ordinal));
        var resourceKeys = StationText.ResourceManager.GetResourceSet(CultureInfo.InvariantCulture, createIfNotExists: true, tryParents: true)!
            .Cast<System.Collections.DictionaryEntry>().Select(e => (string)e.Key).Where(k => k.StartsWith("Rule_", StringComparison.Ordinal)).ToArray();
        Assert.All(codes, code => Assert.Contains(resourceKeys, k => k == "Rule_" + code || k.StartsWith("Rule_" + code + "_", StringComparison.Ordinal)));
    }

    [Theory]
    [MemberData(nameof(Translations))]
    public void For_EveryViolationOfTheCorpus_TranslatedWithTheSameNumbers(string language)
    {
        foreach (var (station, violation) in Corpus())
        {
            string english;
            string translated;
            using (new UiCulture("en"))
            {
                english = ViolationText.For(violation, Definition, station);
            }

            using (new UiCulture(language))
            {
                translated = ViolationText.For(violation, Definition, station);
            }

            Assert.NotEqual(english, translated);
            foreach (var (_, value) in violation.Numbers)
            {
                // The numbers as the language writes them (sq and sr group thousands differently from English).
                var text = value.ToString(Int128.Abs(value) > 999 ? "N0" : "D", CultureInfo.GetCultureInfo(language));
                // An attachment's index and a fingerprint's length are not shown in every variant of those sentences.
                var shown = violation.Code is not (ProtocolRules.AttachmentInvalid or ProtocolRules.DefinitionMismatch);
                Assert.True(!shown || translated.Contains(text, StringComparison.Ordinal), $"{violation.Code}: '{text}' not in '{translated}'");
            }
        }
    }

    [Fact]
    public void For_ContestMissing_ContestNameInTheChosenLanguage()
    {
        // The test election names its contests "Parties" (one text) and candidates; a per-language definition name is used when present.
        var protocol = Valid() with { Contests = [] };
        var missing = ProtocolValidator.Validate(protocol, Definition).Violations.Where(v => v.Code == ProtocolRules.ContestMissing).ToArray();

        using var culture = new UiCulture("sq");
        var parties = ViolationText.For(missing.Single(v => v.ContestId == "parties"), Definition, "ST-0001");

        Assert.Equal("Gara 'parties' (Parties) mungon në procesverbal; shënoni votat e saj, edhe nëse janë të gjitha 0.", parties);
    }

    [Fact]
    public void For_ValidInvalidNotUsedInAlbanian_ThousandsGroupedTheAlbanianWay()
    {
        var protocol = Valid() with { Ballots = new BallotCounts(812, 1500, 1250, 250, 0, 10, 1_234) };
        var violation = ProtocolValidator.Validate(protocol, Definition).Violations.Single(v => v.Code == ProtocolRules.ValidInvalidNotUsed);
        var sq = CultureInfo.GetCultureInfo("sq").NumberFormat.NumberGroupSeparator;

        using var culture = new UiCulture("sq");
        var text = ViolationText.For(violation, Definition, "ST-0001");

        Assert.Equal($"Të vlefshme (1{sq}234) + të pavlefshme (10) = 1{sq}244, por fletëvotimet e përdorura janë 1{sq}250.", text);
    }

    /// <summary>Protocols built to break every rule, each variant of each message at least once.</summary>
    private static List<(string Station, ProtocolViolation Violation)> Corpus()
    {
        var valid = Valid();
        var parties = valid.Contests.Single(c => c.ContestId == "parties");
        var candidates = valid.Contests.Single(c => c.ContestId == "candidates");
        var b = valid.Ballots;
        var protocols = new List<ResultProtocol>
        {
            // Arithmetic: valid + invalid != used, received != used + unused + spoiled, party sum != valid.
            valid with { Ballots = b with { Valid = b.Valid + 1 } },
            valid with { Ballots = b with { Received = b.Received + 3 } },

            // Binding: another election, definition, mode, station; a correction without its reason.
            valid with
            {
                ElectionId = "other-election",
                DefinitionSha256 = new byte[32],
                Mode = ElectionMode.Live,
                StationCode = "ST-9999",
                Revision = 2,
            },
            valid with { DefinitionSha256 = new byte[5], Mode = ElectionMode.Unspecified, Revision = 0 },

            // Negative counts, more ballots used than registered (+ allowance), a mistyped registered-voters number.
            valid with { Ballots = b with { Spoiled = -1 } },
            valid with { Ballots = new BallotCounts(812, 900, 900, 0, 0, 0, 900) },
            valid with { Ballots = b with { RegisteredVoters = 813 } },
            valid with
            {
                Contests =
                [
                    parties with { Choices = [.. parties.Choices.Select((c, i) => i == 0 ? c with { Votes = -2 } : c), new ChoiceVotes("P99", 0), parties.Choices[1]] },
                    new ContestResult("referendum", []),
                    new ContestResult("referendum", []),
                ],
            },
            valid with
            {
                Contests =
                [
                    parties,
                    candidates with { Choices = [.. candidates.Choices.Select((c, i) => i == 0 ? c with { Votes = b.Valid + 1 } : c with { Votes = b.Valid })] },
                    parties,
                ],
            },
            valid with
            {
                Attachments =
                [
                    new AttachmentDigest(string.Empty, "image/png", 10, new byte[32]),
                    new AttachmentDigest("../scan.png", "text/plain", 0, new byte[3]),
                    new AttachmentDigest("form.pdf", "application/pdf", 5, new byte[32]),
                    new AttachmentDigest("form.pdf", "application/pdf", 5, new byte[32]),
                ],
            },
        };

        // The allowance variant needs an election that has one; the test election allows 5.
        var result = new List<(string, ProtocolViolation)>();
        foreach (var protocol in protocols)
        {
            result.AddRange(ProtocolValidator.Validate(protocol, Definition).Violations.Select(v => (protocol.StationCode, v)));
        }

        return result;
    }

    private static ResultProtocol Valid() => SampleProtocols.Create(Definition, "ST-0001", seed: 3);
}
