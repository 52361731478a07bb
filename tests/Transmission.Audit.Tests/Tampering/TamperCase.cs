using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Transmission.Audit.Verification;

namespace Transmission.Audit.Tests.Tampering;

/// <summary>
/// Keys an attacker (or the tests standing in for one) holds. Each is optional: a case that needs a key it does not
/// have does not apply. Over the fixture every key is known; over a bundle exported by a real development Central,
/// they come from the development PKI folder.
/// </summary>
internal sealed record TamperKeys
{
    /// <summary>Central's checkpoint signing key: lets a case re-seal a rewritten log, as a dishonest Central could.</summary>
    public ECDsa? CentralSigningKey { get; init; }

    /// <summary>The election root with its private key: lets a case re-sign CRLs and issue certificates.</summary>
    public X509Certificate2? RootWithKey { get; init; }

    /// <summary>Station signing keys and certificates by station code (a stolen station key).</summary>
    public IReadOnlyDictionary<string, (ECDsa Key, X509Certificate2 Certificate)> StationSigners { get; init; } =
        new Dictionary<string, (ECDsa, X509Certificate2)>();
}

/// <summary>Where a tampering case works: a copy of the bundle and of the auditor's saved checkpoints.</summary>
internal sealed record TamperContext(string Bundle, string SavedCheckpoints, TamperKeys Keys)
{
    private BundleEditor? _editor;

    /// <summary>The bundle's log, loaded once per case.</summary>
    public BundleEditor Log => _editor ??= BundleEditor.Load(Bundle);
}

/// <summary>The finding a tampering case must produce; unset fields are not compared.</summary>
internal sealed record ExpectedFinding(string Code)
{
    public long? Index { get; init; }

    public string? Station { get; init; }

    public int? Revision { get; init; }

    public string? Reason { get; init; }

    public string? Path { get; init; }

    public string? Serial { get; init; }

    public bool Matches(AuditFinding finding) =>
        finding.Code == Code
        && (Index is null || finding.Index == Index)
        && (Station is null || finding.Station == Station)
        && (Revision is null || finding.Revision == Revision)
        && (Reason is null || finding.Reason == Reason)
        && (Path is null || finding.Path == Path)
        && (Serial is null || finding.Serial == Serial);

    public override string ToString() =>
        $"{Code} (index {Index?.ToString() ?? "*"}, station {Station ?? "*"}, revision {Revision?.ToString() ?? "*"}, reason {Reason ?? "*"}, path {Path ?? "*"}, serial {Serial ?? "*"})";
}

/// <summary>
/// One alteration of a bundle folder and the finding it must produce. <see cref="Apply"/> changes the folder (and
/// possibly the saved checkpoints) and returns the expected finding, or <see langword="null"/> when the bundle has
/// nothing the case can alter (e.g. no revocation entry) or a key it needs is not known.
/// </summary>
internal sealed record TamperCase(string Name, string What, Func<TamperContext, ExpectedFinding?> Apply)
{
    public override string ToString() => Name;
}
