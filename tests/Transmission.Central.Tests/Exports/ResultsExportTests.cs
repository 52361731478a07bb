using System.Globalization;
using System.Text;
using System.Text.Json;
using Transmission.Central.Exports;
using Transmission.Core.Review;
using Transmission.Core.Tabulation;
using Transmission.Testing;
using static Transmission.Central.Tests.Exports.ExportTestData;

namespace Transmission.Central.Tests.Exports;

public sealed class ResultsExportTests
{
    public static TheoryData<ExportKind, ExportFormat> Exports => new()
    {
        { ExportKind.Stations, ExportFormat.Csv },
        { ExportKind.Stations, ExportFormat.Json },
        { ExportKind.Totals, ExportFormat.Csv },
        { ExportKind.Totals, ExportFormat.Json },
    };

    [Theory]
    [InlineData(ExportKind.Stations, ExportFormat.Csv, "stations.csv")]
    [InlineData(ExportKind.Stations, ExportFormat.Json, "stations.json")]
    [InlineData(ExportKind.Totals, ExportFormat.Csv, "totals.csv")]
    [InlineData(ExportKind.Totals, ExportFormat.Json, "totals.json")]
    public void FileName_KindAndFormat_Named(ExportKind kind, ExportFormat format, string expected) =>
        Assert.Equal(expected, ResultsExport.FileName(kind, format));

