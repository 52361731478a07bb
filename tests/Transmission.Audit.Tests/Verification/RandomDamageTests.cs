using Transmission.Audit.Bundle;
using Transmission.Audit.Tests.Fixtures;
using Transmission.Testing;

namespace Transmission.Audit.Tests.Verification;

/// <summary>
/// One byte flipped at a seeded random place of a seeded random file, 60 times: the verifier always answers with a
/// report (never an exception), and the report is never clean, because every byte of a bundle is covered by a
/// signature, a hash, the manifest or a check of its own.
/// </summary>
public sealed class RandomDamageTests(BundleFixture fixture) : IClassFixture<BundleFixture>
{
    public static TheoryData<int> Seeds { get; } = [.. Enumerable.Range(1, 60)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task Verify_OneRandomByteFlipped_ReportWithAFinding(int seed)
    {
        using var temp = new TempFolder();
        TempFolder.Copy(fixture.Bundle, temp.Path);
        var random = new Random(seed);
        var files = BundleReader.Open(temp.Path).ListFiles();
        var path = files[random.Next(files.Count)];
        var full = Path.Combine(temp.Path, path);
        var bytes = File.ReadAllBytes(full);
        var at = random.Next(bytes.Length);
        bytes[at] ^= (byte)(1 << random.Next(8));
        File.WriteAllBytes(full, bytes);

        var report = await BundleFixture.VerifyAsync(temp.Path, fixture.PinnedRoot, fixture.SavedCheckpoints).DefaultTimeout();

        Assert.False(report.IsClean, $"byte {at} of {path} flipped, yet no finding");
    }
}
