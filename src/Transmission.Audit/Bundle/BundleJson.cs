using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Transmission.Audit.Bundle;

/// <summary>
/// How the bundle's own JSON files (<c>MANIFEST.json</c>, <c>log/entries.json</c>) are written and read: two-space
/// indentation and <c>\n</c> on every platform (deterministic bytes), text as it is (as the exports write it), and
/// strict reading: unknown or repeated properties, missing required ones and nulls where none belong are refused.
/// </summary>
internal static class BundleJson
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        WriteIndented = true,
        IndentCharacter = ' ',
        IndentSize = 2,
        NewLine = "\n",
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        AllowDuplicateProperties = false,
        PropertyNameCaseInsensitive = false,
    };

    public static JsonWriterOptions WriterOptions { get; } = new()
    {
        Indented = true,
        IndentCharacter = ' ',
        IndentSize = 2,
        NewLine = "\n",
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
