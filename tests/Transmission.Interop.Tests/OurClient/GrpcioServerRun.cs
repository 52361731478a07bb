using Microsoft.Extensions.Logging;
using Transmission.Grpc;
using Transmission.Interop.Tests.Support;
using Transmission.Testing;

namespace Transmission.Interop.Tests.OurClient;

/// <summary>Starts the grpcio server with a fresh PKI and runs one case with OUR client against it.</summary>
internal static class GrpcioServerRun
{
    public static async Task RunAsync(string testCase)
    {
        // A fresh CA per test: no test depends on another's keys.
        using var certificates = new TestCertificates("Transmission Interop Test CA");
        await using var server = await GrpcioServer.StartAsync(certificates);
        var clientLogs = new TestLogSink();
        using var loggerFactory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Debug).AddProvider(clientLogs));
        var options = new GrpcChannelOptions
        {
            ClientCertificate = certificates.ClientCertificate,
            TrustedRoots = certificates.TrustedRoots,
            LoggerFactory = loggerFactory,
        };
        using (var channel = GrpcChannel.ForAddress(new Uri($"https://127.0.0.1:{server.Port}"), options))
        {
            try
            {
                await new InteropClient(channel, TimeProvider.System).RunAsync(testCase).DefaultTimeout();
            }
            catch (Exception e)
            {
                // Show what both sides said; the first failure stays as the inner exception.
                throw new InteropCaseFailedException(
                    $"{testCase} against grpcio failed: {e.Message}{Environment.NewLine}" +
                    $"{server.Describe()}--- our client log ---{Environment.NewLine}{InteropLog.Describe(clientLogs)}",
                    e);
            }
        }

        clientLogs.AssertNoUnexpectedErrors();
    }
}
