using Transmission.Audit.Tests.Fixtures;
using Transmission.Audit.Tests.Tampering;

namespace Transmission.Audit.Tests.Cli;

/// <summary>
/// The plain report of <c>transmission-audit verify</c> in each language: translated text, the same finding codes and
/// places, and a JSON report that is byte-for-byte the same whatever the language (machine-readable, never translated).
/// </summary>
public sealed class AuditorLanguageTests(BundleFixture fixture) : IClassFixture<BundleFixture>
{
    [Theory]
    [InlineData("sq", "REZULTATI: U VERIFIKUA. Asnjë gjetje.", "Nënshkruar para revokimit (të vlefshme):", "vendvotimi {0} rishikimi 1",
        @"\] Nënshkruar më \d{2}\.\d{2}\.\d{4} \d{2}:\d{2}:\d{2} UTC, pranuar më \d{2}\.\d{2}\.\d{4} \d{2}:\d{2}:\d{2} UTC; certifikata e tij \(numri serik [0-9A-F]+\) u revokua më vonë, më \d{2}\.\d{2}\.\d{4} \d{2}:\d{2}:\d{2} UTC: nënshkruar para revokimit, i vlefshëm\.",
        "transmission-audit: po lexohet paketa", "transmission-audit: po verifikohet regjistri: 100 %")]
    [InlineData("sr-Latn", "REZULTAT: PROVERENO. Nema nalaza.", "Potpisano pre opoziva (važeće):", "biračko mesto {0} revizija 1",
        @"\] Potpisan \d{2}\.\d{2}\.\d{4}\. \d{2}:\d{2}:\d{2} UTC, primljen \d{2}\.\d{2}\.\d{4}\. \d{2}:\d{2}:\d{2} UTC; njegov sertifikat \(serijski broj [0-9A-F]+\) opozvan je kasnije, \d{2}\.\d{2}\.\d{4}\. \d{2}:\d{2}:\d{2} UTC: potpisano pre opoziva, važeće\.",
        "transmission-audit: čita se paket", "transmission-audit: proverava se dnevnik: 100 %")]
    [InlineData("en", "RESULT: VERIFIED. No finding.", "Signed before revocation (valid):", "station {0} revision 1",
        @"\] Signed \d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z, received \d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z; its certificate \(serial [0-9A-F]+\) was revoked later, at \d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z: signed before revocation, valid\.",
        "transmission-audit: reading the bundle", "transmission-audit: verifying the log: 100 %")]
    public async Task Verify_CleanBundleInLanguage_TranslatedReportNotesAndPhasesSameJson(string language, string verdict, string notes, string place, string note, string firstPhase, string logPhase)
    {
        using var temp = new TempFolder();

        var result = await BuiltAuditor.RunAsync("verify", fixture.Bundle, "--root", fixture.PinnedRoot, "--lang", language, "--json", temp["report.json"]);
        var english = await BuiltAuditor.RunAsync("verify", fixture.Bundle, "--root", fixture.PinnedRoot, "--json", temp["english.json"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains(verdict, result.Stdout, StringComparison.Ordinal);
        Assert.Contains(notes, result.Stdout, StringComparison.Ordinal);
        Assert.Contains(string.Format(System.Globalization.CultureInfo.InvariantCulture, place, fixture.Election.RevokedStation), result.Stdout, StringComparison.Ordinal);
        // The note in the language's words, with its facts (serial, times in the language's format).
        Assert.Matches(note, result.Stdout);
        // Progress on stderr (redirected: plain lines), the phases in the language; the prefix is the program's name.
        Assert.Contains(firstPhase, result.StderrLines);
        Assert.Contains(logPhase, result.StderrLines);
        Assert.Equal(0, english.ExitCode);
        Assert.Equal(File.ReadAllText(temp["english.json"]), File.ReadAllText(temp["report.json"]));
    }

    [Theory]
    [InlineData("sq", "REZULTATI: NUK U VERIFIKUA. ", "[hyrja {0}, vendvotimi {1} rishikimi 1]", "Nënshkrimi i kryesuesit mungon, është me algoritëm të panjohur, ose nuk verifikohet.", "      hollësitë (në anglisht): ")]
    [InlineData("sr-Latn", "REZULTAT: NIJE PROVERENO. ", "[unos {0}, biračko mesto {1} revizija 1]", "Potpis predsednika nedostaje, nepoznatog je algoritma ili ne prolazi proveru.", "      detalji (na engleskom): ")]
    public async Task Verify_TamperedBundleInLanguage_SameCodeTranslatedPlaceAndMeaningThenTheEnglishDetail(string language, string verdict, string place, string meaning, string detail)
    {
        using var temp = new TempFolder();
        TempFolder.Copy(fixture.Bundle, temp["bundle"]);
        var expected = TamperCorpus.Get("signature-byte-changed").Apply(new TamperContext(temp["bundle"], temp["saved"], new TamperKeys()))!;

        var result = await BuiltAuditor.RunAsync("verify", temp["bundle"], "--root", fixture.PinnedRoot, "--lang", language);

        Assert.Equal(8, result.ExitCode);
        var line = string.Format(System.Globalization.CultureInfo.InvariantCulture, place, expected.Index, expected.Station);
        var lines = result.Stdout.Split('\n');
        var at = Array.FindIndex(lines, l => l.Contains($"SIGNATURE_INVALID (SIGNATURE_INVALID)  {line}", StringComparison.Ordinal));
        Assert.True(at >= 0, result.Stdout);
        Assert.EndsWith($"{line} {meaning}", lines[at], StringComparison.Ordinal);
        // The engine's own sentence with its facts follows, marked as English, exactly as the English report and the JSON give it.
        var english = await BuiltAuditor.RunAsync("verify", temp["bundle"], "--root", fixture.PinnedRoot, "--lang", "en");
        var englishLine = english.Stdout.Split('\n').Single(l => l.Contains("SIGNATURE_INVALID (SIGNATURE_INVALID)", StringComparison.Ordinal));
        var sentence = englishLine[(englishLine.IndexOf(']', StringComparison.Ordinal) + 2)..];
        Assert.Equal(detail + sentence, lines[at + 1]);
        Assert.Contains(verdict, result.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sq", "gabim: Komandë ose argument i panjohur '--bogus'.", "gabim: Opsioni '--out' është i detyrueshëm.", "gabim: Mungon argumenti i detyrueshëm 'bundle-folder' i komandës: 'verify'.")]
    [InlineData("sr-Latn", "greška: Nepoznata komanda ili argument '--bogus'.", "greška: Opcija '--out' je obavezna.", "greška: Nedostaje obavezan argument 'bundle-folder' komande: 'verify'.")]
    [InlineData("en", "error: Unrecognized command or argument '--bogus'.", "error: Option '--out' is required.", "error: Required argument 'bundle-folder' missing for command: 'verify'.")]
    public async Task ParseErrors_InLanguage_OneTranslatedErrorLineEachExit1(string language, string unknown, string missingOption, string missingArgument)
    {
        // System.CommandLine's own words, from our CommandLineText resources (the library has no sq or sr-Latn text).
        var fetch = await BuiltAuditor.RunAsync("fetch", "--bogus", "--lang", language);
        var verify = await BuiltAuditor.RunAsync("verify", "--lang", language);

        Assert.Equal(1, fetch.ExitCode);
        Assert.Equal([unknown, missingOption], fetch.StderrLines);
        Assert.Equal(1, verify.ExitCode);
        Assert.Equal([missingArgument], verify.StderrLines);
    }

    [Theory]
    [InlineData("sq", "gabim: Dosja e paketës '/nonexistent/bundle' nuk ekziston.")]
    [InlineData("sr-Latn", "greška: Fascikla paketa '/nonexistent/bundle' ne postoji.")]
    [InlineData("en", "error: The bundle folder '/nonexistent/bundle' does not exist.")]
    public async Task Verify_MissingFolderInLanguage_OneTranslatedLineSameExitCode(string language, string line)
    {
        var result = await BuiltAuditor.RunAsync("verify", "/nonexistent/bundle", "--lang", language);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal([line], result.StderrLines);
    }
}
