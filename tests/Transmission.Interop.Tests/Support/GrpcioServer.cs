using System.Globalization;
using Transmission.Testing;

namespace Transmission.Interop.Tests.Support;

/// <summary>
/// tests/interop/python/interop_server.py (Python grpcio) running on 127.0.0.1 with
/// mutual TLS, for driving OUR client. Stopped (stdin closed, then killed) on dispose.
/// </summary>
internal sealed class GrpcioServer : IAsyncDisposable
{
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(30);
    private readonly PeerProcess _process;
    private readonly TempDirectory _pemDirectory;

    private GrpcioServer(PeerProcess process, TempDirectory pemDirectory, int port)
    {
        _process = process;
        _pemDirectory = pemDirectory;
        Port = port;
    }

    public int Port { get; }

    /// <summary>What the server printed so far, for assertion messages.</summary>
    public string Describe() => _process.Snapshot(timedOut: false).Describe();

    /// <summary>Starts the server with <paramref name="certificates"/>' server leaf, trusting its CA for client certificates.</summary>
    public static async Task<GrpcioServer> StartAsync(TestCertificates certificates)
    {
        ArgumentNullException.ThrowIfNull(certificates);
        var python = await InteropEnvironment.GetPythonAsync();
        var generated = await InteropEnvironment.GetGeneratedMessagesDirectoryAsync();
        var pemDirectory = new TempDirectory();
        PeerProcess? process = null;
        try
        {
            var pem = certificates.WritePemFiles(pemDirectory.Path);
            process = PeerProcess.Start(
                python,
                [
                    Path.Combine(InteropEnvironment.PythonDirectory, "interop_server.py"),
                    "--host", "127.0.0.1", "--port", "0",
                    "--ca", pem.Ca, "--cert", pem.ServerCertificate, "--key", pem.ServerKey,
                    "--generated-dir", generated, "--exit-on-stdin-eof",
                ],
                InteropEnvironment.PythonDirectory);
            var line = await process.WaitForLineAsync(l => l.StartsWith("PORT ", StringComparison.Ordinal), StartLimit);
            var port = int.Parse(line.AsSpan("PORT ".Length), NumberStyles.None, CultureInfo.InvariantCulture);
            return new GrpcioServer(process, pemDirectory, port);
        }
        catch
        {
            if (process is not null)
            {
                await process.DisposeAsync();
            }

            pemDirectory.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _process.StopAsync(TimeSpan.FromSeconds(10));
        await _process.DisposeAsync();
        _pemDirectory.Dispose();
    }
}
