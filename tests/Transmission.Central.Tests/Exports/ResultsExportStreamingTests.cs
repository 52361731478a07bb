using System.Collections;
using Transmission.Central.Exports;
using Transmission.Core.Election;
using Transmission.Core.Protocol;
using Transmission.Core.Review;
using Transmission.Core.Tabulation;
using Transmission.Testing;

namespace Transmission.Central.Tests.Exports;

/// <summary>
/// 20,000 stations (generated definition, <see cref="SampleProtocols"/>): the export goes out in bounded chunks while
/// the stations are still being read, never as one document in memory. No timing is asserted.
/// </summary>
public sealed class ResultsExportStreamingTests
{
    private const int StationCount = 20_000;
    private static readonly Lazy<ElectionDefinition> LargeDefinition = new(() =>
    {
        using var file = new MemoryStream();
        ElectionDefinitionGenerator.Write(file, new ElectionDefinitionGeneratorOptions
        {
            Seed = 7,
            Stations = StationCount,
            Municipalities = 38,
            Parties = 3,
            CandidatesPerParty = 1,
            MaxPreferences = 1,
        });
        var result = ElectionDefinition.Parse(file.ToArray());
        Assert.True(result.IsSuccess, result.ToString());
        return result.Definition;
    });

    [Theory]
    [InlineData(ExportFormat.Csv)]
    [InlineData(ExportFormat.Json)]
    public async Task WriteAsync_20000Stations_WrittenInBoundedChunksWhileReading(ExportFormat format)
    {
        var reads = new ReadCounter();
        var data = LargeExport(reads);
        var readsAtFirstWrite = -1;
        var output = new CountingStream
        {
            OnWrite = (stream, _) =>
            {
                if (stream.Writes == 0)
                {
                    readsAtFirstWrite = reads.Count;
                }
            },
        };

        await ResultsExport.WriteAsync(data, ExportKind.Stations, format, output, CancellationToken.None).DefaultTimeout(TimeSpan.FromMinutes(2));

        Assert.Equal(StationCount, reads.Count);
        Assert.True(output.Bytes > 20L * 1024 * 1024, $"{output.Bytes} bytes");
        // Each write is a buffer of about 64 KiB plus at most one station; the first went out after a few dozen
        // stations had been read, so the writer never held the document.
        Assert.InRange(output.LargestWrite, 1, 2 * OutputBuffer.FlushThreshold);
        Assert.True(output.Writes >= output.Bytes / (2 * OutputBuffer.FlushThreshold), $"{output.Writes} writes");
        Assert.InRange(readsAtFirstWrite, 1, StationCount / 100);
    }

    [Fact]
    public async Task WriteAsync_CancelledWhileWriting_StopsWithOperationCanceled()
    {
        using var cancellation = new CancellationTokenSource();
        var output = new CountingStream { OnWrite = (_, _) => cancellation.Cancel() };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => ResultsExport.WriteAsync(LargeExport(new ReadCounter()), ExportKind.Stations, ExportFormat.Csv, output, cancellation.Token)).DefaultTimeout(TimeSpan.FromMinutes(2));

        Assert.Equal(1, output.Writes);
    }

    [Fact]
    public async Task WriteAsync_20000StationsTotals_OneRowPerAreaContestAndChoice()
    {
        var data = LargeExport(new ReadCounter());
        using var output = new MemoryStream();

        await ResultsExport.WriteAsync(data, ExportKind.Totals, ExportFormat.Csv, output, CancellationToken.None).DefaultTimeout();

        var rows = Rfc4180.Parse(System.Text.Encoding.UTF8.GetString(output.ToArray()));
        Assert.Equal(1 + ((1 + 38) * (3 + 3)), rows.Count);
        var overall = rows[1];
        Assert.Equal(["overall", "", "20000", "20000", "0"], overall[..5]);
    }

    /// <summary>Every station reported revision 1 (pending); the protocols are made when the writer reads them, not kept.</summary>
    private static ExportData LargeExport(ReadCounter reads)
    {
        var definition = LargeDefinition.Value;
        var tabulator = new Tabulator(definition);
        var stations = new StationExport[definition.Stations.Count];
        for (var i = 0; i < stations.Length; i++)
        {
            var station = definition.Stations[i];
            tabulator.Apply(new SubmissionAccepted(station.Code, 1, SampleProtocols.Create(definition, station.Code, 7), []));
            stations[i] = new StationExport(station, new RevisionsOnDemand(definition, station, i, reads));
        }

        return new ExportData(definition, stations.Length, stations, tabulator.Snapshot());
    }

    private sealed class ReadCounter
    {
        public int Count { get; set; }
    }

    private sealed class RevisionsOnDemand(ElectionDefinition definition, StationEntry station, int logIndex, ReadCounter reads) : IReadOnlyList<RevisionExport>
    {
        public int Count => 1;

        public RevisionExport this[int index] => index == 0 ? Make() : throw new ArgumentOutOfRangeException(nameof(index));

        public IEnumerator<RevisionExport> GetEnumerator()
        {
            yield return Make();
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        private RevisionExport Make()
        {
            reads.Count++;
            var protocol = SampleProtocols.Create(definition, station.Code, 7);
            return new RevisionExport(1, ReviewState.Pending, true, false, Convert.ToHexStringLower(BitConverter.GetBytes((long)logIndex).Concat(new byte[24]).ToArray()),
                logIndex, definition.NightWindow.OpensAt.AddSeconds(logIndex), protocol.SignedAt, protocol);
        }
    }
}
