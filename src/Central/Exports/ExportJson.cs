using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Transmission.Core.Election;

namespace Transmission.Central.Exports;

/// <summary>What both JSON exports share: the writer options and the provenance fields at the top of the document.</summary>
internal static class ExportJson
{
    /// <summary>
    /// Indented with two spaces and <c>\n</c> whatever the platform (deterministic output). Names in any script are
    /// written as they are ("Prishtinë", "Shkolla \"Migjeni\""), as in ElectionDefinitionGenerator: the file is a
    /// download for people and programs, never inlined into HTML by Central, and a page that shows these values must
    /// HTML-encode them anyway (JSON escaping is not HTML escaping). Control characters, U+2028/U+2029 and characters
    /// outside the Basic Multilingual Plane are still written as <c>\uXXXX</c> escapes.
    /// </summary>
    public static JsonWriterOptions Options { get; } = new()
    {
        Indented = true,
        IndentCharacter = ' ',
        IndentSize = 2,
        NewLine = "\n",
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Writes <c>electionId</c>, <c>definitionSha256</c>, <c>mode</c> and <c>logSize</c>, in that order.</summary>
    public static void WriteProvenance(Utf8JsonWriter json, ExportData data)
    {
        json.WriteString("electionId"u8, data.Definition.ElectionId);
        json.WriteString("definitionSha256"u8, data.Definition.Sha256Hex);
        json.WriteString("mode"u8, data.Definition.Mode.ToJsonName());
        json.WriteNumber("logSize"u8, data.LogSize);
    }

    /// <summary>Ends the document: the writer's last bytes, then a final <c>\n</c> (a text file ends with a line end).</summary>
    public static void End(Utf8JsonWriter json, OutputBuffer buffer)
    {
        json.Flush();
        buffer.Writer.Write("\n"u8);
    }
}
