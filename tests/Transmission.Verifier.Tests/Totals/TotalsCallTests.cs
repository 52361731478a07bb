using System.Text;
using Google.Protobuf;
using Transmission.Contracts.V1;
using Transmission.Verifier.Tests.Support;

namespace Transmission.Verifier.Tests.Totals;

/// <summary>totals --watch and export against a fake Review service.</summary>
public sealed class TotalsCallTests : IAsyncLifetime
{
    private FakeReviewWorld _world = null!;

    public async Task InitializeAsync() => _world = await FakeReviewWorld.StartAsync();

    [Fact]
    public async Task TotalsWatch_EveryUpdatePrintedThenServerEnds_ExitsSixWithOneLine()
    {
        _world.Review.Watch = [new Contracts.V1.Totals { EventsApplied = 1 }, new Contracts.V1.Totals { EventsApplied = 2 }];

        var result = await _world.Run("totals", "--watch", "--municipality", "01");

        Assert.Equal(6, result.ExitCode);
        Assert.Equal("01", Assert.IsType<GetTotalsRequest>(Assert.Single(_world.Review.Requests)).Municipality);
        Assert.Contains("(1 submissions and decisions applied)", result.Output, StringComparison.Ordinal);
        Assert.Contains("(2 submissions and decisions applied)", result.Output, StringComparison.Ordinal);
        Assert.Equal(["error: Central ended the watch; run 'totals --watch' again"], result.ErrorLines);
    }

    [Fact]
    public async Task Export_Chunks_WrittenInOrderSummaryOnStdout()
    {
        var folder = Directory.CreateTempSubdirectory("transmission-verifier-export-").FullName;
        try
        {
            _world.Review.ExportChunks.Add(new ExportChunk { FileName = "stations.csv", Data = ByteString.CopyFromUtf8("station,contest,choice\n") });
            _world.Review.ExportChunks.Add(new ExportChunk { Data = ByteString.CopyFromUtf8("ST-0001,parties,P01\n") });
            var target = Path.Combine(folder, "out.csv");

            var result = await _world.Run("export", "stations", "--format", "csv", "--output", target);

            Assert.True(result.ExitCode == 0, result.ToString());
            var request = Assert.IsType<ExportRequest>(Assert.Single(_world.Review.Requests));
            Assert.Equal(ExportKind.Stations, request.Kind);
            Assert.Equal(ExportFormat.Csv, request.Format);
            var bytes = Encoding.UTF8.GetBytes("station,contest,choice\nST-0001,parties,P01\n");
            Assert.Equal(bytes, File.ReadAllBytes(target));
            Assert.Equal(
                $"wrote {target}: {bytes.Length} bytes, sha256 {Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes))} (Central's name: stations.csv)",
                result.Output.Trim());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    public async Task DisposeAsync() => await _world.DisposeAsync();
}
