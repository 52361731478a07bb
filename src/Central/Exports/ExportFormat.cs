namespace Transmission.Central.Exports;

/// <summary>The file format of an export (docs/exports.md).</summary>
public enum ExportFormat
{
    /// <summary>RFC 4180 CSV, one flat row per value, UTF-8 without BOM, <c>\n</c> line ends.</summary>
    Csv,

    /// <summary>Indented JSON, nested, UTF-8 without BOM, <c>\n</c> line ends.</summary>
    Json,
}
