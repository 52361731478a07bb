using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Transmission.Audit.Verification;

/// <summary>
/// The JSON form of an <see cref="AuditReport"/> (docs/audit-bundle.md, "JSON report"): format
/// <c>transmission-audit-report/1</c>, the verdict, what was checked, every finding with its stable code and place,
/// and the notes. Absent places are left out rather than written as null.
/// </summary>
public static class AuditReportJson
{
    /// <summary>The report's <c>format</c>.</summary>
    public const string Format = "transmission-audit-report/1";

    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        IndentSize = 2,
        NewLine = "\n",
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>Writes <paramref name="report"/> to <paramref name="output"/> (left open), ending with a newline.</summary>
    public static async Task WriteAsync(AuditReport report, Stream output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(output);
        var document = new
        {
            format = Format,
            bundle = report.Bundle,
            electionId = report.ElectionId,
            mode = report.Mode,
            logSize = report.LogSize,
            root = new { source = report.RootSource, sha256 = report.RootSha256 },
            clean = report.IsClean,
            findingCount = report.Findings.Count,
            counts = report.Counts,
            findings = report.Findings,
            notes = report.Notes,
        };
        await JsonSerializer.SerializeAsync(output, document, Options, cancellationToken);
        await output.WriteAsync("\n"u8.ToArray(), cancellationToken);
    }
}
