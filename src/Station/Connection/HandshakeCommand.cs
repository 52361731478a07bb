using System.CommandLine;
using Transmission.Contracts.V1;
using Serilog.Extensions.Logging;
using Transmission.Grpc;
using Transmission.Station.Enrollment;
using Transmission.Cli;
using Transmission.Cli.Localization;
using Transmission.Station.Localization;

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
            Description = StationText.HandshakeOptDir,
            Required = true,
        };
        var central = new Option<string>("--central")
        {
            Description = StationText.OptCentral,
            Required = true,
        };
        var timeout = new Option<double>("--timeout")
        {
            Description = StationText.HandshakeOptTimeout,
            DefaultValueFactory = _ => 15,
        };
        var command = new Command("handshake", StationText.HandshakeDescription + "\n" + ExitCodes.HelpText)
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
            await error.WriteLineAsync(CommandActions.ErrorLine(Localized.Format(StationText.CentralNotHttps, centralText)));
            return ExitCodes.BadInput;
        }

        if (timeout <= TimeSpan.Zero)
        {
            await error.WriteLineAsync(CommandActions.ErrorLine(StationText.HandshakeTimeoutInvalid));
            return ExitCodes.BadInput;
        }

        var folder = new StationKeyFolder(dir.FullName);
        if (!Directory.Exists(folder.Path))
        {
            await error.WriteLineAsync(CommandActions.ErrorLine(Localized.Format(StationText.HandshakeNoFolder, folder.Path)));
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
            await error.WriteLineAsync(CommandActions.ErrorLine(ex.Message));
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
                await output.WriteLineAsync(Localized.Format(StationText.HandshakeConnected, central, reply.CallerUri));
                await output.WriteLineAsync(Localized.Format(StationText.HandshakeCentralTime, reply.ServerTime.ToDateTimeOffset(), reply.ServerVersion));
                return ExitCodes.Ok;
            }
            catch (RpcException ex)
            {
                log.Warning("Handshake with {Central} failed: {StatusCode} {Detail}", central, ex.StatusCode, ex.Status.Detail);
                await error.WriteLineAsync(CommandActions.ErrorLine(Localized.Format(StationText.CentralAnswered, ex.StatusCode, ex.Status.Detail)));
                return StationConnection.ExitCodeFor(ex.StatusCode);
            }
        }
    }
}
