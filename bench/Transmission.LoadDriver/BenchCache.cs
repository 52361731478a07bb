using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Google.Protobuf;
using Transmission.Contracts.Mapping;
using Transmission.Core.Election;
using Transmission.Core.Envelope;
using Transmission.Core.Pki;
using Transmission.Core.Protocol;

namespace Transmission.LoadDriver;

/// <summary>
/// One simulated station as cached: its code, its TLS client certificate and key (DER, PKCS #8), and its envelopes
/// signed in advance with its own signing key (revision 1, then corrections 2, 3, ...).
/// </summary>
internal sealed record CachedStation(string Code, byte[] TlsCertificate, byte[] TlsKey, IReadOnlyList<byte[]> Envelopes);

/// <summary>
/// The cached election of one size (artifacts/bench-cache/&lt;N&gt;[x&lt;R&gt;]/): a generated election root CA, Central's
/// TLS and signing keys, a verifier identity, the election definition, an empty CRL, and stations.bin with every
/// station's REAL certificates (two keys per station, issued by the root with the product's <see cref="ElectionCa"/>)
/// and pre-signed envelopes, in one file. Signing is the stations' cost, so it is done once, here.
/// </summary>
internal sealed class BenchCache
{
    private const string Magic = "TRANSMISSION-BENCH-CACHE-2";
    private const int Chunk = 4096;

    private BenchCache(string directory, int stations, int revisions)
    {
        Directory = directory;
        Stations = stations;
        Revisions = revisions;
    }

    public string Directory { get; }

    public int Stations { get; }

    public int Revisions { get; }

    public string RootCertificate => Path.Combine(Directory, "ca.cert.pem");

    public string Crl => Path.Combine(Directory, "crl.pem");

    public string CentralTlsCertificate => Path.Combine(Directory, "central-tls.cert.pem");

    public string CentralTlsKey => Path.Combine(Directory, "central-tls.key.pem");

    public string CentralSigningCertificate => Path.Combine(Directory, "central-signing.cert.pem");

    public string CentralSigningKey => Path.Combine(Directory, "central-signing.key.pem");

    public string VerifierCertificate => Path.Combine(Directory, "verifier.cert.pem");

    public string VerifierKey => Path.Combine(Directory, "verifier.key.pem");

    public string Definition => Path.Combine(Directory, "election.json");

    private string StationsFile => Path.Combine(Directory, "stations.bin");

    private string Manifest => Path.Combine(Directory, "manifest.json");

    public static string StationCode(int index) => "ST-" + (index + 1).ToString("D6", CultureInfo.InvariantCulture);

    /// <summary>Opens the cache for <paramref name="stations"/> x <paramref name="revisions"/>, making it first when it is missing or its night window or certificates no longer cover now.</summary>
    public static BenchCache OpenOrCreate(string root, int stations, int revisions, TextWriter log)
    {
        var name = stations.ToString(CultureInfo.InvariantCulture) + (revisions > 1 ? "x" + revisions.ToString(CultureInfo.InvariantCulture) : string.Empty);
        var cache = new BenchCache(Path.Combine(root, name), stations, revisions);
        if (cache.IsUsable(DateTimeOffset.UtcNow, out var why))
        {
            log.WriteLine($"cache: {cache.Directory} (made earlier; reused)");
            return cache;
        }

        log.WriteLine($"cache: making {cache.Directory} ({why})");
        var watch = Stopwatch.StartNew();
        cache.Create(log);
        log.WriteLine($"cache: made in {watch.Elapsed.TotalSeconds:F1} s");
        return cache;
    }

    private bool IsUsable(DateTimeOffset now, out string why)
    {
        if (!File.Exists(Manifest) || !File.Exists(StationsFile))
        {
            why = "not made yet";
            return false;
        }

        using var doc = JsonDocument.Parse(File.ReadAllBytes(Manifest));
        var magic = doc.RootElement.GetProperty("magic").GetString();
        var validUntil = doc.RootElement.GetProperty("validUntil").GetDateTimeOffset();
        if (magic != Magic)
        {
            why = "an older format";
            return false;
        }

        // An hour of margin: a run must finish inside the election's night window and the certificates' validity.
        if (now.AddHours(1) >= validUntil)
        {
            why = $"its night window ended at {validUntil:u}";
            return false;
        }

        why = string.Empty;
        return true;
    }

    private void Create(TextWriter log)
    {
        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }

        System.IO.Directory.CreateDirectory(Directory);
        var time = TimeProvider.System;
        var now = time.GetUtcNow();

        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var root = ElectionCa.CreateRoot(rootKey, "Transmission Benchmark Root CA", time);
        var ca = new ElectionCa(root, time);
        File.WriteAllText(RootCertificate, root.ExportCertificatePem());
        File.WriteAllText(Crl, PemEncoding.WriteString("X509 CRL", ca.BuildRevocationList([], System.Numerics.BigInteger.One)));
        Issue(ca, CertificateProfile.CentralTls, CallerIdentity.Create(Role.Central, "central").Value!, CentralTlsCertificate, CentralTlsKey, ["localhost"], [IPAddress.Loopback]);
        Issue(ca, CertificateProfile.CentralSigning, CallerIdentity.Create(Role.Central, "central").Value!, CentralSigningCertificate, CentralSigningKey, null, null);
        Issue(ca, CertificateProfile.Verifier, CallerIdentity.Create(Role.Verifier, "bench-verifier").Value!, VerifierCertificate, VerifierKey, null, null);

