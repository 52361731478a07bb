using System.Collections;
using System.CommandLine.Help;
using System.Globalization;
using System.Resources;
using System.Text.RegularExpressions;
using Transmission.Cli.Localization;
using Transmission.Station.Tests.Support;

namespace Transmission.Station.Tests.Localization;

/// <summary>
/// System.CommandLine's own text (help titles and labels, parse errors) in the chosen language, through
/// <see cref="CommandLineTextBridge"/>. The bridge sets a private field of a Microsoft-internal type, and our resources
/// must have exactly the library's keys: these tests are what fails when an upgrade of the library renames the field,
/// adds or drops a key, or changes its English.
/// </summary>
public sealed class CommandLineTextTests
{
    private static readonly string[] Languages = ["sq", "sr-Latn"];

    [Fact]
    public void Bridge_LibraryResourceManagerField_FoundAndSetToOurResources()
    {
        var field = CommandLineTextBridge.FindField();

        Assert.True(
            field is not null,
            $"System.CommandLine {CommandLineTextBridge.LibraryAssembly.GetName().Version} has no static ResourceManager field "
            + $"{CommandLineTextBridge.LibraryResourcesTypeName}.{CommandLineTextBridge.ResourceManagerFieldName}: its own text would stay English");
        // What every command line's Main does (idempotent; our English is the library's English word for word).
        Assert.True(CommandLineTextBridge.TryApply());
        Assert.Same(CommandLineTextBridge.Text, field.GetValue(null));
    }

