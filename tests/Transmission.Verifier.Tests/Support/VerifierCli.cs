using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Transmission.Testing;

namespace Transmission.Verifier.Tests.Support;

internal sealed record CliResult(int ExitCode, string Output, string Error)
{
    public string[] ErrorLines => Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public override string ToString() => $"exit {ExitCode}\nstdout: {Output}\nstderr: {Error}";
}

/// <summary>Runs transmission-verifier's own command tree in-process (Program.InvokeAsync), with captured writers and environment.</summary>
internal static class VerifierCli
{
    public static Task<CliResult> Run(params string[] args) => RunWith(_ => null, args);

    public static async Task<CliResult> RunWith(Func<string, string?> environment, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await Program.InvokeAsync(Program.CreateRootCommand(environment), args, new InvocationConfiguration { Output = output, Error = error }).DefaultTimeout();
        return new CliResult(code, output.ToString(), error.ToString());
    }

    /// <summary>A port nothing listens on (bound and released).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>
/// A verifier folder shaped like certs-dev/out/verifier-1 (tls.cert.pem, tls.key.pem, ca.cert.pem) with a
/// self-signed certificate: enough for the CLI to open a channel; no Central here ever accepts it.
/// </summary>
internal sealed class TestIdentity : IDisposable
{
    public TestIdentity()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("transmission-verifier-").FullName;
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=verifier-test", key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        File.WriteAllText(PathOf("tls.cert.pem"), certificate.ExportCertificatePem() + "\n");
        Transmission.Cli.KeyFiles.WriteNew(PathOf("tls.key.pem"), key.ExportPkcs8PrivateKeyPem(), secret: true);
        File.WriteAllText(PathOf("ca.cert.pem"), certificate.ExportCertificatePem() + "\n");
    }

    public string Directory { get; }

    public string PathOf(string name) => Path.Combine(Directory, name);

    /// <summary>--central (nothing listening) and --identity, for commands that must fail before or at the connection.</summary>
    public string[] Args(params string[] command) =>
        [.. command, "--central", $"https://localhost:{VerifierCli.FreePort()}", "--identity", Directory, "--timeout", "10"];

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
