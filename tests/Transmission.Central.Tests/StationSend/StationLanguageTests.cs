using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Transmission.Central.Tests.Hosting;
using Transmission.Testing;

namespace Transmission.Central.Tests.StationSend;

/// <summary>
/// The chair's whole workflow with the built <c>transmission-station</c> in each language against the real Central
/// (mutual TLS, SQLite): install the election, check a protocol whose numbers do not add up, refuse to sign it
/// without an explanation, sign it with one, send, receipt. The text is the chosen language's; the reason codes and
/// exit codes are the same in every language, and Central stores the same flags.
/// </summary>
public sealed class StationLanguageTests : IAsyncLifetime
{
    private const string Station = "ST-0001";
    private readonly RunningCentral _central = new();

    public static TheoryData<string, LanguageExpectations> Languages => new()
    {
        {
            "sq", new LanguageExpectations(
                Banner: "ZGJEDHJE PROVË (ushtrim) ",
                Registered: "votues të regj.",
                ValidInvalid: "rregull numërimi: Të vlefshme (",
                ContestSum: "rregull numërimi: Votat në garën '",
                Unexplained: "gabim: procesverbali shkel 2 rregull(a) numërimi; ndreqni numrat",
                Explained: "procesverbali shkel 2 rregull(a) numërimi, me shpjegim; Qendra do ta ruajë të shënuar për shqyrtim",
                Signed: "u nënshkrua rishikimi 1 i vendvotimit ST-0001 më ",
                Done: "u krye: 1 procesverbal(e) me dëftesë nga Qendra",
                Receipt: "dëftesa e rishikimit 1 (e verifikuar)",
                LogIndex: "indeksi në regj.  ",
                KeysCreated: ": çelësat në ",
                KeysRefused: "gabim: ",
                KeysRefusedEnd: " ka tashmë çelësa; nuk do të mbishkruhen",
                Handshake: "U lidh me Qendrën në ",
                StillInLog: "rishikimi 1: ende në regjistër (hyrja ",
                Witnessed: "pika e kontrollit e regjistrit të Qendrës me ")
        },
        {
            "sr-Latn", new LanguageExpectations(
                Banner: "PROBNI IZBORI (vežba) ",
                Registered: "upisani birači",
                ValidInvalid: "pravilo brojanja: Važeći (",
                ContestSum: "pravilo brojanja: Glasovi u nadmetanju '",
                Unexplained: "greška: zapisnik krši 2 pravilo(a) brojanja; ispravite brojeve",
                Explained: "zapisnik krši 2 pravilo(a) brojanja, uz objašnjenje; Centrala će ga sačuvati označenog za pregled",
                Signed: "potpisana revizija 1 biračkog mesta ST-0001 u ",
                Done: "gotovo: Centrala je potvrdila prijem 1 zapisnika",
                Receipt: "potvrda revizije 1 (proverena)",
                LogIndex: "indeks u dnevniku ",
                KeysCreated: ": ključevi u ",
                KeysRefused: "greška: ",
                KeysRefusedEnd: " već ima ključeve; neće biti prepisani",
                Handshake: "Povezano sa Centralom na ",
                StillInLog: "revizija 1: i dalje u dnevniku (unos ",
                Witnessed: "kontrolna tačka dnevnika Centrale sa ")
        },
        {
            "en", new LanguageExpectations(
                Banner: "TEST ELECTION (rehearsal) ",
                Registered: "registered voters",
                ValidInvalid: "counting rule: Valid (",
                ContestSum: "counting rule: The votes in contest '",
                Unexplained: "error: the protocol breaks 2 counting rule(s); correct the counts",
                Explained: "the protocol breaks 2 counting rule(s), explained; Central will store it flagged for review",
                Signed: "signed revision 1 of station ST-0001 at ",
                Done: "done: 1 protocol(s) receipted by Central",
                Receipt: "receipt of revision 1 (verified)",
                LogIndex: "log index         ",
                KeysCreated: ": keys in ",
                KeysRefused: "error: ",
                KeysRefusedEnd: " already has keys; refusing to overwrite them",
                Handshake: "Connected to Central at ",
                StillInLog: "revision 1: still in the log (entry ",
                Witnessed: "Central's log checkpoint of ")
        },
    };

    public Task InitializeAsync() => _central.InitializeAsync().DefaultTimeout(TimeSpan.FromSeconds(120));

