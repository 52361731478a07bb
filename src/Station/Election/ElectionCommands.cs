using System.CommandLine;
using Transmission.Cli;
using Transmission.Core.Election;
using Transmission.Station.Enrollment;

namespace Transmission.Station.Election;

/// <summary>
/// The <c>election</c> command group: <c>install</c> copies the election office's definition file into the station
/// folder after checking that it parses and lists this station.
/// </summary>
internal static class ElectionCommands
{
    /// <summary>Creates the <c>election</c> command.</summary>
    public static Command Create()
    {
        var election = new Command("election", "The election this station reports for: install. " + ExitCodes.HelpText);
        election.Subcommands.Add(Install());
        return election;
    }

    private static Command Install()
    {
        var directory = new Option<string>("--dir") { Description = "The station folder (from 'keys init').", Required = true };
        var definitionOption = new Option<string>("--definition") { Description = "The election definition file from the election office (JSON).", Required = true };
        var replace = new Option<bool>("--replace") { Description = "Replace an installed definition that differs from this one." };
        var command = new Command(
            "install",
            "Check the election definition (it must parse and list this station) and install it as <dir>/election.json. " +
            "Refuses to replace a different installed definition unless --replace. Exit 4 when the definition does not list this station. " +
            ExitCodes.HelpText)
        {
            directory,
            definitionOption,
            replace,
        };
        command.SetGuardedAction((pr, console) =>
        {
            var folder = new StationKeyFolder(pr.GetValue(directory)!);
            var identity = folder.ReadIdentity();
            var source = pr.GetValue(definitionOption)!;
            var bytes = InstalledElection.ReadBytes(source, "election definition");
            var parsed = ElectionDefinition.Parse(bytes);
            if (!parsed.IsSuccess)
            {
                foreach (var error in parsed.Errors)
                {
                    console.WriteLine($"problem: {error.Message} at {error.Path} [{error.ReasonCode}]");
                }

                throw new CommandFailureException(ExitCodes.BadInput, $"{source} is not a valid election definition ({parsed.Errors.Count} problem(s) listed above)");
            }

            var definition = parsed.Definition;
            console.WriteLine(InstalledElection.Banner(definition));
            if (!definition.TryGetStation(identity.Id, out var station))
            {
                throw new CommandFailureException(ExitCodes.Refused, $"election {definition.ElectionId} does not list station {identity.Id}; this definition is not for this station");
            }

            var target = InstalledElection.PathIn(folder.Path);
            string outcome;
            if (File.Exists(target))
            {
                var installed = InstalledElection.ReadBytes(target, "installed election definition");
                if (installed.AsSpan().SequenceEqual(bytes))
                {
                    outcome = "already installed";
                }
                else if (!pr.GetValue(replace))
                {
                    var other = ElectionDefinition.Parse(installed);
                    throw new CommandFailureException(
                        ExitCodes.WouldOverwrite,
                        $"{target} already holds another definition (sha256 {other.Sha256Hex}); give --replace to replace it");
                }
                else
                {
                    InstalledElection.WriteAtomically(target, bytes);
                    outcome = "installed, replacing the earlier definition";
                }
            }
            else
            {
                InstalledElection.WriteAtomically(target, bytes);
                outcome = "installed";
            }

            var municipality = definition.TryGetMunicipality(station.MunicipalityCode, out var m) ? $"{m.Code} {m.Name.Get("en")}" : station.MunicipalityCode;
            console.WriteLine($"election          {definition.ElectionId} {definition.Name.Get("en")} ({outcome})");
            console.WriteLine($"mode              {definition.Mode.ToJsonName()}");
            console.WriteLine($"sha256            {definition.Sha256Hex}");
            console.WriteLine($"station           {station.Code}");
            console.WriteLine($"polling centre    {station.PollingCentre.Get("en")}");
            console.WriteLine($"municipality      {municipality}");
            console.WriteLine($"registered voters {station.RegisteredVoters}");
            StationLog.Record(folder.Path, "Election {ElectionId} ({Mode}) definition sha256 {DefinitionSha256}: {Outcome}", definition.ElectionId, definition.Mode.ToJsonName(), definition.Sha256Hex, outcome);
            return ExitCodes.Ok;
        });
        return command;
    }
}
