using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Transmission.Central.Storage;
using Transmission.Central.Tests.Storage;
using Transmission.Testing;
using V1 = Transmission.Contracts.V1;

namespace Transmission.Central.Tests.Hosting;

/// <summary>
/// Design §11 hardening: no private key, envelope payload or other private material appears in any log. A whole night
/// (built Central at Debug level, transmission-night with station processes and in-process stations, a correction,
/// the deliberate bad cases, the verifier's review, the auditor's bundle fetch) runs; then every log and console
/// output is searched for every private key in the PKI and every stored payload, in PEM, base64 (any alignment) and
/// hex.
/// </summary>
[Trait("Store", TestStore.SqliteOnly)]
public sealed class NightLogSecretsTests : IAsyncLifetime
{
    private const int Stations = 8;
    private readonly DevelopmentPki _pki = new(Stations);

    public Task InitializeAsync() => _pki.InitializeAsync();

    public Task DisposeAsync()
    {
        _pki.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task FullNight_EveryLogAtDebugLevel_NoPrivateKeyNoPayload()
    {
        var work = Path.Combine(_pki.Root, "night");
        var config = Path.Combine(_pki.Root, "central-debug.json");
        File.WriteAllText(config, JsonSerializer.Serialize(new
        {
            Central = _pki.CentralOptions(),
            Serilog = new { MinimumLevel = new { Default = "Debug", Override = new Dictionary<string, string> { ["Microsoft"] = "Debug" } } },
        }));
        var ready = Path.Combine(_pki.Root, "ready.url");
        var outputs = new List<string>();

        await using (var central = BuiltExecutable.Start("transmission-central", _pki.Root, "serve", "--config", config, "--ready-file", ready))
        {
            var address = await central.WaitForReadyFileAsync(ready);
            var night = await BuiltExecutable.Night(TimeSpan.FromMinutes(10), "--pki", _pki.Root, "--central", address, "--stations", $"{Stations}", "--parallel", "4", "--work", work, "--separate-processes", "3");
            var fetch = await BuiltExecutable.Auditor("fetch", "--central", address, "--identity", _pki.AuditorDir, "--out", Path.Combine(work, "bundle"), "--attachments");
            Assert.Equal(0, await central.TerminateAsync());
            Assert.True(night.ExitCode == 0, night.ToString());
            Assert.True(fetch.ExitCode == 0, fetch.ToString());
            outputs.AddRange([central.Output, night.Output, night.Error, fetch.Output, fetch.Error]);
        }

        var logFiles = Directory.GetFiles(_pki.DataDirectory, "*.log", SearchOption.AllDirectories)
            .Concat(Directory.GetFiles(work, "*.log", SearchOption.AllDirectories)).ToList();
        var logs = string.Join("\n", outputs.Concat(logFiles.Select(File.ReadAllText)));
        var secrets = PrivateKeys(_pki.Root).Concat(StoredPayloads()).ToList();

        // The scan is over a real night's logs: Central's Debug log names every station, stations wrote their own logs.
        Assert.Contains(logFiles, f => f.Contains(Path.Combine("stations", _pki.Stations[0], "logs"), StringComparison.Ordinal));
        Assert.All(_pki.Stations, code => Assert.Contains(code, logs, StringComparison.Ordinal));
        Assert.InRange(secrets.Count(s => s.What.StartsWith("payload", StringComparison.Ordinal)), Stations, int.MaxValue);
        Assert.InRange(secrets.Count(s => s.What.StartsWith("private key", StringComparison.Ordinal)), 2 * Stations, int.MaxValue);
        Assert.DoesNotContain("PRIVATE KEY", logs, StringComparison.Ordinal);
        var found = secrets.SelectMany(s => Occurrences(logs, s)).ToList();
        Assert.True(found.Count == 0, "secrets in the logs:\n" + string.Join("\n", found));
    }

    [Fact]
    public void Occurrences_SecretEmbeddedInBase64HexOrPem_Found()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var secret = new Secret("private key test", key.ExportParameters(true).D!);
        var envelope = RandomNumberGenerator.GetBytes(7).Concat(secret.Bytes).Concat(RandomNumberGenerator.GetBytes(5)).ToArray();

        foreach (var text in new[]
        {
            $"{{\"envelope\":\"{Convert.ToBase64String(envelope)}\"}}",
            $"d={Convert.ToHexString(secret.Bytes).ToLowerInvariant()}",
            $"D: {Convert.ToHexString(secret.Bytes)}",
        })
        {
            Assert.NotEmpty(Occurrences(text, secret));
        }

        var pkcs8 = new Secret("private key pkcs8", key.ExportPkcs8PrivateKey());
        Assert.NotEmpty(Occurrences(key.ExportPkcs8PrivateKeyPem(), pkcs8));
        Assert.Empty(Occurrences(Convert.ToBase64String(RandomNumberGenerator.GetBytes(200)), secret));
    }

    private sealed record Secret(string What, byte[] Bytes);

    /// <summary>Where <paramref name="secret"/> appears in <paramref name="text"/> as base64 (at any byte alignment) or hex.</summary>
    private static IEnumerable<string> Occurrences(string text, Secret secret)
    {
        var bytes = secret.Bytes;
        for (var shift = 0; shift < 3 && bytes.Length - shift >= 24; shift++)
        {
            // Base64 of any text holding the secret contains, for one of three shifts, the base64 of the secret from
            // that shift on, after its first 4 characters (which depend on the bytes before it).
            var window = Convert.ToBase64String(bytes, shift, Math.Min(48, bytes.Length - shift))[4..32];
            if (text.Contains(window, StringComparison.Ordinal))
            {
                yield return $"{secret.What} as base64 ({window})";
            }
        }

        var hex = Convert.ToHexString(bytes, 0, Math.Min(24, bytes.Length));
        if (text.Contains(hex, StringComparison.OrdinalIgnoreCase))
        {
            yield return $"{secret.What} as hex ({hex})";
        }
    }

    /// <summary>Every private key file under <paramref name="folder"/>: its PKCS #8 bytes and its private scalar.</summary>
    private static IEnumerable<Secret> PrivateKeys(string folder)
    {
        foreach (var file in Directory.GetFiles(folder, "*.key.pem", SearchOption.AllDirectories))
        {
            using var key = ECDsa.Create();
            key.ImportFromPem(File.ReadAllText(file));
            yield return new Secret($"private key {file}", key.ExportPkcs8PrivateKey());
            yield return new Secret($"private key scalar {file}", key.ExportParameters(true).D!);
        }
    }

    /// <summary>The payload of every envelope Central stored (read from its database after the night).</summary>
    private IEnumerable<Secret> StoredPayloads()
    {
        var options = new DbContextOptionsBuilder<CentralDbContext>()
            .UseSqlite($"Data Source={Path.Combine(_pki.DataDirectory, "central.db")};Mode=ReadOnly;Pooling=False")
            .Options;
        using var database = new CentralDbContext(options);
        var envelopeShas = database.Submissions.Select(s => s.EnvelopeSha256).ToList();
        var envelopes = database.Blobs.AsEnumerable().Where(b => envelopeShas.Any(s => s.AsSpan().SequenceEqual(b.Sha256))).ToList();
        return envelopes
            .Select(b => new Secret($"payload of envelope {Convert.ToHexString(b.Sha256)[..12]}", V1.Envelope.Parser.ParseFrom(b.Bytes).Payload.ToByteArray()))
            .ToList();
    }
}
