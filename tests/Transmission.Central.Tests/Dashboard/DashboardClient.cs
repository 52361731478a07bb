using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Transmission.Cli;
using Transmission.Testing;

namespace Transmission.Central.Tests.Dashboard;

/// <summary>HTTP clients for the dashboard that present an election certificate, as a browser would but without one.</summary>
internal static class DashboardClient
{
    /// <summary>
    /// A client presenting the TLS certificate in <paramref name="folder"/>, trusting only the election root, speaking
    /// exactly <paramref name="version"/> (HTTP/2 unless told), keeping cookies (the antiforgery cookie), not following
    /// redirects (so a test sees the 303 after a decision).
    /// </summary>
    public static HttpClient Create(string folder, Version? version = null)
    {
        var certificate = KeyFiles.LoadTlsCertificate(Path.Combine(folder, "tls.cert.pem"), Path.Combine(folder, "tls.key.pem"));
        var root = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(folder, "ca.cert.pem"));
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = true,
            CookieContainer = new CookieContainer(),
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, serverCertificate, _, _) =>
                {
                    using var chain = new X509Chain();
                    chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                    chain.ChainPolicy.CustomTrustStore.Add(root);
                    chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                    return serverCertificate is X509Certificate2 server && chain.Build(server);
                },
                LocalCertificateSelectionCallback = (_, _, _, _, _) => certificate,
                ClientCertificates = [certificate],
            },
        };
        return new HttpClient(handler)
        {
            DefaultRequestVersion = version ?? HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Timeout = TestTimeouts.Default,
        };
    }
}
