using System.Text.RegularExpressions;
using Transmission.Central.Tests.Hosting;
using Transmission.Central.Tests.Pki;
using Transmission.Central.Tests.Submission;
using Transmission.Testing;

namespace Transmission.Central.Tests.VerifierCli;

/// <summary>
/// The built <c>transmission-verifier</c> in each language against the real Central: list, show a protocol that breaks
/// a counting rule, decide and totals. Headings, states and sentences are translated; flag codes, typed values
/// (<c>accept</c>), digests and the JSON lines are not.
/// </summary>
public sealed class VerifierLanguageTests : IAsyncLifetime
{
    private readonly RunningCentral _central = new();
    private StationSubmitter _stations = null!;

    public async Task InitializeAsync()
    {
        await _central.InitializeAsync().DefaultTimeout(TimeSpan.FromSeconds(120));
        _stations = new StationSubmitter(_central);
    }

    public Task DisposeAsync() => _central.DisposeAsync().DefaultTimeout();

    [Theory]
    [InlineData("sq", "në pritje", "pa raportuar", "shënjime (1)", "r1 ende pa vendim", "u vendos: {0} tani është pranuar", "vendvotime: 2 të regjistruara, 1 raportuan (50,00%)")]
    [InlineData("sr-Latn", "na čekanju", "nije izvestilo", "oznake (1)", "r1 još bez odluke", "odlučeno: {0} je sada prihvaćen", "biračka mesta: 2 registrovano, 1 izvestilo (50,00%)")]
    [InlineData("en", "pending", "not reported", "flags (1)", "r1 not decided yet", "decided: {0} is now accepted", "stations: 2 registered, 1 reported (50.00%)")]
    public async Task ListShowDecideTotals_InLanguage_TranslatedTextSameCodes(string language, string pending, string notReported, string flags, string notDecided, string decided, string stations)
    {
        var protocol = _stations.Protocol("ST-0001", 1);
        protocol = protocol with
        {
            Ballots = protocol.Ballots with { Spoiled = protocol.Ballots.Spoiled + 1 },
            Explanation = "One spoiled ballot was found in the unused pile after sealing.",
        };
        var signed = _stations.Sign(protocol);
        var result = await _stations.SubmitAsync(signed);
        Assert.Null(result.Error);
        var sent = Convert.ToHexStringLower(signed.EnvelopeSha256);

        var list = await Verifier(language, "list");
        var json = await Verifier(language, "list", "--json", "--reported");
        var show = await Verifier(language, "show", "ST-0001");
        var decide = await Verifier(language, "decide", sent, "accept", "--reason", "Numbers match the scanned form.");
        var totals = await Verifier(language, "totals");

        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.Matches($@"\|\s*ST-0001\s*\|[^\n]*\|\s*{Regex.Escape(pending)}\s*\|\s*BALLOTS_NOT_BALANCED\s*\|", list.Output);
        Assert.Matches($@"\|\s*ST-0002\s*\|[^\n]*\|\s*{Regex.Escape(notReported)}\s*\|", list.Output);
        Assert.True(json.ExitCode == 0, json.ToString());
        var line = System.Text.Json.JsonDocument.Parse(json.Output.Trim()).RootElement;
        Assert.Equal("pending", line.GetProperty("state").GetString());
        Assert.True(show.ExitCode == 0, show.ToString());
        Assert.Contains(flags, show.Output, StringComparison.Ordinal);
        Assert.Matches(@"\|\s*BALLOTS_NOT_BALANCED\s*\|", show.Output);
        Assert.Contains(notDecided, show.Output, StringComparison.Ordinal);
        Assert.True(decide.ExitCode == 0, decide.ToString());
        Assert.StartsWith(string.Format(System.Globalization.CultureInfo.InvariantCulture, decided, sent), decide.Output, StringComparison.Ordinal);
        Assert.True(totals.ExitCode == 0, totals.ToString());
        Assert.Contains(stations, totals.Output, StringComparison.Ordinal);
        _central.Logs.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task Decide_UnknownDecisionInSerbian_ParseErrorTranslatedExitOne()
    {
        var result = await Verifier("sr-Latn", "decide", new string('a', 64), "maybe", "--reason", "x");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("greška: odluka mora biti jedno od: accept, reject, recount; a ne 'maybe'", result.Error, StringComparison.Ordinal);
    }

    /// <summary>
    /// A second decision on a decided revision: Central refuses it with <c>ALREADY_DECIDED</c>. The verifier reads
    /// what the code means in the chosen language, then Central's English words marked as English; in English,
    /// Central's words as they came.
    /// </summary>
    [Theory]
    [InlineData("sq", "gabim: refuzuar nga Qendra (FAILED_PRECONDITION): ALREADY_DECIDED: Për këtë rishikim është vendosur tashmë; vendimet janë përfundimtare. Një ndryshim kërkon rishikim të ri nga vendvotimi. (fjalët e Qendrës, në anglisht: ALREADY_DECIDED: this revision was already decided (Rejected); decisions are final. A change needs a new revision from the station.)")]
    [InlineData("sr-Latn", "greška: Centrala je odbila (FAILED_PRECONDITION): ALREADY_DECIDED: O ovoj reviziji je već odlučeno; odluke su konačne. Izmena zahteva novu reviziju od biračkog mesta. (reči Centrale, na engleskom: ALREADY_DECIDED: this revision was already decided (Rejected); decisions are final. A change needs a new revision from the station.)")]
    [InlineData("en", "error: refused by Central (FAILED_PRECONDITION): ALREADY_DECIDED: this revision was already decided (Rejected); decisions are final. A change needs a new revision from the station.")]
    public async Task Decide_AlreadyDecided_RefusalMeaningInTheChosenLanguage(string language, string expected)
    {
        var signed = _stations.Sign(_stations.Protocol("ST-0002", 1));
        Assert.Null((await _stations.SubmitAsync(signed)).Error);
        var sent = Convert.ToHexStringLower(signed.EnvelopeSha256);
        var first = await Verifier(language, "decide", sent, "reject", "--reason", "The scan is unreadable.");

        var second = await Verifier(language, "decide", sent, "accept", "--reason", "Second thoughts.");

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Equal(4, second.ExitCode);
        Assert.Equal(expected, second.Error.Trim());
    }

    [Fact]
    public void CentralMeanings_EveryReviewRefusalCode_InEachLanguage()
    {
        var codes = typeof(Transmission.Core.Review.ReviewRefusals).GetFields().Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).ToArray();
        Assert.NotEmpty(codes);
        foreach (var code in codes)
        {
            foreach (var language in new[] { "en", "sq", "sr-Latn" })
            {
                var text = Transmission.Cli.Localization.CliText.ResourceManager.GetString(
                    Transmission.Cli.Connection.CallFailures.CentralMeaningPrefix + code, System.Globalization.CultureInfo.GetCultureInfo(language));
                Assert.False(string.IsNullOrWhiteSpace(text), $"{code} has no meaning in {language}");
            }
        }
    }

    private Task<CliResult> Verifier(string language, params string[] args) =>
        BuiltExecutable.Verifier([.. args, "--lang", language, "--central", _central.Address.ToString(), "--identity", _central.Pki.VerifierDir]);
}
