using System.Diagnostics;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Transmission.LoadDriver;

/// <summary>The two ceilings measured in every run on this machine: raw ECDSA verification and mTLS handshakes.</summary>
internal static class MachineRates
{
    /// <summary>The 1, 5 and 15 minute load averages (/proc/loadavg), as "a b c".</summary>
    public static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    /// <summary>
    /// ECDSA P-256 SHA-256 verifications per second on <paramref name="threads"/> threads, each with its own cached
    /// public key, over a 1,536-byte message (IEEE P1363 signature, as envelopes carry).
    /// </summary>
    public static double RawVerifyRate(int threads, TimeSpan duration)
    {
        var counts = new long[threads];
        var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            using var publicKey = ECDsa.Create(key.ExportParameters(includePrivateParameters: false));
            var message = RandomNumberGenerator.GetBytes(1536);
            var signature = key.SignData(message, HashAlgorithmName.SHA256);
            // Warm-up, not counted.
            for (var i = 0; i < 200; i++)
            {
                publicKey.VerifyData(message, signature, HashAlgorithmName.SHA256);
            }

            var watch = Stopwatch.StartNew();
            long n = 0;
            while (watch.Elapsed < duration)
            {
                if (!publicKey.VerifyData(message, signature, HashAlgorithmName.SHA256))
                {
                    throw new InvalidOperationException("a valid signature did not verify");
                }

                n++;
            }

            counts[t] = n;
        })).ToList();
        workers.ForEach(w => w.Start());
        workers.ForEach(w => w.Join());
        return counts.Sum() / duration.TotalSeconds;
    }

    /// <summary>
    /// New mutual-TLS connections per second against Central: TCP connect, TLS handshake with a station's client
    /// certificate (ALPN h2, Central's certificate checked against the root), close; <paramref name="concurrency"/>
    /// at a time, cycling through <paramref name="identities"/>.
    /// </summary>
    public static async Task<(double PerSecond, long Failures)> HandshakeRateAsync(
        Uri central, X509Certificate2 root, IReadOnlyList<X509Certificate2> identities, int concurrency, TimeSpan duration)
    {
        var policy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            DisableCertificateDownloads = true,
            RevocationMode = X509RevocationMode.NoCheck,
        };
        policy.CustomTrustStore.Add(root);
        var contexts = identities.Select(c => SslStreamCertificateContext.Create(c, additionalCertificates: null, offline: true)).ToArray();
        long done = 0;
        long failures = 0;
        long next = 0;
        var watch = Stopwatch.StartNew();
        var loops = Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (watch.Elapsed < duration)
            {
                var i = (int)(Interlocked.Increment(ref next) % contexts.Length);
                try
                {
                    using var tcp = new TcpClient();
                    await tcp.ConnectAsync(central.Host, central.Port);
                    await using var tls = new SslStream(tcp.GetStream());
                    await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
                    {
                        TargetHost = central.Host,
                        ApplicationProtocols = [SslApplicationProtocol.Http2],
                        ClientCertificateContext = contexts[i],
                        CertificateChainPolicy = policy,
                    });
                    Interlocked.Increment(ref done);
                }
                catch (Exception e) when (e is IOException or SocketException or AuthenticationException)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        }).ToList();
        await Task.WhenAll(loops);
        return (done / watch.Elapsed.TotalSeconds, failures);
    }
}
