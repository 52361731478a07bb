using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using Transmission.Audit.Bundle;
using Transmission.Audit.Tests.Fixtures;
using Transmission.Audit.Verification;
using Transmission.Testing;
using Xunit.Abstractions;

namespace Transmission.Audit.Tests.Verification;

/// <summary>
/// A timed run over a larger bundle (2,000 stations, about 4,000 entries). The time is written to the test output,
/// never asserted: these machines are noisy (design §10); the assertion is only that the bundle verifies clean.
/// </summary>
public sealed class LargeBundleTimingTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Verify_TwoThousandStations_CleanAndTimed()
    {
        using var folder = new TempFolder();
        var build = Stopwatch.StartNew();
        var election = AuditFixture.Build(new FixtureOptions { Stations = 2000, ElectionId = "xk-audit-large" });
        await election.WriteAsync(folder.Path).DefaultTimeout(TimeSpan.FromMinutes(2));
        build.Stop();

        var verify = Stopwatch.StartNew();
        var report = await BundleVerifier.VerifyAsync(BundleReader.Open(folder.Path), new AuditOptions
        {
            PinnedRoot = X509CertificateLoader.LoadCertificate(election.Pki.Root.RawData),
            SavedCheckpoints = election.SavedCheckpoints,
        }).DefaultTimeout(TimeSpan.FromMinutes(5));
        verify.Stop();

        Assert.True(report.IsClean, string.Join("\n", report.Findings.Take(20)));
        Assert.Equal(election.Entries.Count, report.LogSize);
        output.WriteLine($"{election.Definition.Stations.Count} stations, {report.LogSize} entries ({report.Counts.Submissions} submissions, {report.Counts.Decisions} decisions), {Environment.ProcessorCount} processors");
        output.WriteLine($"bundle built and written in {build.Elapsed.TotalSeconds:F2} s; verified in {verify.Elapsed.TotalSeconds:F2} s ({report.Counts.Submissions / verify.Elapsed.TotalSeconds:F0} submissions/s)");
    }
}
