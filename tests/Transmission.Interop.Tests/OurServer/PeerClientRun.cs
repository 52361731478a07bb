using System.Globalization;
using Transmission.Interop.Tests.Support;
using Transmission.Testing;

namespace Transmission.Interop.Tests.OurServer;

/// <summary>An independent gRPC client implementation run as a child process.</summary>
public enum PeerClient
{
    /// <summary>tests/interop/python/interop_client.py on Debian's python3-grpcio.</summary>
    Python,

    /// <summary>tests/interop/node/interop_client.js on @grpc/grpc-js.</summary>
    Node,
}

/// <summary>Starts OUR server with a fresh PKI and runs one case of a peer client against it.</summary>
internal static class PeerClientRun
{
    public static async Task RunAsync(PeerClient peer, string testCase)
    {
        // A fresh CA per test: no test depends on another's keys.
        using var certificates = new TestCertificates("Transmission Interop Test CA");
        await using var server = await OurInteropServer.StartAsync(certificates);
        using var pemDirectory = new TempDirectory();
        var pem = certificates.WritePemFiles(pemDirectory.Path);
        string[] common =
        [
            "--host", "127.0.0.1", "--port", server.Port.ToString(CultureInfo.InvariantCulture),
            "--ca", pem.Ca, "--cert", pem.ClientCertificate, "--key", pem.ClientKey,
            "--server-host-override", "localhost", "--case", testCase,
        ];
        var run = peer switch
        {
            PeerClient.Python => PeerProcess.RunAsync(
                await InteropEnvironment.GetPythonAsync(),
                [
                    Path.Combine(InteropEnvironment.PythonDirectory, "interop_client.py"), .. common,
                    "--generated-dir", await InteropEnvironment.GetGeneratedMessagesDirectoryAsync(),
                ],
                InteropEnvironment.PythonDirectory,
                InteropEnvironment.PeerRunLimit),
            PeerClient.Node => PeerProcess.RunAsync(
                await InteropEnvironment.GetNodeAsync(),
                [
                    Path.Combine(InteropEnvironment.NodeDirectory, "interop_client.js"), .. common,
                    "--proto-dir", InteropEnvironment.ProtoDirectory,
                ],
                InteropEnvironment.NodeDirectory,
                InteropEnvironment.PeerRunLimit),
            _ => throw new ArgumentOutOfRangeException(nameof(peer), peer, null),
        };
        var result = await run.WaitAsync(InteropEnvironment.PeerRunLimit + TimeSpan.FromSeconds(15));

        var lines = result.StandardOutput.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var passed = !result.TimedOut && result.ExitCode == 0 && lines.Contains($"PASS {testCase}");
        Assert.True(
            passed,
            $"{peer} client, case {testCase}: expected `PASS {testCase}` and exit code 0.{Environment.NewLine}" +
            $"{result.Describe()}--- our server log ---{Environment.NewLine}{server.Describe()}");
        server.Logs.AssertNoUnexpectedErrors();
    }
}