    public Task DisposeAsync() => _central.DisposeAsync().DefaultTimeout();

    [Theory]
    [MemberData(nameof(Languages))]
    public async Task StationWorkflow_ArithmeticErrorThenExplained_TranslatedTextSameCodes(string language, LanguageExpectations expect)
    {
        var election = _central.Pki.Election;
        var dir = _central.Pki.StationDir(Station);

        // keys init on a new station's folder, then again on the same folder: refused (exit 3) with nothing replaced.
        var newDir = _central.Pki.StationDir("ST-0099");
        var init = await BuiltExecutable.Station("keys", "init", "--station", "ST-0099", "--dir", newDir, "--lang", language);
        Assert.True(init.ExitCode == 0, init.ToString());
        Assert.StartsWith("urn:transmission:station:ST-0099" + expect.KeysCreated + newDir, Assert.Single(init.Lines()), StringComparison.Ordinal);
        var keyBefore = await File.ReadAllBytesAsync(Path.Combine(newDir, "tls.key.pem"));
        var again = await BuiltExecutable.Station("keys", "init", "--station", "ST-0099", "--dir", newDir, "--lang", language);
        Assert.True(again.ExitCode == 3, again.ToString());
        Assert.Equal(expect.KeysRefused + newDir + expect.KeysRefusedEnd, again.Error.Trim());
        Assert.Equal(keyBefore, await File.ReadAllBytesAsync(Path.Combine(newDir, "tls.key.pem")));

        var handshake = await BuiltExecutable.Station("handshake", "--dir", dir, "--central", _central.Address.ToString(), "--lang", language);
        Assert.True(handshake.ExitCode == 0, handshake.ToString());
        Assert.StartsWith(expect.Handshake, handshake.Lines()[0], StringComparison.Ordinal);
        Assert.EndsWith("urn:transmission:station:" + Station, handshake.Lines()[0], StringComparison.Ordinal);
        var install = await BuiltExecutable.Station("election", "install", "--dir", dir, "--definition", _central.Pki.ElectionPath, "--lang", language);
        Assert.True(install.ExitCode == 0, install.ToString());
        Assert.StartsWith(expect.Banner, install.Lines()[0], StringComparison.Ordinal);

        // The election's name as the definition gives it in this language (LocalizedName falls back when absent).
        Assert.Contains(election.Name.Get(language), install.Output, StringComparison.Ordinal);
        Assert.Contains(install.Lines(), l => l.StartsWith(expect.Registered, StringComparison.Ordinal));

        // One more valid ballot than the paper adds up to: valid + invalid != used, and the party votes != valid.
        var form = StationFolders.FilledForm(election, Station, change: f => f["ballots"]!["valid"] = (long)f["ballots"]!["valid"]! + 1);

        var check = await BuiltExecutable.Station("protocol", "check", "--dir", dir, "--file", form, "--lang", language);

        Assert.True(check.ExitCode == 7, check.ToString());
        Assert.StartsWith(expect.Banner, check.Lines()[0], StringComparison.Ordinal);
        var validInvalid = Assert.Single(check.Lines(), l => l.EndsWith("[VALID_INVALID_NOT_USED]", StringComparison.Ordinal));
        Assert.StartsWith(expect.ValidInvalid, validInvalid, StringComparison.Ordinal);
        var contestSum = Assert.Single(check.Lines(), l => l.EndsWith("[CONTEST_SUM_MISMATCH]", StringComparison.Ordinal));
        Assert.StartsWith(expect.ContestSum, contestSum, StringComparison.Ordinal);
        Assert.StartsWith(expect.Unexplained, check.Error, StringComparison.Ordinal);

        var refused = await BuiltExecutable.Station("protocol", "sign", "--dir", dir, "--file", form, "--lang", language);
        Assert.True(refused.ExitCode == 7, refused.ToString());
        Assert.StartsWith(expect.Unexplained, refused.Error, StringComparison.Ordinal);

        var sign = await BuiltExecutable.Station("protocol", "sign", "--dir", dir, "--file", form, "--lang", language, "--explain", "One ballot counted twice; the paper form says so.");
        Assert.True(sign.ExitCode == 0, sign.ToString());
        Assert.Contains(expect.Explained, sign.Lines());
        Assert.Contains(sign.Lines(), l => l.StartsWith(expect.Signed, StringComparison.Ordinal));

        var send = await BuiltExecutable.Station("send", "--dir", dir, "--central", _central.Address.ToString(), "--max-wait", "60", "--lang", language);
        Assert.True(send.ExitCode == 0, send.ToString());
        Assert.Equal(expect.Done, send.Lines()[^1]);
        Assert.Equal(string.Empty, send.Error);

        var show = await BuiltExecutable.Station("receipt", "show", "--dir", dir, "--lang", language);
        Assert.True(show.ExitCode == 0, show.ToString());
        Assert.Contains(expect.Receipt, show.Lines());

        var witness = await BuiltExecutable.Station("witness", "--dir", dir, "--central", _central.Address.ToString(), "--lang", language);
        Assert.True(witness.ExitCode == 0, witness.ToString());
        Assert.Contains(witness.Lines(), l => l.StartsWith(expect.StillInLog, StringComparison.Ordinal));
        Assert.StartsWith(expect.Witnessed, witness.Lines()[^1], StringComparison.Ordinal);

        // Central stored exactly this protocol, flagged with the same codes whatever the chair's language.
        await using var db = _central.OpenDatabase();
        var row = await db.Submissions.SingleAsync(s => s.StationCode == Station);
        Assert.Equal("CONTEST_SUM_MISMATCH,VALID_INVALID_NOT_USED", string.Join(",", row.Flags.Split(',').Order(StringComparer.Ordinal)));
        Assert.Contains(expect.LogIndex + Convert.ToString(row.LogIndex, CultureInfo.InvariantCulture), show.Output, StringComparison.Ordinal);
        _central.Logs.AssertNoUnexpectedErrors();
    }

