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
    [InlineData("sq", "REZULTATI: U VERIFIKUA. Asnjë gjetje.", "Nënshkruar para revokimit (të vlefshme):", "vendvotimi {0} rishikimi 1")]
    [InlineData("sr-Latn", "REZULTAT: PROVERENO. Nema nalaza.", "Potpisano pre opoziva (važeće):", "biračko mesto {0} revizija 1")]
    [InlineData("en", "RESULT: VERIFIED. No finding.", "Signed before revocation (valid):", "station {0} revision 1")]
    public async Task Verify_CleanBundleInLanguage_TranslatedReportSameJson(string language, string verdict, string notes, string place)
    {
        using var temp = new TempFolder();

        var result = await BuiltAuditor.RunAsync("verify", fixture.Bundle, "--root", fixture.PinnedRoot, "--lang", language, "--json", temp["report.json"]);
        var english = await BuiltAuditor.RunAsync("verify", fixture.Bundle, "--root", fixture.PinnedRoot, "--json", temp["english.json"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains(verdict, result.Stdout, StringComparison.Ordinal);
        Assert.Contains(notes, result.Stdout, StringComparison.Ordinal);
        Assert.Contains(string.Format(System.Globalization.CultureInfo.InvariantCulture, place, fixture.Election.RevokedStation), result.Stdout, StringComparison.Ordinal);
        Assert.Equal(0, english.ExitCode);
        Assert.Equal(File.ReadAllText(temp["english.json"]), File.ReadAllText(temp["report.json"]));
    }

    [Theory]
    [InlineData("sq", "REZULTATI: NUK U VERIFIKUA. ", "[hyrja {0}, vendvotimi {1} rishikimi 1]")]
    [InlineData("sr-Latn", "REZULTAT: NIJE PROVERENO. ", "[unos {0}, biračko mesto {1} revizija 1]")]
    public async Task Verify_TamperedBundleInLanguage_SameCodeTranslatedPlace(string language, string verdict, string place)
    {
        using var temp = new TempFolder();
        TempFolder.Copy(fixture.Bundle, temp["bundle"]);
        var expected = TamperCorpus.Get("signature-byte-changed").Apply(new TamperContext(temp["bundle"], temp["saved"], new TamperKeys()))!;

        var result = await BuiltAuditor.RunAsync("verify", temp["bundle"], "--root", fixture.PinnedRoot, "--lang", language);

        Assert.Equal(8, result.ExitCode);
        var line = string.Format(System.Globalization.CultureInfo.InvariantCulture, place, expected.Index, expected.Station);
        Assert.Contains($"SIGNATURE_INVALID (SIGNATURE_INVALID)  {line}", result.Stdout, StringComparison.Ordinal);
        Assert.Contains(verdict, result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_MissingFolderInAlbanian_TranslatedErrorPrefixSameExitCode()
    {
        var result = await BuiltAuditor.RunAsync("verify", "/nonexistent/bundle", "--lang", "sq");

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("gabim: ", result.Stderr, StringComparison.Ordinal);
        Assert.Single(result.StderrLines);
    }
}