    [Theory]
    [InlineData("sq", "Shfaq ndihmën dhe mënyrën e përdorimit")]
    [InlineData("sr-Latn", "Prikazuje pomoć i način upotrebe")]
    [InlineData("en", "Show help and usage information")]
    public void Bridge_Applied_LibraryReadsOurTextInTheUiCulture(string language, string helpDescription)
    {
        Assert.True(CommandLineTextBridge.TryApply());
        var before = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(language);

            // The help option reads its description from the library's resources when it is created.
            Assert.Equal(helpDescription, new HelpOption().Description);
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }
    }

    [Fact]
    public void Resources_EveryKeyOfTheLibrary_InOurThreeFilesNonEmptySamePlaceholdersEnglishVerbatim()
    {
        var library = LibraryNeutralText();
        Assert.True(library.Count >= 30, $"only {library.Count} keys read from System.CommandLine's neutral resources");

        var english = ResourceFilesTests.Read(OurFile(null));
        // Exactly the library's keys: one it added would otherwise stay English, one it dropped is dead text.
        Assert.Equal(library.Keys.Order(StringComparer.Ordinal), english.Keys.Order(StringComparer.Ordinal));
        Assert.All(library, entry => Assert.Equal(entry.Value, english[entry.Key]));

        foreach (var language in Languages)
        {
            var translated = ResourceFilesTests.Read(OurFile(language));
            Assert.Equal(library.Keys.Order(StringComparer.Ordinal), translated.Keys.Order(StringComparer.Ordinal));
            foreach (var (key, text) in library)
            {
                Assert.False(string.IsNullOrWhiteSpace(translated[key]), $"{language} {key} is empty");
                Assert.True(
                    ResourceFilesTests.Placeholders(text).SetEquals(ResourceFilesTests.Placeholders(translated[key])),
                    $"{language} {key}: '{translated[key]}' does not have the placeholders of '{text}'");
            }
        }
    }

    [Theory]
    [InlineData("en")]
    [InlineData("sq")]
    [InlineData("sr-Latn")]
    public void Resources_Built_TheBridgesResourceManagerGivesTheFilesText(string language)
    {
        // The base name the bridge uses is the one the build gives the embedded resources, and each satellite is built.
        var file = ResourceFilesTests.Read(OurFile(language == "en" ? null : language));
        var culture = CultureInfo.GetCultureInfo(language);

        Assert.All(file, entry => Assert.Equal(entry.Value, CommandLineTextBridge.Text.GetString(entry.Key, culture)));
    }

    [Theory]
    [InlineData("sq", "Përshkrimi:", "Përdorimi:", "  transmission-station [komanda] [opsionet]", "Opsionet:", "Komandat:", "Shfaq ndihmën dhe mënyrën e përdorimit", "Shfaq informacionin e versionit")]
    [InlineData("sr-Latn", "Opis:", "Upotreba:", "  transmission-station [komanda] [opcije]", "Opcije:", "Komande:", "Prikazuje pomoć i način upotrebe", "Prikazuje informacije o verziji")]
    [InlineData("en", "Description:", "Usage:", "  transmission-station [command] [options]", "Options:", "Commands:", "Show help and usage information", "Show version information")]
    public async Task Help_Root_LibraryTitlesAndOptionsInTheLanguage(string language, string description, string usage, string usageLine, string options, string commands, string help, string version)
    {
        var result = await BuiltStation.RunAsync("--help", "--lang", language);

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = Lines(result.Output);
        Assert.Equal(description, lines[0]);
        Assert.Contains(usage, lines);
        Assert.Contains(usageLine, lines);
        Assert.Contains(options, lines);
        Assert.Contains(commands, lines);
        Assert.Contains(lines, l => Regex.IsMatch(l, @"^  -\?, -h, --help +" + Regex.Escape(help) + "$"));
        Assert.Contains(lines, l => Regex.IsMatch(l, "^  --version +" + Regex.Escape(version) + "$"));
    }

    [Theory]
    [InlineData("sq", "  transmission-station protocol check [opsionet]", "(I DETYRUESHËM)")]
    [InlineData("sr-Latn", "  transmission-station protocol check [opcije]", "(OBAVEZNO)")]
    [InlineData("en", "  transmission-station protocol check [options]", "(REQUIRED)")]
    public async Task Help_Subcommand_RequiredLabelInTheLanguage(string language, string usageLine, string required)
    {
        var result = await BuiltStation.RunAsync("protocol", "check", "--help", "--lang", language);

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = Lines(result.Output);
        Assert.Contains(usageLine, lines);
        Assert.Contains(lines, l => l.StartsWith($"  --dir <dir> {required} ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith($"  --file <file> {required} ", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("sq", "gabim: Komandë ose argument i panjohur '--bogus'.", "gabim: Opsioni '--file' është i detyrueshëm.")]
    [InlineData("sr-Latn", "greška: Nepoznata komanda ili argument '--bogus'.", "greška: Opcija '--file' je obavezna.")]
    [InlineData("en", "error: Unrecognized command or argument '--bogus'.", "error: Option '--file' is required.")]
    public async Task ParseError_UnknownArgumentAndMissingOption_OneErrorLineEachInTheLanguageNoHelpExit1(string language, string unknown, string missing)
    {
        // One line per problem, as every other station error: the help would bury them.
        var result = await BuiltStation.RunAsync("--lang", language, "protocol", "check", "--dir", "station", "--bogus");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Equal([unknown, missing], Lines(result.Error));
        Assert.Equal("", result.Output);
    }

    [Theory]
    [InlineData("sq", "gabim: Mungon argumenti i detyrueshëm i opsionit: '--dir'.")]
    [InlineData("sr-Latn", "greška: Nedostaje obavezan argument opcije: '--dir'.")]
    [InlineData("en", "error: Required argument missing for option: '--dir'.")]
    public async Task ParseError_OptionWithoutItsValue_OneErrorLineInTheLanguageExit1(string language, string expected)
    {
        var result = await BuiltStation.RunAsync("--lang", language, "protocol", "check", "--file", "form.json", "--dir");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Equal([expected], Lines(result.Error));
    }

    [Theory]
    [InlineData("sq", "  transmission-station [komanda] [opsionet]")]
    [InlineData("sq", "  transmission-station protocol [komanda] [opsionet]", "protocol")]
    [InlineData("en", "  transmission-station [command] [options]")]
    [InlineData("en", "  transmission-station keys [command] [options]", "keys")]
    public async Task NoCommand_TheGroupsHelpOnStdoutNothingDoneExit1(string language, string usageLine, params string[] group)
    {
        var result = await BuiltStation.RunAsync(["--lang", language, .. group]);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains(usageLine, Lines(result.Output));
        Assert.Equal("", result.Error);
    }

    [Fact]
    public async Task ProgramNameAlone_RootHelpExit1()
    {
        var result = await BuiltStation.RunAsync();

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("  transmission-station [command] [options]", Lines(result.Output));
        Assert.Equal("", result.Error);
    }

    [Fact]
    public async Task NoCommandAndAnUnknownArgument_ErrorLinesNotHelp()
    {
        var result = await BuiltStation.RunAsync("--lang", "en", "protocol", "--bogus");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Equal(["error: Required command was not provided.", "error: Unrecognized command or argument '--bogus'."], Lines(result.Error));
        Assert.Equal("", result.Output);
    }

    /// <summary>The library's own neutral (English) text, read from its assembly as it ships.</summary>
    private static Dictionary<string, string> LibraryNeutralText()
    {
        var manager = new ResourceManager(CommandLineTextBridge.LibraryResourcesBaseName, CommandLineTextBridge.LibraryAssembly);
        var set = manager.GetResourceSet(CultureInfo.InvariantCulture, createIfNotExists: true, tryParents: false)
            ?? throw new InvalidOperationException($"no neutral resources {CommandLineTextBridge.LibraryResourcesBaseName} in {CommandLineTextBridge.LibraryAssembly}");
        return set.Cast<DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (string)e.Value!, StringComparer.Ordinal);
    }

    private static string OurFile(string? language) =>
        Path.Combine(ResourceFilesTests.RepositoryRoot(), "src", "Transmission.Cli", "Localization", language is null ? "CommandLineText.resx" : $"CommandLineText.{language}.resx");

    private static string[] Lines(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).ToArray();
}
