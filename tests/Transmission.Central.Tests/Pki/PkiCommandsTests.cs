using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Transmission.Central.Tests.Hosting;
using Transmission.Core.Pki;
using Transmission.Testing;

namespace Transmission.Central.Tests.Pki;

public sealed class PkiCommandsTests : IDisposable
{
    private readonly TempFolder _temp = new();

    private string Ca => _temp["ca"];

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task InitCa_NewFolder_WritesOwnerOnlyKeyCertificateAndEmptyCrl()
    {
        await InProcessCli.Central("pki", "init-ca", "--ca", Ca).Ok();

        Assert.Equal("600", TempFolder.Mode(_temp["ca/ca.key.pem"]));
        Assert.Equal("700", TempFolder.Mode(Ca));
        using var root = X509Certificate2.CreateFromPemFile(_temp["ca/ca.cert.pem"], _temp["ca/ca.key.pem"]);
        Assert.True(root.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
        var crl = RevocationList.LoadPem(File.ReadAllText(_temp["ca/crl.pem"]), root);
        Assert.True(crl.IsSuccess, crl.ToString());
        Assert.Empty(crl.Value.Entries);
    }

    [Fact]
    public async Task InitCa_Twice_RefusesAndKeepsKey()
    {
        await InProcessCli.Central("pki", "init-ca", "--ca", Ca).Ok();
        var before = TempFolder.Hash(_temp["ca/ca.key.pem"]);

        var again = await InProcessCli.Central("pki", "init-ca", "--ca", Ca);

        Assert.Equal(3, again.ExitCode);
        Assert.StartsWith("error: ", again.Error, StringComparison.Ordinal);
        Assert.Single(again.Error.Trim().Split('\n'));
        Assert.Equal(before, TempFolder.Hash(_temp["ca/ca.key.pem"]));
    }

    [Fact]
    public async Task BatchEnrollment_TwoRuns_IssuesInstallsThenChangesNothing()
    {
        File.WriteAllLines(_temp["stations.txt"], ["# registry", "ST-0001", "ST-0002", "ST-0003"]);
        File.WriteAllLines(_temp["identities.txt"], ["ST-0001", "ST-0002", "ST-0003", "urn:transmission:verifier:verifier-1"]);
        await InProcessCli.Central("pki", "init-ca", "--ca", Ca).Ok();

        async Task RunAll()
        {
            await InProcessCli.Station("keys", "init", "--stations-file", _temp["stations.txt"], "--root", _temp["stations"], "--export-csr", _temp["csr"], "--skip-existing").Ok();
            await InProcessCli.Central("pki", "request", "--identity", "urn:transmission:verifier:verifier-1", "--dir", _temp["verifier"], "--export-csr", _temp["csr"], "--skip-existing").Ok();
            await InProcessCli.Central("pki", "issue", "--ca", Ca, "--csr-dir", _temp["csr"], "--out-dir", _temp["issued"], "--identities-file", _temp["identities.txt"], "--skip-existing").Ok();
            await InProcessCli.Station("keys", "install", "--stations-file", _temp["stations.txt"], "--root", _temp["stations"], "--certs-dir", _temp["issued"], "--ca", _temp["ca/ca.cert.pem"]).Ok();
        }

        await RunAll();
        var files = Directory.EnumerateFiles(_temp.Path, "*", SearchOption.AllDirectories).Where(f => !f.EndsWith("crl.pem", StringComparison.Ordinal)).Order().ToList();
        var hashes = files.Select(TempFolder.Hash).ToList();
        await RunAll();

        Assert.Equal(files, Directory.EnumerateFiles(_temp.Path, "*", SearchOption.AllDirectories).Where(f => !f.EndsWith("crl.pem", StringComparison.Ordinal)).Order());
        Assert.Equal(hashes, files.Select(TempFolder.Hash));
        Assert.Equal(7, Directory.GetFiles(_temp["issued"]).Length);
        Assert.Equal(7, Directory.GetFiles(_temp["ca/issued"]).Length);
        foreach (var station in new[] { "ST-0001", "ST-0002", "ST-0003" })
        {
            var dir = _temp["stations/" + station];
            Assert.Equal("700", TempFolder.Mode(dir));
            Assert.Equal("600", TempFolder.Mode(Path.Combine(dir, "tls.key.pem")));
            Assert.Equal("600", TempFolder.Mode(Path.Combine(dir, "signing.key.pem")));
            using var tls = X509Certificate2.CreateFromPemFile(Path.Combine(dir, "tls.cert.pem"), Path.Combine(dir, "tls.key.pem"));
            Assert.Equal(CertificateProfile.StationTls, CertificateProfiles.Recognize(tls));
            Assert.Equal("urn:transmission:station:" + station, CallerIdentity.FromCertificate(tls).Value?.Uri);
            using var signing = X509Certificate2.CreateFromPemFile(Path.Combine(dir, "signing.cert.pem"), Path.Combine(dir, "signing.key.pem"));
            Assert.Equal(CertificateProfile.StationSigning, CertificateProfiles.Recognize(signing));
        }

        Assert.Equal("600", TempFolder.Mode(_temp["verifier/tls.key.pem"]));
        var show = await InProcessCli.Station("keys", "show", "--dir", _temp["stations/ST-0002"]).Ok();
        Assert.Contains("urn:transmission:station:ST-0002", show.Output, StringComparison.Ordinal);
        Assert.Contains("mode 0600", show.Output, StringComparison.Ordinal);
        Assert.Equal(2, show.Output.Split("valid").Length - 1);
        var list = await InProcessCli.Central("pki", "list", "--ca", Ca).Ok();
        Assert.Contains("urn:transmission:verifier:verifier-1", list.Output, StringComparison.Ordinal);
        Assert.Equal(7, list.Output.Split("\tvalid").Length - 1);
    }

    [Fact]
    public async Task IssueBatch_CsrNotInRegistry_RefusedOthersIssued()
    {
        File.WriteAllLines(_temp["identities.txt"], ["ST-0001"]);
        await InProcessCli.Central("pki", "init-ca", "--ca", Ca).Ok();
        await InProcessCli.Station("keys", "init", "--station", "ST-0001", "--dir", _temp["s1"], "--export-csr", _temp["csr"]).Ok();
        await InProcessCli.Station("keys", "init", "--station", "ST-0666", "--dir", _temp["s666"], "--export-csr", _temp["csr"]).Ok();

        var result = await InProcessCli.Central("pki", "issue", "--ca", Ca, "--csr-dir", _temp["csr"], "--out-dir", _temp["issued"], "--identities-file", _temp["identities.txt"]);

        Assert.Equal(4, result.ExitCode);
        Assert.Contains("ST-0666 is not in the identities file", result.Output, StringComparison.Ordinal);
        Assert.Equal(["ST-0001.station-signing.cert.pem", "ST-0001.station-tls.cert.pem"], Directory.GetFiles(_temp["issued"]).Select(Path.GetFileName).Order());
    }

    [Fact]
    public async Task IssueBatch_CsrRenamedToAnotherStation_RefusedIdentityMismatch()
    {
        File.WriteAllLines(_temp["identities.txt"], ["ST-0001", "ST-0002"]);
        await InProcessCli.Central("pki", "init-ca", "--ca", Ca).Ok();
        await InProcessCli.Station("keys", "init", "--station", "ST-0001", "--dir", _temp["s1"]).Ok();
        Directory.CreateDirectory(_temp["csr"]);
        File.Copy(_temp["s1/tls.csr.pem"], _temp["csr/ST-0002.station-tls.csr.pem"]);

        var result = await InProcessCli.Central("pki", "issue", "--ca", Ca, "--csr-dir", _temp["csr"], "--out-dir", _temp["issued"], "--identities-file", _temp["identities.txt"]);

        Assert.Equal(4, result.ExitCode);
        Assert.Contains("IDENTITY_MISMATCH", result.Output, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_temp["issued"]));
    }