    [Fact]
    public void FileName_Undefined_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ResultsExport.FileName((ExportKind)7, ExportFormat.Csv));
        Assert.Throws<ArgumentOutOfRangeException>(() => ResultsExport.FileName(ExportKind.Totals, (ExportFormat)7));
    }

    [Theory]
    [MemberData(nameof(Exports))]
    public async Task WriteAsync_SameDataTwice_ByteIdentical(ExportKind kind, ExportFormat format)
    {
        var first = await WriteAsync(Night(), kind, format);
        var second = await WriteAsync(Night(), kind, format);

        Assert.Equal(first, second);
    }

    [Theory]
    [MemberData(nameof(Exports))]
    public async Task WriteAsync_ListsInAnotherOrder_ByteIdentical(ExportKind kind, ExportFormat format)
    {
        var night = Night();
        var expected = await WriteAsync(night, kind, format);

        // The read model may hand stations, revisions and municipalities over in any order: the writer sorts.
        var shuffled = night with
        {
            Stations = night.Stations.Reverse().Select(s => s with { Revisions = s.Revisions.Reverse().ToArray() }).ToArray(),
            Totals = night.Totals with
            {
                Provisional = night.Totals.Provisional with { Municipalities = night.Totals.Provisional.Municipalities.Reverse().ToArray() },
                Certified = night.Totals.Certified with { Municipalities = night.Totals.Certified.Municipalities.Reverse().ToArray() },
            },
        };
        Assert.NotEqual(night.Stations.Select(s => s.Station.Code), shuffled.Stations.Select(s => s.Station.Code));

        Assert.Equal(expected, await WriteAsync(shuffled, kind, format));
    }

    [Theory]
    [MemberData(nameof(Exports))]
    public async Task WriteAsync_UnderAnotherCulture_ByteIdentical(ExportKind kind, ExportFormat format)
    {
        var expected = await WriteAsync(Night(), kind, format);
        var culture = CultureInfo.CurrentCulture;
        try
        {
            // Swedish writes negative numbers with U+2212 and groups digits with a no-break space; Arabic (Saudi
            // Arabia) uses another calendar. None of it may leak into the file.
            foreach (var name in new[] { "sv-SE", "ar-SA", "de-DE" })
            {
                CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo(name);
                Assert.Equal(expected, await WriteAsync(Night(), kind, format));
            }
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }
    }

    [Theory]
    [MemberData(nameof(Exports))]
    public async Task WriteAsync_AnyExport_Utf8WithoutBomLfLineEndsAndFinalLineEnd(ExportKind kind, ExportFormat format)
    {
        var bytes = await WriteAsync(Night(), kind, format);

        Assert.False(bytes.AsSpan().StartsWith(Encoding.UTF8.Preamble), "no byte-order mark");
        var text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        Assert.DoesNotContain('\r', text);
        Assert.EndsWith("\n", text, StringComparison.Ordinal);
        Assert.False(text.EndsWith("\n\n", StringComparison.Ordinal));
        if (format == ExportFormat.Json)
        {
            using var document = JsonDocument.Parse(bytes);
            Assert.Equal(JsonValueKind.Object, document.RootElement.ValueKind);
        }
    }

    [Fact]
    public async Task WriteAsync_NullArguments_Throw()
    {
        var night = Night();
        using var output = new MemoryStream();

        await Assert.ThrowsAsync<ArgumentNullException>(() => ResultsExport.WriteAsync(null!, ExportKind.Stations, ExportFormat.Csv, output, CancellationToken.None)).DefaultTimeout();
        await Assert.ThrowsAsync<ArgumentNullException>(() => ResultsExport.WriteAsync(night, ExportKind.Stations, ExportFormat.Csv, null!, CancellationToken.None)).DefaultTimeout();
        await Assert.ThrowsAsync<ArgumentNullException>(() => ResultsExport.WriteAsync(night with { Stations = null! }, ExportKind.Stations, ExportFormat.Csv, output, CancellationToken.None)).DefaultTimeout();
        Assert.Equal(0, output.Length);
    }

    [Fact]
    public void WriteAsync_UndefinedKindOrFormat_ThrowsBeforeWriting()
    {
        using var output = new MemoryStream();

        // Thrown by the call itself, not by the task it would return.
        Assert.Throws<ArgumentOutOfRangeException>(() => { _ = ResultsExport.WriteAsync(Night(), (ExportKind)2, ExportFormat.Csv, output, CancellationToken.None); });
        Assert.Throws<ArgumentOutOfRangeException>(() => { _ = ResultsExport.WriteAsync(Night(), ExportKind.Totals, (ExportFormat)(-1), output, CancellationToken.None); });
        Assert.Equal(0, output.Length);
    }

    [Theory]
    [MemberData(nameof(Exports))]
    public async Task WriteAsync_AlreadyCancelled_ThrowsAndWritesNothing(ExportKind kind, ExportFormat format)
    {
        var output = new CountingStream();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => ResultsExport.WriteAsync(Night(), kind, format, output, new CancellationToken(canceled: true))).DefaultTimeout();

        Assert.Equal(0, output.Bytes);
    }

    public static TheoryData<string> Inconsistencies => new()
    {
        "station twice",
        "station outside the definition",
        "station without revisions",
        "revision twice",
        "protocol of another station",
        "protocol of another revision",
        "unknown choice",
        "choice twice",
        "contest missing",
        "log index not below the log size",
        "envelope hash not hex",
    };

    // Each is a bug in the read model (stored data passed every Reject rule); the writer refuses to publish it.
    [Theory]
    [MemberData(nameof(Inconsistencies))]
    public async Task WriteAsync_StationsInconsistentWithDefinition_ArgumentException(string inconsistency)
    {
        var night = Night();
        var a = night.Stations[1];
        var a1 = a.Revisions[1];
        var other = Parse(DefinitionJson.Replace("02-0001-01", "03-0001-01", StringComparison.Ordinal));
        StationExport broken = inconsistency switch
        {
            "station twice" => a,
            "station outside the definition" => new(StationOf(other, "03-0001-01"), night.Stations[0].Revisions),
            "station without revisions" => a with { Revisions = [] },
            "revision twice" => a with { Revisions = [a1, a1] },
            "protocol of another station" => a with { Revisions = [a1 with { Protocol = night.Stations[0].Revisions[0].Protocol with { Revision = 1 } }] },
            "protocol of another revision" => a with { Revisions = [a1 with { Revision = 3 }] },
            "unknown choice" => a with { Revisions = [a1 with { Protocol = a1.Protocol with { Contests = [new("parties", [new("P09", 1)]), a1.Protocol.Contests[1]] } }] },
            "choice twice" => a with { Revisions = [a1 with { Protocol = a1.Protocol with { Contests = [new("parties", [new("P01", 1), new("P01", 1)]), a1.Protocol.Contests[1]] } }] },
            "contest missing" => a with { Revisions = [a1 with { Protocol = a1.Protocol with { Contests = [a1.Protocol.Contests[0]] } }] },
            "log index not below the log size" => a with { Revisions = [a1 with { LogIndex = night.LogSize }] },
            "envelope hash not hex" => a with { Revisions = [a1 with { EnvelopeSha256Hex = Hash0[..63] + "g" }] },
            _ => throw new ArgumentOutOfRangeException(nameof(inconsistency)),
        };
        var data = inconsistency == "station twice"
            ? night with { Stations = [.. night.Stations, broken] }
            : night with { Stations = [night.Stations[0], broken] };

        foreach (var format in new[] { ExportFormat.Csv, ExportFormat.Json })
        {
            await Assert.ThrowsAnyAsync<ArgumentException>(() => WriteAsync(data, ExportKind.Stations, format));
        }
    }

    [Fact]
    public async Task WriteAsync_TotalsOfAnotherDefinition_ArgumentException()
    {
        var night = Night();
        var other = Parse(DefinitionJson.Replace("\"P02\"", "\"P03\"", StringComparison.Ordinal));
        var otherMunicipalities = Parse(DefinitionJson.Replace("\"02\"", "\"03\"", StringComparison.Ordinal));

        foreach (var totals in new[] { new Tabulator(other).Snapshot(), new Tabulator(otherMunicipalities).Snapshot() })
        {
            foreach (var format in new[] { ExportFormat.Csv, ExportFormat.Json })
            {
                await Assert.ThrowsAsync<ArgumentException>(() => WriteAsync(night with { Totals = totals }, ExportKind.Totals, format));
            }
        }
    }

    [Fact]
    public async Task WriteAsync_UndefinedReviewState_ArgumentException()
    {
        var night = Night();
        var b = night.Stations[0];
        var data = night with { Stations = [b with { Revisions = [b.Revisions[0] with { State = (ReviewState)9 }] }, night.Stations[1]] };

        await Assert.ThrowsAsync<ArgumentException>(() => WriteAsync(data, ExportKind.Stations, ExportFormat.Csv));
    }
}
