using Transmission.Audit.Tests.Fixtures;
using Transmission.Testing;
using Xunit.Abstractions;

namespace Transmission.Audit.Tests.Tampering;

/// <summary>Every case of <see cref="TamperCorpus"/> over a fresh copy of the fixture bundle: the expected finding, at the expected place.</summary>
public sealed class TamperingTests(BundleFixture fixture, ITestOutputHelper output) : IClassFixture<BundleFixture>
{
    public static TheoryData<string> Cases { get; } = [.. TamperCorpus.All.Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Verify_TamperedBundle_ReportsTheExpectedFinding(string name)
    {
        using var temp = new TempFolder();
        TempFolder.Copy(fixture.Bundle, temp["bundle"]);
        TempFolder.Copy(fixture.SavedCheckpoints, temp["saved"]);
        var context = new TamperContext(temp["bundle"], temp["saved"], Keys(fixture.Election));

        var expected = TamperCorpus.Get(name).Apply(context);
        Assert.NotNull(expected);
        var report = await BundleFixture.VerifyAsync(temp["bundle"], fixture.PinnedRoot, temp["saved"]).DefaultTimeout();

        output.WriteLine($"{name}: expected {expected}");
        foreach (var finding in report.Findings)
        {
            output.WriteLine("  " + finding);
        }

        Assert.False(report.IsClean);
        Assert.True(report.Findings.Any(expected.Matches), $"expected {expected}; found:\n{string.Join("\n", report.Findings)}");
    }

    [Fact]
    public void Corpus_ThirtyOrMoreCases_DistinctNamesAndAtLeastThirtyDistinctFindings()
    {
        Assert.True(TamperCorpus.All.Count >= 30);
        Assert.Equal(TamperCorpus.All.Count, TamperCorpus.All.Select(c => c.Name).Distinct().Count());
    }

    internal static TamperKeys Keys(AuditFixture election) => new()
    {
        CentralSigningKey = election.Pki.CentralSigning.Key,
        RootWithKey = election.Pki.Root,
        StationSigners = election.Signers.ToDictionary(s => s.Key, s => (s.Value.Key, s.Value.Certificate)),
    };
}