    /// <summary>
    /// Central refuses a second, different revision 1 (<c>REVISION_CONFLICT</c>): the chair reads what the code means
    /// in the chosen language with Central's own (English) words after it; a later <c>status</c> in another language
    /// words the kept failure in that language. In English the line is Central's words, as before.
    /// </summary>
    [Theory]
    [InlineData(
        "sq",
        "refuzuar REVISION_CONFLICT: Qendra ka tashmë një procesverbal tjetër me këtë numër rishikimi nga ky vendvotim; ky ruhet si provë. Një ndryshim kërkon korrigjim me rishikimin e radhës. (fjalët e Qendrës, në anglisht: Station ST-0001 already has",
        "sr-Latn",
        "Centrala ga je odbila: REVISION_CONFLICT: Centrala već ima drugi zapisnik sa ovim brojem revizije od ovog biračkog mesta; ovaj se čuva kao dokaz. Izmena zahteva ispravku sa sledećom revizijom. (reči Centrale, na engleskom: Station ST-0001 already has")]
    [InlineData(
        "sr-Latn",
        "odbijeno REVISION_CONFLICT: Centrala već ima drugi zapisnik sa ovim brojem revizije od ovog biračkog mesta; ovaj se čuva kao dokaz. Izmena zahteva ispravku sa sledećom revizijom. (reči Centrale, na engleskom: Station ST-0001 already has",
        "sq",
        "Qendra e refuzoi: REVISION_CONFLICT: Qendra ka tashmë një procesverbal tjetër me këtë numër rishikimi nga ky vendvotim; ky ruhet si provë. Një ndryshim kërkon korrigjim me rishikimin e radhës. (fjalët e Qendrës, në anglisht: Station ST-0001 already has")]
    [InlineData(
        "en",
        "refused REVISION_CONFLICT: Station ST-0001 already has",
        "en",
        "Central refused it: REVISION_CONFLICT: Station ST-0001 already has")]
    public async Task Send_RefusedByCentral_MeaningInTheChosenLanguageCentralsWordsKept(string sendLanguage, string refusedText, string statusLanguage, string statusNote)
    {
        var dir = await StationFolders.ReadyAsync(_central, Station);
        var copy = StationFolders.Copy(dir);
        try
        {
            await StationFolders.SignConflictingRevisionOnesAsync(_central, Station, dir, copy);
            var first = await BuiltExecutable.Station("send", "--dir", dir, "--central", _central.Address.ToString(), "--max-wait", "60");
            Assert.True(first.ExitCode == 0, first.ToString());

            var refused = await BuiltExecutable.Station("send", "--dir", copy, "--central", _central.Address.ToString(), "--max-wait", "60", "--lang", sendLanguage);
            var status = await BuiltExecutable.Station("status", "--dir", copy, "--lang", statusLanguage);

            Assert.True(refused.ExitCode == 4, refused.ToString());
            var line = Assert.Single(refused.Lines(), l => l.Contains("REVISION_CONFLICT", StringComparison.Ordinal));
            Assert.Contains(refusedText, line, StringComparison.Ordinal);
            Assert.EndsWith(sendLanguage == "en" ? "A correction needs a higher revision." : "A correction needs a higher revision.)", line, StringComparison.Ordinal);
            Assert.True(status.ExitCode == 0, status.ToString());
            Assert.Contains(statusNote, status.Output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }

    [Theory]
    [InlineData("sq_AL.UTF-8", "ZGJEDHJE PROVË (ushtrim) ")]
    [InlineData("sr_RS.UTF-8@latin", "PROBNI IZBORI (vežba) ")]
    [InlineData("sr_RS@latin", "PROBNI IZBORI (vežba) ")]
    [InlineData("en_US.UTF-8", "TEST ELECTION (rehearsal) ")]
    [InlineData("de_DE.UTF-8", "TEST ELECTION (rehearsal) ")]
    public async Task ProtocolCheck_LanguageFromLocale_BannerInThatLanguage(string locale, string banner)
    {
        var dir = await StationFolders.ReadyAsync(_central, Station);
        var form = StationFolders.FilledForm(_central.Pki.Election, Station);

        var check = await BuiltExecutable.StationWithEnvironment(new Dictionary<string, string> { ["LANG"] = locale }, "protocol", "check", "--dir", dir, "--file", form);

        Assert.True(check.ExitCode == 0, check.ToString());
        Assert.StartsWith(banner, check.Lines()[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProtocolCheck_LangOptionOverridesLcAll_OptionWins()
    {
        var dir = await StationFolders.ReadyAsync(_central, Station);
        var form = StationFolders.FilledForm(_central.Pki.Election, Station);

        var check = await BuiltExecutable.StationWithEnvironment(new Dictionary<string, string> { ["LC_ALL"] = "sq_AL.UTF-8" }, "protocol", "check", "--dir", dir, "--file", form, "--lang", "sr-Latn");

        Assert.True(check.ExitCode == 0, check.ToString());
        Assert.StartsWith("PROBNI IZBORI (vežba) ", check.Lines()[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProtocolCheck_UnknownLang_ExitsOneNamingTheLanguages()
    {
        var dir = await StationFolders.ReadyAsync(_central, Station);

        var check = await BuiltExecutable.Station("protocol", "check", "--dir", dir, "--file", "x.json", "--lang", "de");

        Assert.True(check.ExitCode == 1, check.ToString());
        Assert.Contains("unknown language 'de'; use sq, sr-Latn or en", check.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProtocolCheck_NoCultureData_FailsClearlyInsteadOfEnglishFormats()
    {
        // What a machine without ICU looks like to .NET: invariant globalization.
        var dir = await StationFolders.ReadyAsync(_central, Station);
        var form = StationFolders.FilledForm(_central.Pki.Election, Station);

        var check = await BuiltExecutable.StationWithEnvironment(
            new Dictionary<string, string> { ["DOTNET_SYSTEM_GLOBALIZATION_INVARIANT"] = "1" }, "protocol", "check", "--dir", dir, "--file", form, "--lang", "sq");
        var english = await BuiltExecutable.StationWithEnvironment(
            new Dictionary<string, string> { ["DOTNET_SYSTEM_GLOBALIZATION_INVARIANT"] = "1" }, "protocol", "check", "--dir", dir, "--file", form, "--lang", "en");

        Assert.True(check.ExitCode == 2, check.ToString());
        Assert.Equal(
            "error: culture data for 'sq' is not available on this machine (install libicu, and do not set DOTNET_SYSTEM_GLOBALIZATION_INVARIANT); use --lang en meanwhile",
            check.Error.Trim());
        Assert.Equal(string.Empty, check.Output);
        Assert.True(english.ExitCode == 0, english.ToString());
    }
}

/// <summary>The beginnings of the lines a chair sees in one language (the numbers and ids that follow vary).</summary>
public sealed record LanguageExpectations(
    string Banner,
    string Registered,
    string ValidInvalid,
    string ContestSum,
    string Unexplained,
    string Explained,
    string Signed,
    string Done,
    string Receipt,
    string LogIndex,
    string KeysCreated,
    string KeysRefused,
    string KeysRefusedEnd,
    string Handshake,
    string StillInLog,
    string Witnessed);
