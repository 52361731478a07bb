using System.Text.Json;
using Transmission.Central.Tests.Pki;
using Transmission.Testing;

namespace Transmission.Central.Tests.Hosting;

/// <summary><c>transmission-central serve</c> as built: configuration errors, start, refusal of revoked stations, clean stop.</summary>
public sealed class ServeCommandTests : IAsyncLifetime
{
    private readonly DevelopmentPki _pki = new();

    public Task InitializeAsync() => _pki.InitializeAsync();

    public Task DisposeAsync()
    {
        _pki.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Serve_MissingRootCertificate_OneLineNamingTheSettingExitTwo()
    {
        var options = _pki.CentralOptions();
        options.Pki.RootCertificate = Path.Combine(_pki.Root, "nope.pem");
        var config = WriteConfig(options);

        var result = await BuiltExecutable.Central("serve", "--config", config);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(
            $"Configuration error: Central:Pki:RootCertificate: file '{options.Pki.RootCertificate}' does not exist (run certs-dev/generate for a development PKI).",
            result.Error.Trim());
    }

    [Fact]
    public async Task Serve_PostgreSqlWithoutConnectionString_OneLineExitTwo()
    {
        var options = _pki.CentralOptions();
        options.Storage = new Central.Storage.StorageOptions { Provider = Central.Storage.StorageProvider.PostgreSql };

        var result = await BuiltExecutable.Central("serve", "--config", WriteConfig(options));

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("Configuration error: Central:Storage:ConnectionString is not set; Provider PostgreSql needs one", result.Error.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_PostgreSqlServerDown_OneLineWithoutThePasswordExitThree()
    {
        // A port nothing listens on: the database server is down when Central starts.
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var options = _pki.CentralOptions();
        options.Storage = new Central.Storage.StorageOptions
        {
            Provider = Central.Storage.StorageProvider.PostgreSql,
            ConnectionString = $"Host=127.0.0.1;Port={port};Database=election;Username=central;Password=s3cret-pw;Timeout=3",
        };

        var result = await BuiltExecutable.Central("serve", "--config", WriteConfig(options));

        Assert.Equal(3, result.ExitCode);
        var line = Assert.Single(result.Error.Trim().Split('\n'));
        Assert.StartsWith($"Central could not start: Central's database 'postgresql://central@127.0.0.1:{port}/election' could not be opened or migrated: ", line, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-pw", result.Error + result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-pw", string.Concat(Directory.GetFiles(Path.Combine(options.DataDirectory, "logs")).Select(File.ReadAllText)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_BadListenAddress_OneLineExitTwo()
    {
        var config = WriteConfig(_pki.CentralOptions());

        var result = await BuiltExecutable.Central("serve", "--config", config, "--listen", "localhost");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("Configuration error: Central:Listen 'localhost' is not an address:port such as 127.0.0.1:7443.", result.Error.Trim());
    }

    [Fact]
    public async Task Serve_MissingConfigFile_OneLineExitTwo()
    {
        var result = await BuiltExecutable.Central("serve", "--config", Path.Combine(_pki.Root, "absent.json"));

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"Configuration error: settings file '{Path.Combine(_pki.Root, "absent.json")}' does not exist.", result.Error.Trim());
    }

    [Theory]
    [InlineData("server")]
    [InlineData("signing")]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Serve_PrivateKeyReadableByOthers_OneLineExitThreeNothingOpened(string which)
    {
        var options = _pki.CentralOptions();
        var key = which == "server" ? options.Pki.ServerKey : options.Pki.SigningKey;
        File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);

        var result = await BuiltExecutable.Central("serve", "--config", WriteConfig(options));

        Assert.Equal(3, result.ExitCode);
        Assert.Equal(
            $"Central could not start: the private key {key} can be read or written by others (mode 0604); it may be compromised: "
            + $"report it, and if it is yours and still secret run 'chmod 600 {key}'",
            result.Error.Trim());
        Assert.False(File.Exists(Path.Combine(_pki.DataDirectory, "central.db")));
    }

    [Fact]
    public async Task Serve_SettingsFileNotJson_OneLineExitTwo()
    {
        var config = Path.Combine(_pki.Root, "broken.json");
        File.WriteAllText(config, "{ \"Central\": { \"Listen\": \"127.0.0.1:0\", ");

        var result = await BuiltExecutable.Central("serve", "--config", config);

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.Error.Trim().Split('\n'));
        Assert.StartsWith($"Configuration error: settings file '{config}' is not valid JSON", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_SettingNotANumber_OneLineNamingTheSettingExitTwo()
    {
        var config = WriteConfig(_pki.CentralOptions());
        var json = File.ReadAllText(config).Replace("\"MaxAttachments\":8", "\"MaxAttachments\":\"eight\"", StringComparison.Ordinal);
        Assert.Contains("\"eight\"", json, StringComparison.Ordinal);
        File.WriteAllText(config, json);

        var result = await BuiltExecutable.Central("serve", "--config", config);

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.Error.Trim().Split('\n'));
        Assert.Equal("Configuration error: Central:Submission:MaxAttachments 'eight' is not a valid Int32.", line);
    }

    [Fact]
    public async Task Serve_LiveElectionUnderADevelopmentRoot_RefusesToStartInOneLine()
    {
        var developmentCa = Path.Combine(_pki.Root, "dev-ca");
        await InProcessCli.Central("pki", "init-ca", "--ca", developmentCa, "--name", "Dev Root", "--development").Ok();
        var live = Path.Combine(_pki.Root, "live-election.json");
        await InProcessCli.Run(Central.Election.ElectionCommands.Create(), "election", "generate", "--stations-file", Path.Combine(_pki.Root, "stations.txt"), "--mode", "live", "--out", live).Ok();
        var options = _pki.CentralOptions();
        options.Pki.RootCertificate = Path.Combine(developmentCa, "ca.cert.pem");
        options.Election.Definition = live;

        var result = await BuiltExecutable.Central("serve", "--config", WriteConfig(options));

        Assert.Equal(3, result.ExitCode);
        Assert.Equal(
            $"Central could not start: election {_pki.Election.ElectionId} is a LIVE election but {options.Pki.RootCertificate} is a development root "
            + "(DEVELOPMENT ONLY - NOT FOR A LIVE ELECTION); serve it under the commission's own root, or use a test-mode definition for a rehearsal.",
            result.Error.Trim());
        Assert.False(File.Exists(Path.Combine(_pki.DataDirectory, "central.db")));
    }

    [Fact]
    public async Task Serve_RevokedStation_RefusedAtTheHandshakeOthersServed_StopsCleanlyOnSigterm()
    {
        await InProcessCli.Central("pki", "revoke", "--ca", _pki.Ca, "--cert", Path.Combine(_pki.StationDir("ST-0002"), "tls.cert.pem"), "--reason", "key-compromise").Ok();
        await InProcessCli.Central("pki", "crl", "--ca", _pki.Ca, "--out", Path.Combine(_pki.Root, "crl.pem")).Ok();
        var ready = Path.Combine(_pki.Root, "ready.url");
        await using var central = BuiltExecutable.Start("transmission-central", _pki.Root, "serve", "--config", WriteConfig(_pki.CentralOptions()), "--ready-file", ready);
        var address = await central.WaitForReadyFileAsync(ready);

        var good = await BuiltExecutable.Station("handshake", "--dir", _pki.StationDir("ST-0001"), "--central", address);
        var revoked = await BuiltExecutable.Station("handshake", "--dir", _pki.StationDir("ST-0002"), "--central", address);

        Assert.True(good.ExitCode == 0, good.ToString());
        Assert.NotEqual(0, revoked.ExitCode);
        Assert.StartsWith("error: Central answered Unavailable:", revoked.Error.Trim(), StringComparison.Ordinal);
        Assert.Equal(0, await central.TerminateAsync());
        var log = string.Concat(Directory.GetFiles(Path.Combine(_pki.Root, "central-data", "logs")).Select(File.ReadAllText));
        Assert.Contains("REVOKED", log, StringComparison.Ordinal);
        Assert.Contains("ST-0002", log, StringComparison.Ordinal);
        Assert.Contains("Central is stopping", central.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_Sighup_ChecksTheCrlAtOnceAndKeepsServing()
    {
        var ready = Path.Combine(_pki.Root, "ready.url");
        await using var central = BuiltExecutable.Start("transmission-central", _pki.Root, "serve", "--config", WriteConfig(_pki.CentralOptions()), "--ready-file", ready);
        var address = await central.WaitForReadyFileAsync(ready);
        await InProcessCli.Central("pki", "revoke", "--ca", _pki.Ca, "--cert", Path.Combine(_pki.StationDir("ST-0002"), "tls.cert.pem"), "--reason", "key-compromise").Ok();
        await InProcessCli.Central("pki", "crl", "--ca", _pki.Ca, "--out", Path.Combine(_pki.Root, "crl.pem")).Ok();

        using (var hangUp = System.Diagnostics.Process.Start("kill", ["-HUP", central.Process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await hangUp.WaitForExitAsync().DefaultTimeout();
        }

        // SIGHUP asks for a check (logged at Information) instead of ending the process.
        var logs = Path.Combine(_pki.Root, "central-data", "logs");
        var deadline = DateTime.UtcNow + TestTimeouts.Default;
        while (!System.Text.RegularExpressions.Regex.IsMatch(ReadLogs(logs), @"CRL check \([^)]*SIGHUP[^)]*\): "))
        {
            Assert.False(central.Process.HasExited, "Central exited on SIGHUP:\n" + central.Output);
            Assert.True(DateTime.UtcNow < deadline, "No SIGHUP check in the log:\n" + ReadLogs(logs));
            await Task.Delay(100);
        }

        var good = await BuiltExecutable.Station("handshake", "--dir", _pki.StationDir("ST-0001"), "--central", address);
        var revoked = await BuiltExecutable.Station("handshake", "--dir", _pki.StationDir("ST-0002"), "--central", address);
        Assert.True(good.ExitCode == 0, good.ToString());
        Assert.NotEqual(0, revoked.ExitCode);
        Assert.Equal(0, await central.TerminateAsync());
    }

    private static string ReadLogs(string folder) => Directory.Exists(folder)
        ? string.Concat(Directory.GetFiles(folder).Select(f =>
        {
            using var stream = new FileStream(f, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd();
        }))
        : string.Empty;

    /// <summary>Writes <paramref name="options"/> as the "Central" section of a settings file.</summary>
    private string WriteConfig(Central.Hosting.CentralOptions options)
    {
        var path = Path.Combine(_pki.Root, $"central-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, JsonSerializer.Serialize(new { Central = options }));
        return path;
    }
}
