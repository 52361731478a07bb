using System.Text.Encodings.Web;
using System.Text.Json;

namespace Transmission.Core.Tests;

/// <summary>
/// The worked examples in docs/test-vectors/ (docs/protocol.md, "Test vectors"). Each is written by its test class when
/// the tests run with TRANSMISSION_WRITE_TEST_VECTORS=1 and from then on only checked against the committed file.
/// </summary>
internal static class TestVectorFiles
{
    /// <summary>Set to 1 to (re)write the examples before they are checked.</summary>
    public const string RegenerateVariable = "TRANSMISSION_WRITE_TEST_VECTORS";

    /// <summary>Whether this run writes the examples.</summary>
    public static bool Regenerate => Environment.GetEnvironmentVariable(RegenerateVariable) == "1";

    /// <summary>Indented, UTF-8 as is (relaxed escaping: a document for people, never embedded in HTML).</summary>
    public static JsonWriterOptions WriterOptions => new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The absolute path of <paramref name="relativePath"/> (from the repository root).</summary>
    public static string PathOf(string relativePath) => Path.Combine(RepositoryRoot(), relativePath);

    /// <summary>Writes the file with <paramref name="write"/> when this run regenerates, then reads and parses it.</summary>
    public static JsonElement Load(string relativePath, Action<string> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        var path = PathOf(relativePath);
        if (Regenerate)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            write(path);
        }

        Assert.True(File.Exists(path), $"{relativePath} is missing; run the tests once with {RegenerateVariable}=1");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.Clone();
    }

    /// <summary>A string property.</summary>
    public static string Text(this JsonElement element, string name) => element.GetProperty(name).GetString()!;

    /// <summary>A lowercase hex property as bytes (uppercase is refused, so the file stays in one spelling).</summary>
    public static byte[] Hex(this JsonElement element, string name)
    {
        var text = element.Text(name);
        Assert.Equal(text.ToLowerInvariant(), text);
        return Convert.FromHexString(text);
    }

    /// <summary>An array of lowercase hex strings as byte arrays.</summary>
    public static byte[][] HexList(this JsonElement element, string name) =>
        element.GetProperty(name).EnumerateArray().Select(e => Convert.FromHexString(e.GetString()!)).ToArray();

    /// <summary>Writes <paramref name="hashes"/> as an array of lowercase hex strings.</summary>
    public static void WriteHexList(this Utf8JsonWriter json, string name, IEnumerable<byte[]> hashes)
    {
        ArgumentNullException.ThrowIfNull(json);
        json.WriteStartArray(name);
        foreach (var hash in hashes)
        {
            json.WriteStringValue(Convert.ToHexStringLower(hash));
        }

        json.WriteEndArray();
    }

    /// <summary>The folder holding global.json above the test binaries.</summary>
    public static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "global.json")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (with global.json) was not found above " + AppContext.BaseDirectory);
    }
}
