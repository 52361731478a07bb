using Transmission.Central.Hosting;
using Transmission.Central.Storage;
using Transmission.Central.Tests.Pki;
using Transmission.Central.Tests.Storage;
using Transmission.Core.Election;

namespace Transmission.Central.Tests.Hosting;

/// <summary>
/// A complete election PKI in a temp folder, made by the product commands exactly as
/// certs-dev/generate makes it: root CA, Central's TLS certificate, two stations, a verifier
/// and an auditor (keys generated on their side, CSRs issued by the CA), and a CRL.
/// </summary>
public sealed class DevelopmentPki : IAsyncLifetime, IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly string[] _stations;
    private PostgreSqlTestDatabase? _postgres;

    /// <summary>Two stations, ST-0001 and ST-0002.</summary>
    public DevelopmentPki()
        : this(2)
    {
    }

    /// <summary><paramref name="stations"/> stations, ST-0001 upwards.</summary>
    internal DevelopmentPki(int stations)
    {
        _stations = [.. Enumerable.Range(1, stations).Select(i => $"ST-{i:D4}")];
    }

    /// <summary>The station codes, ST-0001 upwards.</summary>
    public IReadOnlyList<string> Stations => _stations;

    public string Root => _folder.Path;

    public string Ca => _folder["ca"];

    public string StationDir(string code) => _folder[Path.Combine("stations", code)];

    public string VerifierDir => _folder["verifier-1"];

    public string AuditorDir => _folder["auditor-1"];

    /// <summary>The election definition file with <see cref="Stations"/> (written by <c>election generate</c>).</summary>
    public string ElectionPath => _folder["election.json"];

    /// <summary>The parsed <see cref="ElectionPath"/>.</summary>
    public ElectionDefinition Election { get; private set; } = null!;

    public string DataDirectory => _folder["central-data"];

    /// <summary>
    /// Central's storage: SQLite in <see cref="DataDirectory"/>, or in the PostgreSQL pass (<see cref="TestStore"/>) this
    /// PKI's own fresh database, created on first use and dropped with the PKI (every Central over this PKI shares it,
    /// as they share the data directory).
    /// </summary>
    public StorageOptions StorageOptions()
    {
        if (!TestStore.IsPostgreSql)
        {
            return new StorageOptions();
        }

        _postgres ??= TestStore.CreatePostgreSqlDatabase();
        return new StorageOptions { Provider = StorageProvider.PostgreSql, ConnectionString = _postgres.ConnectionString };
    }

    public CentralOptions CentralOptions() => new()
    {
        Listen = "127.0.0.1:0",
        DataDirectory = DataDirectory,
        Storage = StorageOptions(),
        Election = new CentralOptions.ElectionSettings { Definition = ElectionPath },
        Pki = new CentralOptions.PkiPaths
        {
            RootCertificate = _folder["ca/ca.cert.pem"],
            Crl = _folder["crl.pem"],
            ServerCertificate = _folder["central/tls.cert.pem"],
            ServerKey = _folder["central/tls.key.pem"],
            SigningCertificate = _folder["central/signing.cert.pem"],
            SigningKey = _folder["central/signing.key.pem"],
        },
    };

    public async Task InitializeAsync()
    {
        File.WriteAllLines(_folder["stations.txt"], _stations);
        File.WriteAllLines(_folder["identities.txt"], [.. _stations, "urn:transmission:verifier:verifier-1", "urn:transmission:auditor:auditor-1"]);
        await InProcessCli.Central("pki", "init-ca", "--ca", Ca, "--name", "Test Election Root").Ok();
        await InProcessCli.Central("pki", "issue-central", "--ca", Ca, "--out", _folder["central"], "--name", "central", "--dns", "localhost", "--ip", "127.0.0.1").Ok();
        await InProcessCli.Station("keys", "init", "--stations-file", _folder["stations.txt"], "--root", _folder["stations"], "--export-csr", _folder["csr"]).Ok();
        await InProcessCli.Central("pki", "request", "--identity", "urn:transmission:verifier:verifier-1", "--dir", VerifierDir, "--export-csr", _folder["csr"]).Ok();
        await InProcessCli.Central("pki", "request", "--identity", "urn:transmission:auditor:auditor-1", "--dir", AuditorDir, "--export-csr", _folder["csr"]).Ok();
        await InProcessCli.Central("pki", "issue", "--ca", Ca, "--csr-dir", _folder["csr"], "--out-dir", _folder["issued"], "--identities-file", _folder["identities.txt"]).Ok();
        await InProcessCli.Station("keys", "install", "--stations-file", _folder["stations.txt"], "--root", _folder["stations"], "--certs-dir", _folder["issued"], "--ca", _folder["ca/ca.cert.pem"]).Ok();
        File.Copy(_folder["issued/verifier-1.verifier.cert.pem"], Path.Combine(VerifierDir, "tls.cert.pem"));
        File.Copy(_folder["issued/auditor-1.auditor.cert.pem"], Path.Combine(AuditorDir, "tls.cert.pem"));
        File.Copy(_folder["ca/ca.cert.pem"], Path.Combine(VerifierDir, "ca.cert.pem"));
        File.Copy(_folder["ca/ca.cert.pem"], Path.Combine(AuditorDir, "ca.cert.pem"));
        await InProcessCli.Central("pki", "crl", "--ca", Ca, "--out", _folder["crl.pem"]).Ok();
        await InProcessCli.Run(Central.Election.ElectionCommands.Create(), "election", "generate", "--stations-file", _folder["stations.txt"], "--out", ElectionPath).Ok();
        Election = ElectionDefinition.Parse(File.ReadAllBytes(ElectionPath)).Definition!;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        _postgres?.Dispose();
        _folder.Dispose();
    }
}
