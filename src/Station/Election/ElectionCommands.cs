using System.CommandLine;
using System.Globalization;
using Transmission.Cli;
using Transmission.Cli.Localization;
using Transmission.Core.Election;
using Transmission.Station.Enrollment;
using Transmission.Station.Localization;

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
        var election = new Command("election", StationText.ElectionGroupDescription + " " + ExitCodes.HelpText);
        election.Subcommands.Add(Install());
        return election;
    }

    private static Command Install()
    {
        var directory = new Option<string>("--dir") { Description = StationText.OptDirFromKeysInit, Required = true };
        var definitionOption = new Option<string>("--definition") { Description = StationText.OptDefinition, Required = true };
        var replace = new Option<bool>("--replace") { Description = StationText.OptReplace };
        var command = new Command(
            "install",
            StationText.ElectionInstallDescription + " " + ExitCodes.HelpText)
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
            var bytes = InstalledElection.ReadBytes(source, StationText.WhatElectionDefinition);
            var parsed = ElectionDefinition.Parse(bytes);
            if (!parsed.IsSuccess)
            {
                foreach (var error in parsed.Errors)
                {
                    console.WriteLine(Localized.Format(StationText.DefinitionProblem, CodeText.Explain(CodeText.Definition, error.ReasonCode, error.Message), error.Path, error.ReasonCode));
                }

                throw new CommandFailureException(ExitCodes.BadInput, Localized.Format(StationText.DefinitionInvalid, source, parsed.Errors.Count));
            }

            var definition = parsed.Definition;
            console.WriteLine(InstalledElection.Banner(definition));
            if (!definition.TryGetStation(identity.Id, out var station))
            {
                throw new CommandFailureException(ExitCodes.Refused, Localized.Format(StationText.DefinitionNotForStation, definition.ElectionId, identity.Id));
            }

            var target = InstalledElection.PathIn(folder.Path);
            string outcome;
            if (File.Exists(target))
            {
                var installed = InstalledElection.ReadBytes(target, StationText.WhatInstalledDefinition);
                if (installed.AsSpan().SequenceEqual(bytes))
                {
                    outcome = StationText.OutcomeAlreadyInstalled;
                }
                else if (!pr.GetValue(replace))
                {
                    var other = ElectionDefinition.Parse(installed);
                    throw new CommandFailureException(
                        ExitCodes.WouldOverwrite,
                        Localized.Format(StationText.DefinitionOther, target, other.Sha256Hex));
                }
                else
                {
                    InstalledElection.WriteAtomically(target, bytes);
                    outcome = StationText.OutcomeReplaced;
                }
            }
            else
            {
                InstalledElection.WriteAtomically(target, bytes);
                outcome = StationText.OutcomeInstalled;
            }

            // Names as the definition gives them, in the chosen language when it has one (LocalizedName's fallback).
            var language = CultureInfo.CurrentUICulture;
            var municipality = definition.TryGetMunicipality(station.MunicipalityCode, out var m) ? $"{m.Code} {m.Name.Get(language)}" : station.MunicipalityCode;
            console.WriteLine(Localized.Format(StationText.InstallElection, definition.ElectionId, definition.Name.Get(language), outcome));
            console.WriteLine(Localized.Format(StationText.InstallMode, definition.Mode.ToJsonName()));
            console.WriteLine(Localized.Format(StationText.InstallSha, definition.Sha256Hex));
            console.WriteLine(Localized.Format(StationText.InstallStation, station.Code));
            console.WriteLine(Localized.Format(StationText.InstallCentre, station.PollingCentre.Get(language)));
            console.WriteLine(Localized.Format(StationText.InstallMunicipality, municipality));
            console.WriteLine(Localized.Format(StationText.InstallRegistered, station.RegisteredVoters));
            StationLog.Record(folder.Path, "Election {ElectionId} ({Mode}) definition sha256 {DefinitionSha256}: {Outcome}", definition.ElectionId, definition.Mode.ToJsonName(), definition.Sha256Hex, outcome);
            return ExitCodes.Ok;
        });
        return command;
    }
}
