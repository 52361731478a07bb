using System.CommandLine;
using Transmission.Contracts.V1;
using Serilog.Extensions.Logging;
using Transmission.Grpc;
using Transmission.Station.Enrollment;
using Transmission.Cli;

namespace Transmission.Station.Connection;

/// <summary>
/// <c>handshake</c>: connects to Central over mutual TLS with the station's TLS key and
/// reports who Central sees, so the chair knows the link works before election night.
/// </summary>
internal static class HandshakeCommand
{
    public static Command Create()
    {
        var dir = new Option<DirectoryInfo>("--dir")
        {
            Description = "The station's key folder (from 'keys init' and 'keys install').",
            Required = true,
        };
        var central = new Option<string>("--central")
        {
            Description = "Central's address, e.g. https://localhost:7443.",
            Required = true,
        };
        var timeout = new Option<double>("--timeout")
        {
            Description = "Seconds to wait for Central.",
            DefaultValueFactory = _ => 15,
        };
        var command = new Command("handshake", "Check the connection to Central and show the identity Central sees.\n" + ExitCodes.HelpText)
        {
            dir,
            central,
            timeout,
        };
        command.SetAction((parse, cancellationToken) =>
            RunAsync(parse, parse.GetValue(dir)!, parse.GetValue(central)!, TimeSpan.FromSeconds(parse.GetValue(timeout)), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, DirectoryInfo dir, string centralText, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var output = parse.InvocationConfiguration.Output;
        var error = parse.InvocationConfiguration.Error;
        if (!Uri.TryCreate(centralText, UriKind.Absolute, out var central) || central.Scheme != Uri.UriSchemeHttps)
        {
            await error.WriteLineAsync($"error: --central must be an https:// address such as https://localhost:7443, not '{centralText}'");
            return ExitCodes.BadInput;
        }

        if (timeout <= TimeSpan.Zero)
        {
            await error.WriteLineAsync("error: --timeout must be a positive number of seconds");
            return ExitCodes.BadInput;
        }

        var folder = new StationKeyFolder(dir.FullName);
        if (!Directory.Exists(folder.Path))
        {
            await error.WriteLineAsync($"error: station folder {folder.Path} does not exist (run 'keys init')");
            return ExitCodes.BadInput;
        }

        await using var log = StationLog.Create(folder.Path, parse.GetValue(StationLog.Verbose));
        using var loggerFactory = new SerilogLoggerFactory(log);
        StationConnection connection;
        try
        {
            connection = StationConnection.Open(folder, central, loggerFactory);
        }
        catch (CommandFailureException ex)
        {
            log.Warning("Handshake not attempted: {Reason}", ex.Message);
            await error.WriteLineAsync("error: " + ex.Message);
            return ex.ExitCode;
        }

        using (connection)
        {
            try
            {
                var reply = await connection.Channel.AsyncUnaryCall(
                    TransmissionMethods.Handshake,
                    new HandshakeRequest(),
                    new CallOptions(Deadline: DateTime.UtcNow + timeout, CancellationToken: cancellationToken));
                log.Information("Handshake with {Central} succeeded; Central sees {CallerUri}, version {ServerVersion}", central, reply.CallerUri, reply.ServerVersion);
                await output.WriteLineAsync($"Connected to Central at {central} as {reply.CallerUri}");
                await output.WriteLineAsync($"Central time: {reply.ServerTime.ToDateTimeOffset():u}  version: {reply.ServerVersion}");
                return ExitCodes.Ok;
            }
            catch (RpcException ex)
            {
                log.Warning("Handshake with {Central} failed: {StatusCode} {Detail}", central, ex.StatusCode, ex.Status.Detail);
                await error.WriteLineAsync($"error: Central answered {ex.StatusCode}: {ex.Status.Detail}");
                return StationConnection.ExitCodeFor(ex.StatusCode);
            }
        }
    }
}