        // The night window opens at the start of today (UTC) and stays open 7 days, so one cache serves a week of runs.
        var opens = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        var window = TimeSpan.FromDays(7);
        var codes = Enumerable.Range(0, Stations).Select(StationCode).ToArray();
        var definitionBytes = ElectionDefinitionGenerator.Generate(new ElectionDefinitionGeneratorOptions
        {
            StationCodes = codes,
            Municipalities = Math.Max(38, Stations / 1000),
            NightOpensAt = opens,
            NightDuration = window,
            Indented = false,
        });
        File.WriteAllBytes(Definition, definitionBytes);
        var parsed = ElectionDefinition.Parse(definitionBytes);
        var definition = parsed.Definition ?? throw new InvalidOperationException($"the generated definition does not parse: {parsed}");

        using (var file = new FileStream(StationsFile + ".tmp", FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
        using (var writer = new BinaryWriter(file))
        {
            writer.Write(Magic);
            writer.Write(Stations);
            writer.Write(Revisions);
            var watch = Stopwatch.StartNew();
            for (var start = 0; start < Stations; start += Chunk)
            {
                var count = Math.Min(Chunk, Stations - start);
                var made = new CachedStation[count];
                Parallel.For(0, count, i => made[i] = MakeStation(ca, definition, codes[start + i], now));
                foreach (var station in made)
                {
                    Write(writer, station);
                }

                if ((start / Chunk) % 25 == 24)
                {
                    log.WriteLine($"cache: {start + count:N0} of {Stations:N0} stations ({watch.Elapsed.TotalSeconds:F0} s)");
                }
            }
        }

        File.Move(StationsFile + ".tmp", StationsFile, overwrite: true);
        var leafNotAfter = now + IssuancePolicy.Default.LeafLifetime;
        var validUntil = opens + window < leafNotAfter ? opens + window : leafNotAfter;
        File.WriteAllText(Manifest, JsonSerializer.Serialize(new { magic = Magic, stations = Stations, revisions = Revisions, made = now, validUntil }));
    }

    private CachedStation MakeStation(ElectionCa ca, ElectionDefinition definition, string code, DateTimeOffset now)
    {
        var identity = CallerIdentity.Create(Role.Station, code).Value!;
        using var tlsKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var tls = ca.Issue(new PublicKey(tlsKey), CertificateProfile.StationTls, identity).Value!;
        using var signingKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var signing = ca.Issue(new PublicKey(signingKey), CertificateProfile.StationSigning, identity).Value!;
        var first = SampleProtocols.Create(definition, code, seed: 2025) with { SignedAt = now };
        var envelopes = new byte[Revisions][];
        for (var r = 0; r < Revisions; r++)
        {
            var protocol = r == 0 ? first : first with { Revision = r + 1, CorrectionReason = "Recount ordered by the municipal commission" };
            var payload = protocol.ToContract().Value!.ToByteArray();
            envelopes[r] = EnvelopeMapping.ToBytes(EnvelopeSigner.Sign(PayloadTypes.ResultProtocol, payload, signingKey, signing));
        }

        return new CachedStation(code, tls.RawData, tlsKey.ExportPkcs8PrivateKey(), envelopes);
    }

    private static void Issue(ElectionCa ca, CertificateProfile profile, CallerIdentity identity, string certificatePath, string keyPath, string[]? dns, IPAddress[]? ips)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var issued = ca.Issue(new PublicKey(key), profile, identity, dns, ips);
        using var certificate = issued.Value ?? throw new InvalidOperationException($"{issued.ReasonCode}: {issued.Detail}");
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        if (OperatingSystem.IsWindows())
        {
            File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        }
        else
        {
            using var stream = new FileStream(keyPath, new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite });
            using var text = new StreamWriter(stream);
            text.Write(key.ExportPkcs8PrivateKeyPem());
        }
    }

    private static void Write(BinaryWriter writer, CachedStation station)
    {
        writer.Write(station.Code);
        WriteBytes(writer, station.TlsCertificate);
        WriteBytes(writer, station.TlsKey);
        writer.Write(station.Envelopes.Count);
        foreach (var envelope in station.Envelopes)
        {
            WriteBytes(writer, envelope);
        }
    }

    private static void WriteBytes(BinaryWriter writer, byte[] bytes)
    {
        writer.Write(bytes.Length);
        writer.Write(bytes);
    }

    /// <summary>Reads the stations in order, streaming (500,000 stations need not sit in memory at once).</summary>
    public IEnumerable<CachedStation> ReadStations(int take)
    {
        using var file = new FileStream(StationsFile, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        using var reader = new BinaryReader(file);
        if (reader.ReadString() != Magic)
        {
            throw new InvalidDataException($"{StationsFile} is not a benchmark cache file");
        }

        var stations = reader.ReadInt32();
        _ = reader.ReadInt32();
        for (var i = 0; i < Math.Min(take, stations); i++)
        {
            var code = reader.ReadString();
            var certificate = ReadBytes(reader);
            var key = ReadBytes(reader);
            var envelopes = new byte[reader.ReadInt32()][];
            for (var r = 0; r < envelopes.Length; r++)
            {
                envelopes[r] = ReadBytes(reader);
            }

            yield return new CachedStation(code, certificate, key, envelopes);
        }
    }

    private static byte[] ReadBytes(BinaryReader reader) => reader.ReadBytes(reader.ReadInt32());

    public long SizeOnDisk => new FileInfo(StationsFile).Length;
}
