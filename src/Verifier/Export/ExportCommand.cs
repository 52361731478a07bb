using System.CommandLine;
using System.Globalization;
using Transmission.Cli;
using Transmission.Contracts.V1;
using Transmission.Cli.Connection;
using Transmission.Cli.Localization;
using Transmission.Verifier.Localization;

namespace Transmission.Verifier.Export;

/// <summary><c>export</c>: open data (station results or totals, CSV or JSON) streamed from Central into a file.</summary>
internal static class ExportCommand
{
    private static readonly IReadOnlyDictionary<string, ExportKind> Kinds = new Dictionary<string, ExportKind>(StringComparer.Ordinal)
    {
        ["stations"] = ExportKind.Stations,
        ["totals"] = ExportKind.Totals,
    };

    private static readonly IReadOnlyDictionary<string, ExportFormat> Formats = new Dictionary<string, ExportFormat>(StringComparer.Ordinal)
    {
        ["csv"] = ExportFormat.Csv,
        ["json"] = ExportFormat.Json,
    };

    public static Command Create(ConnectionOptions connection)
    {
        var kind = new Argument<string>("what") { Description = VerifierText.ArgExportWhat };
        kind.CompletionSources.Add(Kinds.Keys.ToArray());
        kind.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<string>();
            if (!Kinds.ContainsKey(value ?? string.Empty))
            {
                result.AddError(Localized.Format(VerifierText.ExportWhatInvalid, value));
            }
        });
        var format = new Option<string>("--format") { Description = VerifierText.OptFormat, Required = true };
        format.CompletionSources.Add(Formats.Keys.ToArray());
        format.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<string>();
            if (!Formats.ContainsKey(value ?? string.Empty))
            {
                result.AddError(Localized.Format(VerifierText.FormatInvalid, value));
            }
        });
        var output = new Option<string>("--output") { Description = VerifierText.OptOutput, Required = true };
        var force = new Option<bool>("--force") { Description = VerifierText.OptForce };
        var command = new Command("export", VerifierText.ExportDescription + "\n" + ExitCodeHelp.Text)
        {
            kind,
            format,
            output,
            force,
        };
        command.SetGuardedAction(async (parse, stdout, cancellationToken) =>
        {
            var settings = connection.Read(parse);
            var path = Path.GetFullPath(parse.GetValue(output)!);
            var replace = parse.GetValue(force);
            ExportFile.RefuseExisting(path, replace);
            var request = new ExportRequest { Kind = Kinds[parse.GetValue(kind)!], Format = Formats[parse.GetValue(format)!] };
            using var central = CentralConnection.Open(settings, parse.InvocationConfiguration.Error);
            var suggested = string.Empty;
            var written = await ExportFile.WriteAsync(
                path,
                replace,
                write => central.ReadStreamAsync(
                    ReviewMethods.Export,
                    request,
                    bounded: true,
                    async chunk =>
                    {
                        if (suggested.Length == 0 && chunk.FileName.Length > 0)
                        {
                            suggested = chunk.FileName;
                        }

                        await write(chunk.Data.Memory);
                    },
                    cancellationToken),
                cancellationToken);
            var name = suggested.Length > 0 ? Localized.Format(VerifierText.CentralsName, suggested) : string.Empty;
            await stdout.WriteLineAsync(Localized.Format(VerifierText.Wrote, written.Path, written.Bytes, written.Sha256Hex, name));
            return ExitCodes.Ok;
        });
        return command;
    }
}