    [Fact]
    public async Task Issue_IdentityOtherThanCsr_Exit4NothingWritten()
    {
        await InProcessCli.Central("pki", "init-ca", "--ca", Ca).Ok();
        await InProcessCli.Station("keys", "init", "--station", "ST-0001", "--dir", _temp["s1"]).Ok();

        var result = await InProcessCli.Central("pki", "issue", "--ca", Ca, "--csr", _temp["s1/tls.csr.pem"], "--profile", "station-tls", "--identity", "ST-0002", "--out", _temp["out.pem"]);

        Assert.Equal(4, result.ExitCode);
        Assert.Contains("IDENTITY_MISMATCH", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(_temp["out.pem"]));
        Assert.Empty(Directory.GetFiles(_temp["ca/issued"]));
    }

    [Fact]
    public async Task Issue_TamperedCsr_Exit4CsrSignatureInvalid()
    {
        await InProcessCli.Central("pki", "init-ca", "--ca", Ca).Ok();
        await InProcessCli.Station("keys", "init", "--station", "ST-0001", "--dir", _temp["s1"]).Ok();
        var pem = File.ReadAllText(_temp["s1/tls.csr.pem"]);
        var der = Convert.FromBase64String(pem[PemEncoding.Find(pem).Base64Data]);
        der[^1] ^= 1;
        File.WriteAllText(_temp["bad.csr.pem"], PemEncoding.WriteString("CERTIFICATE REQUEST", der));

        var result = await InProcessCli.Central("pki", "issue", "--ca", Ca, "--csr", _temp["bad.csr.pem"], "--profile", "station-tls", "--identity", "ST-0001", "--out", _temp["out.pem"]);

        Assert.Equal(4, result.ExitCode);
        Assert.Contains("CSR_SIGNATURE_INVALID", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Issue_SigningCsrUnderCentralTlsProfile_Exit4WrongRole()
    {
        await InProcessCli.Central("pki", "init-ca", "--ca", Ca).Ok();
        await InProcessCli.Station("keys", "init", "--station", "ST-0001", "--dir", _temp["s1"]).Ok();

        var result = await InProcessCli.Central("pki", "issue", "--ca", Ca, "--csr", _temp["s1/signing.csr.pem"], "--profile", "central-tls", "--identity", "urn:transmission:station:ST-0001", "--dns", "x", "--out", _temp["out.pem"]);

        Assert.Equal(4, result.ExitCode);
        Assert.Contains("IDENTITY_WRONG_ROLE", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--profile", "root")]
    [InlineData("--identity", "../x")]
    public async Task Issue_BadOptionValue_Exit1(string option, string value)
    {
        await InProcessCli.Central("pki", "init-ca", "--ca", Ca).Ok();
        await InProcessCli.Station("keys", "init", "--station", "ST-0001", "--dir", _temp["s1"]).Ok();
        var args = new Dictionary<string, string> { ["--profile"] = "station-tls", ["--identity"] = "ST-0001" };
        args[option] = value;

        var result = await InProcessCli.Central("pki", "issue", "--ca", Ca, "--csr", _temp["s1/tls.csr.pem"], "--profile", args["--profile"], "--identity", args["--identity"], "--out", _temp["out.pem"]);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("error: ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Issue_MissingCsrFile_Exit2()
    {
        await InProcessCli.Central("pki", "init-ca", "--ca", Ca).Ok();

        var result = await InProcessCli.Central("pki", "issue", "--ca", Ca, "--csr", _temp["nope.pem"], "--profile", "station-tls", "--identity", "ST-0001", "--out", _temp["out.pem"]);

        Assert.Equal(2, result.ExitCode);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Issue_NoCa_Exit2()
    {
        var result = await InProcessCli.Central("pki", "list", "--ca", _temp["none"]);

        Assert.Equal(2, result.ExitCode);
    }

    [Fact]
    public async Task IssueCentral_Twice_RefusesThenSkips()
    {
        await InProcessCli.Central("pki", "init-ca", "--ca", Ca).Ok();
        await InProcessCli.Central("pki", "issue-central", "--ca", Ca, "--out", _temp["central"], "--dns", "localhost", "--ip", "127.0.0.1").Ok();
        var key = TempFolder.Hash(_temp["central/tls.key.pem"]);

        Assert.Equal(3, (await InProcessCli.Central("pki", "issue-central", "--ca", Ca, "--out", _temp["central"], "--dns", "localhost")).ExitCode);
        await InProcessCli.Central("pki", "issue-central", "--ca", Ca, "--out", _temp["central"], "--dns", "localhost", "--skip-existing").Ok();

        Assert.Equal(key, TempFolder.Hash(_temp["central/tls.key.pem"]));
        Assert.Equal("600", TempFolder.Mode(_temp["central/tls.key.pem"]));
        Assert.Equal("600", TempFolder.Mode(_temp["central/signing.key.pem"]));
        using var tls = X509Certificate2.CreateFromPemFile(_temp["central/tls.cert.pem"], _temp["central/tls.key.pem"]);
        using var signing = X509Certificate2.CreateFromPemFile(_temp["central/signing.cert.pem"], _temp["central/signing.key.pem"]);
        Assert.Equal(CertificateProfile.CentralTls, CertificateProfiles.Recognize(tls));
        Assert.Equal(CertificateProfile.CentralSigning, CertificateProfiles.Recognize(signing));
    }

    [Fact]
    public async Task IssueCentral_NoNames_Exit1()
    {
        await InProcessCli.Central("pki", "init-ca", "--ca", Ca).Ok();

        Assert.Equal(1, (await InProcessCli.Central("pki", "issue-central", "--ca", Ca, "--out", _temp["central"])).ExitCode);
    }

    [Fact]
    public async Task RevokeThenCrl_Revoked_ListedInNewerCrl()
    {
        await InProcessCli.Central("pki", "init-ca", "--ca", Ca).Ok();
        await InProcessCli.Station("keys", "init", "--station", "ST-0001", "--dir", _temp["s1"]).Ok();
        await InProcessCli.Central("pki", "issue", "--ca", Ca, "--csr", _temp["s1/tls.csr.pem"], "--profile", "station-tls", "--identity", "ST-0001", "--out", _temp["tls.pem"]).Ok();
        using var root = X509Certificate2.CreateFromPem(File.ReadAllText(_temp["ca/ca.cert.pem"]));
        var before = RevocationList.LoadPem(File.ReadAllText(_temp["ca/crl.pem"]), root).Value!;

        await InProcessCli.Central("pki", "revoke", "--ca", Ca, "--cert", _temp["tls.pem"], "--reason", "key-compromise").Ok();
        var again = await InProcessCli.Central("pki", "revoke", "--ca", Ca, "--cert", _temp["tls.pem"]).Ok();
        await InProcessCli.Central("pki", "crl", "--ca", Ca, "--out", _temp["crl.pem"]).Ok();

        var after = RevocationList.LoadPem(File.ReadAllText(_temp["crl.pem"]), root).Value!;
        using var cert = X509Certificate2.CreateFromPem(File.ReadAllText(_temp["tls.pem"]));
        Assert.Contains("already revoked", again.Output, StringComparison.Ordinal);
        Assert.Equal(before.Number + 1, after.Number);
        Assert.Equal(X509RevocationReason.KeyCompromise, after.Find(cert)?.Reason);
        Assert.Single(after.Entries);
        Assert.Equal(File.ReadAllText(_temp["crl.pem"]), File.ReadAllText(_temp["ca/crl.pem"]));
        Assert.Contains("revoked", (await InProcessCli.Central("pki", "list", "--ca", Ca).Ok()).Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("station TLS", "s1/tls.cert.pem", "urn:transmission:station:ST-0001, station-tls")]
    [InlineData("station signing", "s1/signing.cert.pem", "urn:transmission:station:ST-0001, station-signing")]
    [InlineData("verifier", "v1/tls.cert.pem", "urn:transmission:verifier:verifier-1, verifier")]
    [InlineData("auditor", "a1/tls.cert.pem", "urn:transmission:auditor:auditor-1, auditor")]
    public async Task Revoke_EachKindOfCertificate_ListedInTheNextCrlAndTellsTheNextSteps(string what, string certificate, string described)
    {
        await IssueEveryKindAsync();

        var result = await InProcessCli.Central("pki", "revoke", "--ca", Ca, "--cert", _temp[certificate], "--reason", "key-compromise").Ok();
        var published = await InProcessCli.Central("pki", "crl", "--ca", Ca, "--out", _temp["central-crl.pem"]).Ok();

        using var cert = X509CertificateLoader.LoadCertificateFromFile(_temp[certificate]);
        Assert.Contains($"revoked serial {RevocationEntry.CanonicalSerial(cert)} ({described})", result.Output, StringComparison.Ordinal);
        Assert.Contains("next: publish with 'pki crl --ca ", result.Output, StringComparison.Ordinal);
        Assert.Contains("Central:Pki:Crl", result.Output, StringComparison.Ordinal);
        Assert.Contains("SIGHUP", published.Output, StringComparison.Ordinal);
        using var root = X509CertificateLoader.LoadCertificateFromFile(_temp["ca/ca.cert.pem"]);
        var crl = RevocationList.LoadPem(File.ReadAllText(_temp["central-crl.pem"]), root).Value!;
        Assert.True(crl.Find(cert) is not null, what);
        Assert.Single(crl.Entries);
    }

    [Theory]
    [InlineData("ST-0001", 2)]
    [InlineData("urn:transmission:station:ST-0001", 2)]
    [InlineData("urn:transmission:verifier:verifier-1", 1)]
    public async Task Revoke_Identity_EveryCertificateOfItOnceThenAlreadyRevoked(string identity, int count)
    {
        await IssueEveryKindAsync();

        var first = await InProcessCli.Central("pki", "revoke", "--ca", Ca, "--identity", identity).Ok();
        var again = await InProcessCli.Central("pki", "revoke", "--ca", Ca, "--identity", identity).Ok();

        Assert.Contains($"revoked {count} certificate(s)", first.Output, StringComparison.Ordinal);
        Assert.Equal(count + 1, File.ReadAllLines(_temp["ca/revocations.tsv"]).Length);
        Assert.Contains("revoked 0 certificate(s)", again.Output, StringComparison.Ordinal);
        Assert.Equal(count, again.Output.Split("already revoked").Length - 1);
        Assert.DoesNotContain("next:", again.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Revoke_IdentityNeverIssued_Exit4NothingRecorded()
    {
        await IssueEveryKindAsync();

        var result = await InProcessCli.Central("pki", "revoke", "--ca", Ca, "--identity", "ST-0009");

        Assert.Equal(4, result.ExitCode);
        Assert.Contains("issued no certificate to urn:transmission:station:ST-0009", result.Error, StringComparison.Ordinal);
        Assert.Single(File.ReadAllLines(_temp["ca/revocations.tsv"]));
    }

    [Fact]
    public async Task Revoke_TwoWaysToNameTheCertificate_Exit1()
    {
        await IssueEveryKindAsync();

        var result = await InProcessCli.Central("pki", "revoke", "--ca", Ca, "--identity", "ST-0001", "--cert", _temp["s1/tls.cert.pem"]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("exactly one of --cert, --serial and --identity", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Revoke_Help_NamesTheStepsToCentral()
    {
        var help = await InProcessCli.Central("pki", "revoke", "--help");

        Assert.Contains("pki crl", help.Output, StringComparison.Ordinal);
        Assert.Contains("SIGHUP", help.Output, StringComparison.Ordinal);
        Assert.Contains("--identity", help.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Revoke_CertificateOfAnotherCa_Exit4()
    {
        await InProcessCli.Central("pki", "init-ca", "--ca", Ca).Ok();
        await InProcessCli.Central("pki", "init-ca", "--ca", _temp["other"]).Ok();
        await InProcessCli.Station("keys", "init", "--station", "ST-0001", "--dir", _temp["s1"]).Ok();
        await InProcessCli.Central("pki", "issue", "--ca", _temp["other"], "--csr", _temp["s1/tls.csr.pem"], "--profile", "station-tls", "--identity", "ST-0001", "--out", _temp["tls.pem"]).Ok();

        var result = await InProcessCli.Central("pki", "revoke", "--ca", Ca, "--cert", _temp["tls.pem"]);

        Assert.Equal(4, result.ExitCode);
        Assert.Single(File.ReadAllLines(_temp["ca/revocations.tsv"]));
    }

    /// <summary>A CA that issued a station's two certificates (ST-0001), a verifier's and an auditor's.</summary>
    private async Task IssueEveryKindAsync()
    {
        await InProcessCli.Central("pki", "init-ca", "--ca", Ca).Ok();
        await InProcessCli.Station("keys", "init", "--station", "ST-0001", "--dir", _temp["s1"]).Ok();
        await InProcessCli.Central("pki", "issue", "--ca", Ca, "--csr", _temp["s1/tls.csr.pem"], "--profile", "station-tls", "--identity", "ST-0001", "--out", _temp["s1/tls.cert.pem"]).Ok();
        await InProcessCli.Central("pki", "issue", "--ca", Ca, "--csr", _temp["s1/signing.csr.pem"], "--profile", "station-signing", "--identity", "ST-0001", "--out", _temp["s1/signing.cert.pem"]).Ok();
        foreach (var (identity, dir, profile) in new[] { ("urn:transmission:verifier:verifier-1", "v1", "verifier"), ("urn:transmission:auditor:auditor-1", "a1", "auditor") })
        {
            await InProcessCli.Central("pki", "request", "--identity", identity, "--dir", _temp[dir]).Ok();
            await InProcessCli.Central("pki", "issue", "--ca", Ca, "--csr", _temp[$"{dir}/tls.csr.pem"], "--profile", profile, "--identity", identity, "--out", _temp[$"{dir}/tls.cert.pem"]).Ok();
        }
    }

    [Fact]
    public async Task KeysInit_Twice_RefusesAndKeepsKeys()
    {
        await InProcessCli.Station("keys", "init", "--station", "ST-0001", "--dir", _temp["s1"]).Ok();
        var before = TempFolder.Hash(_temp["s1/tls.key.pem"]);

        var again = await InProcessCli.Station("keys", "init", "--station", "ST-0001", "--dir", _temp["s1"]);

        Assert.Equal(3, again.ExitCode);
        Assert.Equal(before, TempFolder.Hash(_temp["s1/tls.key.pem"]));
        Assert.Equal("600", TempFolder.Mode(_temp["s1/tls.key.pem"]));
        Assert.Equal("600", TempFolder.Mode(_temp["s1/signing.key.pem"]));
        Assert.Equal("700", TempFolder.Mode(_temp["s1"]));
    }

    [Fact]
    public async Task KeysInit_UnsafeStationCode_Exit1NothingWritten()
    {
        var result = await InProcessCli.Station("keys", "init", "--station", "../../etc", "--dir", _temp["s1"]);

        Assert.Equal(1, result.ExitCode);
        Assert.False(Directory.Exists(_temp["s1"]));
    }

    [Fact]
    public async Task KeysInstall_SwappedCertificates_Exit4NothingInstalled()
    {
        await InProcessCli.Central("pki", "init-ca", "--ca", Ca).Ok();
        await InProcessCli.Station("keys", "init", "--station", "ST-0001", "--dir", _temp["s1"]).Ok();
        await InProcessCli.Central("pki", "issue", "--ca", Ca, "--csr", _temp["s1/tls.csr.pem"], "--profile", "station-tls", "--identity", "ST-0001", "--out", _temp["tls.pem"]).Ok();
        await InProcessCli.Central("pki", "issue", "--ca", Ca, "--csr", _temp["s1/signing.csr.pem"], "--profile", "station-signing", "--identity", "ST-0001", "--out", _temp["signing.pem"]).Ok();

        var result = await InProcessCli.Station("keys", "install", "--dir", _temp["s1"], "--tls-cert", _temp["signing.pem"], "--signing-cert", _temp["tls.pem"], "--ca", _temp["ca/ca.cert.pem"]);

        Assert.Equal(4, result.ExitCode);
        Assert.False(File.Exists(_temp["s1/tls.cert.pem"]));
        await InProcessCli.Station("keys", "install", "--dir", _temp["s1"], "--tls-cert", _temp["tls.pem"], "--signing-cert", _temp["signing.pem"], "--ca", _temp["ca/ca.cert.pem"]).Ok();
    }

    [Fact]
    public async Task KeysInstall_TlsCertOfAnotherProfileForSameKey_Exit4()
    {
        // The CA wrongly issued a station-signing certificate over the TLS key: install must notice the profile.
        await InProcessCli.Central("pki", "init-ca", "--ca", Ca).Ok();
        await InProcessCli.Station("keys", "init", "--station", "ST-0001", "--dir", _temp["s1"]).Ok();
        await InProcessCli.Central("pki", "issue", "--ca", Ca, "--csr", _temp["s1/tls.csr.pem"], "--profile", "station-signing", "--identity", "ST-0001", "--out", _temp["wrong.pem"]).Ok();
        await InProcessCli.Central("pki", "issue", "--ca", Ca, "--csr", _temp["s1/signing.csr.pem"], "--profile", "station-signing", "--identity", "ST-0001", "--out", _temp["signing.pem"]).Ok();

        var result = await InProcessCli.Station("keys", "install", "--dir", _temp["s1"], "--tls-cert", _temp["wrong.pem"], "--signing-cert", _temp["signing.pem"], "--ca", _temp["ca/ca.cert.pem"]);

        Assert.Equal(4, result.ExitCode);
        Assert.Contains("WRONG_KEY_USAGE", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("en", "UNTRUSTED_CHAIN: ")]
    [InlineData("sq", "UNTRUSTED_CHAIN: Certifikata nuk është lëshuar nga autoriteti i këtyre zgjedhjeve. (në anglisht: ")]
    [InlineData("sr-Latn", "UNTRUSTED_CHAIN: Sertifikat nije izdao organ ovih izbora. (na engleskom: ")]
    public async Task KeysInstall_OtherRoot_Exit4UntrustedChainSaidInTheChairsLanguage(string language, string said)
    {
        await InProcessCli.Central("pki", "init-ca", "--ca", Ca).Ok();
        await InProcessCli.Central("pki", "init-ca", "--ca", _temp["other"]).Ok();
        await InProcessCli.Station("keys", "init", "--station", "ST-0001", "--dir", _temp["s1"]).Ok();
        await InProcessCli.Central("pki", "issue", "--ca", Ca, "--csr", _temp["s1/tls.csr.pem"], "--profile", "station-tls", "--identity", "ST-0001", "--out", _temp["tls.pem"]).Ok();
        await InProcessCli.Central("pki", "issue", "--ca", Ca, "--csr", _temp["s1/signing.csr.pem"], "--profile", "station-signing", "--identity", "ST-0001", "--out", _temp["signing.pem"]).Ok();

        // The built program, so that --lang is applied as on a chair's machine.
        var result = await BuiltExecutable.Station("keys", "install", "--dir", _temp["s1"], "--tls-cert", _temp["tls.pem"], "--signing-cert", _temp["signing.pem"], "--ca", _temp["other/ca.cert.pem"], "--lang", language);

        Assert.Equal(4, result.ExitCode);
        Assert.Contains(_temp["tls.pem"] + ": " + said, result.Error, StringComparison.Ordinal);
        Assert.Equal(language != "en", result.Error.Contains("anglisht: ", StringComparison.Ordinal) || result.Error.Contains("engleskom: ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task KeysInstall_CertificateOfAnotherStation_Exit4()
    {
        await InProcessCli.Central("pki", "init-ca", "--ca", Ca).Ok();
        await InProcessCli.Station("keys", "init", "--station", "ST-0001", "--dir", _temp["s1"]).Ok();
        await InProcessCli.Station("keys", "init", "--station", "ST-0002", "--dir", _temp["s2"]).Ok();
        await InProcessCli.Central("pki", "issue", "--ca", Ca, "--csr", _temp["s2/tls.csr.pem"], "--profile", "station-tls", "--identity", "ST-0002", "--out", _temp["tls.pem"]).Ok();
        await InProcessCli.Central("pki", "issue", "--ca", Ca, "--csr", _temp["s2/signing.csr.pem"], "--profile", "station-signing", "--identity", "ST-0002", "--out", _temp["signing.pem"]).Ok();

        var result = await InProcessCli.Station("keys", "install", "--dir", _temp["s1"], "--tls-cert", _temp["tls.pem"], "--signing-cert", _temp["signing.pem"], "--ca", _temp["ca/ca.cert.pem"]);

        Assert.Equal(4, result.ExitCode);
    }
}
