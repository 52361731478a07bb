using System.Text.Json;
using Transmission.Contracts.V1;
using Transmission.Verifier.Tests.Support;

namespace Transmission.Verifier.Tests.Listing;

/// <summary>list against a fake Review service: filters sent, paging followed or hinted.</summary>
public sealed class ListCallTests : IAsyncLifetime
{
    private FakeReviewWorld _world = null!;

    public async Task InitializeAsync()
    {
        _world = await FakeReviewWorld.StartAsync();
        _world.Review.List = request => request.PageToken switch
        {
            "" => Page("p2", "ST-0001", "ST-0002"),
            "p2" => Page("p3", "ST-0003"),
            "p3" => Page(string.Empty, "ST-0004"),
            _ => throw new InvalidOperationException("unknown token"),
        };
    }

    [Fact]
    public async Task List_Filters_SentAsAsked()
    {
        var result = await _world.Run("list", "--state", "recount", "--municipality", "02", "--flag", "*", "--not-reported", "--page-size", "2");

        Assert.True(result.ExitCode == 0, result.ToString());
        var request = Assert.IsType<ListSubmissionsRequest>(Assert.Single(_world.Review.Requests));
        Assert.Equal(ReviewState.RecountRequested, request.State);
        Assert.Equal("02", request.Municipality);
        Assert.Equal("*", request.Flag);
        Assert.Equal(ReportingFilter.NotReported, request.Reporting);
        Assert.Equal(2u, request.PageSize);
    }

    [Fact]
    public async Task List_MorePages_FirstPageAndTheTokenHint()
    {
        var result = await _world.Run("list");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Single(_world.Review.Requests);
        Assert.Contains("ST-0002", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("ST-0003", result.Output, StringComparison.Ordinal);
        Assert.Contains("2 shown; 4 station(s) match", result.Output, StringComparison.Ordinal);
        Assert.Contains("more rows: repeat with --page-token p2 (or use --all)", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_All_FollowsEveryPageToken()
    {
        var result = await _world.Run("list", "--all");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(["", "p2", "p3"], _world.Review.Requests.Cast<ListSubmissionsRequest>().Select(r => r.PageToken));
        Assert.Contains("4 shown; 4 station(s) match", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("more rows", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_Json_OneObjectPerLineHintOnStderr()
    {
        var result = await _world.Run("list", "--json", "--page-token", "p2");

        Assert.True(result.ExitCode == 0, result.ToString());
        var line = Assert.Single(result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal("ST-0003", JsonDocument.Parse(line).RootElement.GetProperty("station").GetString());
        Assert.Equal(["more rows: repeat with --page-token p3 (or use --all)"], result.ErrorLines);
    }

    private static ListSubmissionsResponse Page(string next, params string[] stations)
    {
        var page = new ListSubmissionsResponse { NextPageToken = next, TotalMatching = 4 };
        page.Submissions.AddRange(stations.Select(s => new SubmissionSummary { StationCode = s, Municipality = "01" }));
        return page;
    }

    public async Task DisposeAsync() => await _world.DisposeAsync();
}
