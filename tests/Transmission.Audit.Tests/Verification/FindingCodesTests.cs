using Transmission.Audit.Verification;

namespace Transmission.Audit.Tests.Verification;

public sealed class FindingCodesTests
{
    [Fact]
    public void All_DistinctUpperSnakeCodes()
    {
        Assert.True(FindingCodes.All.Count >= 60);
        Assert.Equal(FindingCodes.All.Count, FindingCodes.All.Distinct(StringComparer.Ordinal).Count());
        Assert.All(FindingCodes.All, code => Assert.Matches("^[A-Z]+(_[A-Z0-9]+)*$", code));
    }

    [Fact]
    public void Docs_EveryFindingCodeAndNoteKindInTheTable()
    {
        var docs = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "audit-bundle.md"));

        Assert.All(FindingCodes.All, code => Assert.Contains($"| `{code}` |", docs, StringComparison.Ordinal));
        Assert.All(new[] { AuditNoteKinds.SignedBeforeRevocation, AuditNoteKinds.ConflictEvidence, AuditNoteKinds.NotChecked }, kind => Assert.Contains($"`{kind}`", docs, StringComparison.Ordinal));
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Transmission.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (Transmission.sln) is not above the test folder.");
    }
}
