using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Transmission.Station.Tests.Localization;

/// <summary>
/// Every <c>.resx</c> under <c>src/</c> has an Albanian (<c>.sq.resx</c>) and a Serbian Latin (<c>.sr-Latn.resx</c>)
/// file with exactly the same keys, no empty text, and the same format placeholders ({0}, {1:N0}, ...) in each
/// language, each format string usable by <see cref="string.Format(IFormatProvider, string, object[])"/>.
/// </summary>
public sealed partial class ResourceFilesTests
{
    private static readonly string[] Languages = ["sq", "sr-Latn"];

    public static TheoryData<string> NeutralFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in NeutralResourceFiles())
        {
            data.Add(Path.GetRelativePath(RepositoryRoot(), file));
        }

        return data;
    }

    [Fact]
    public void NeutralFiles_TheCliProjectsHaveResources()
    {
        var files = NeutralResourceFiles().Select(f => Path.GetRelativePath(RepositoryRoot(), f)).ToArray();

        Assert.Contains(Path.Combine("src", "Transmission.Cli", "Localization", "CliText.resx"), files);
        Assert.Contains(Path.Combine("src", "Transmission.Cli", "Localization", "CommandLineText.resx"), files);
        Assert.Contains(Path.Combine("src", "Station", "Localization", "StationText.resx"), files);
    }

    [Theory]
    [MemberData(nameof(NeutralFiles))]
    public void Translations_SameKeysNoEmptyTextSamePlaceholders(string neutral)
    {
        var english = Read(Path.Combine(RepositoryRoot(), neutral));
        Assert.NotEmpty(english);
        Assert.All(english, e => Assert.False(string.IsNullOrWhiteSpace(e.Value), $"{neutral}: {e.Key} is empty"));

        foreach (var language in Languages)
        {
            var path = Path.Combine(RepositoryRoot(), Path.ChangeExtension(neutral, null) + "." + language + ".resx");
            Assert.True(File.Exists(path), $"missing {path}");
            var translated = Read(path);

            Assert.Equal(english.Keys.Order(StringComparer.Ordinal), translated.Keys.Order(StringComparer.Ordinal));
            foreach (var (key, text) in english)
            {
                var other = translated[key];
                Assert.False(string.IsNullOrWhiteSpace(other), $"{path}: {key} is empty");
                Assert.True(
                    Placeholders(text).SetEquals(Placeholders(other)),
                    $"{path}: {key} has placeholders {{{string.Join(",", Placeholders(other))}}} but English has {{{string.Join(",", Placeholders(text))}}}");
                AssertFormats(key, text, language: "en");
                AssertFormats(key, other, language);
            }
        }
    }

    [Theory]
    [InlineData("sq", "transmission-station")]
    [InlineData("sr-Latn", "transmission-station")]
    [InlineData("sq", "Transmission.Cli")]
    [InlineData("sr-Latn", "Transmission.Cli")]
    public void SatelliteAssemblies_BuiltAndCopiedBesideTheProgram(string language, string assembly)
    {
        // Without the satellite a chair asking for Albanian would silently get English.
        Assert.True(File.Exists(Path.Combine(AppContext.BaseDirectory, language, assembly + ".resources.dll")), $"{language}/{assembly}.resources.dll missing in {AppContext.BaseDirectory}");
    }

    [Fact]
    public void Placeholders_DifferentIndexes_Detected()
    {
        // The check above can fail: {0} and {1:N0} are two indexes; an escaped brace is none.
        Assert.Equal([0, 1], Placeholders("a {0} b {1:N0} {{2}}").Order());
        Assert.False(Placeholders("{0} and {1}").SetEquals(Placeholders("{0} and {2}")));
    }

    internal static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Transmission.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Transmission.sln not found above " + AppContext.BaseDirectory);
    }

    private static IEnumerable<string> NeutralResourceFiles() =>
        Directory.EnumerateFiles(Path.Combine(RepositoryRoot(), "src"), "*.resx", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(f => !Languages.Any(l => f.EndsWith("." + l + ".resx", StringComparison.OrdinalIgnoreCase)))
            .Order(StringComparer.Ordinal);

    internal static Dictionary<string, string> Read(string path) =>
        XDocument.Load(path).Root!.Elements("data").ToDictionary(
            d => (string)d.Attribute("name")!,
            d => (string?)d.Element("value") ?? string.Empty,
            StringComparer.Ordinal);

    internal static HashSet<int> Placeholders(string text)
    {
        var withoutEscapes = text.Replace("{{", string.Empty, StringComparison.Ordinal).Replace("}}", string.Empty, StringComparison.Ordinal);
        return PlaceholderPattern().Matches(withoutEscapes).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToHashSet();
    }

    private static void AssertFormats(string key, string text, string language)
    {
        var count = Placeholders(text).DefaultIfEmpty(-1).Max() + 1;
        // Strings ignore format specifiers, so this checks the braces and indexes, not {0:N0} against a type.
        var args = Enumerable.Range(0, count).Select(_ => (object)"x").ToArray();
        try
        {
            _ = string.Format(CultureInfo.GetCultureInfo(language), text, args);
        }
        catch (FormatException e)
        {
            Assert.Fail($"{language} {key}: not a valid format string: {e.Message}");
        }
    }

    [GeneratedRegex(@"\{(\d+)(?:,[^}:]*)?(?::[^}]*)?\}")]
    private static partial Regex PlaceholderPattern();
}
