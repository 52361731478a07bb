using System.Security.Cryptography.X509Certificates;
using Transmission.Audit.Bundle;
using Transmission.Audit.Verification;

namespace Transmission.Audit.Tests.Fixtures;

/// <summary>
/// The fixture election written once per test class as a bundle folder, with the auditor's saved checkpoints and
/// independently obtained root beside it. Tests copy the folder before changing anything.
/// </summary>
public sealed class BundleFixture : IAsyncLifetime, IDisposable
{
    private readonly TempFolder _folder = new();

    internal AuditFixture Election { get; private set; } = null!;

    /// <summary>The untouched bundle.</summary>
    public string Bundle => _folder["bundle"];

    /// <summary>The auditor's saved checkpoints (one file each).</summary>
    public string SavedCheckpoints => _folder["saved-checkpoints"];

    /// <summary>The root as the auditor obtained it, PEM.</summary>
    public string PinnedRoot => _folder["root.cert.pem"];

    public async Task InitializeAsync()
    {
        Election = AuditFixture.Build();
        await Election.WriteAsync(Bundle);
        Election.WriteSavedCheckpoints(SavedCheckpoints);
        await File.WriteAllTextAsync(PinnedRoot, Election.Pki.RootPem);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _folder.Dispose();

    /// <summary>Verifies <paramref name="bundle"/> with the pinned root and the saved checkpoints of <paramref name="saved"/>.</summary>
    internal static Task<AuditReport> VerifyAsync(string bundle, string pinnedRoot, string? saved)
    {
        var checkpoints = saved is null ? [] : Directory.EnumerateFiles(saved).Order(StringComparer.Ordinal)
            .Select(f => new SavedCheckpoint(Path.GetFileName(f), File.ReadAllText(f))).ToList();
        return BundleVerifier.VerifyAsync(BundleReader.Open(bundle), new AuditOptions
        {
            PinnedRoot = X509CertificateLoader.LoadCertificate(File.ReadAllBytes(pinnedRoot)),
            SavedCheckpoints = checkpoints,
        });
    }
}
