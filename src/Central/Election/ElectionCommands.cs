using System.CommandLine;
using Transmission.Cli;
using Transmission.Core.Election;

namespace Transmission.Central.Election;

/// <summary>The <c>election</c> command group: election definition files for rehearsals and development.</summary>
public static class ElectionCommands
{
    /// <summary>Creates the <c>election</c> command.</summary>
    public static Command Create()
    {
        var election = new Command("election", "Election definition files. " + ExitCodes.HelpText);
        election.Subcommands.Add(Generate());
        return election;
    }

    private static Command Generate()
    {
        var stationsFile = new Option<string>("--stations-file") { Description = "One station code per line (blank lines and lines starting with '#' are skipped); the definition has exactly these stations, in this order.", Required = true };
        var output = new Option<string>("--out") { Description = "Where to write the definition JSON.", Required = true };
        var seed = new Option<long>("--seed") { Description = "Seed for the invented names and numbers; the same seed and stations give the same bytes.", DefaultValueFactory = _ => 1 };
        var mode = new Option<string>("--mode") { Description = "test | live.", DefaultValueFactory = _ => "test" };
        var electionId = new Option<string?>("--election-id") { Description = "The election id. Defaults to ks-2025-assembly." };
        var force = new Option<bool>("--force") { Description = "Replace an existing file." };
        var nightOpens = new Option<string?>("--night-opens") { Description = "When the election night window opens (ISO 8601 with offset, e.g. 2026-11-21T00:00:00Z). Defaults to 2025-12-28T19:00:00+01:00." };
        var nightHours = new Option<int>("--night-hours") { Description = "How many hours the night window stays open.", DefaultValueFactory = _ => 12 };
        var command = new Command("generate", "Write a realistic, deterministic election definition (Kosovo-shaped: 38 municipalities, party and preference contests) for the given stations. " + ExitCodes.HelpText);
        foreach (var option in new Option[] { stationsFile, output, seed, mode, electionId, force, nightOpens, nightHours })
        {
            command.Options.Add(option);
        }

        command.SetGuardedAction((pr, console) =>
        {
            var codes = File.ReadAllLines(pr.GetValue(stationsFile)!)
                .Select(line => line.Trim())
                .Where(line => line.Length > 0 && !line.StartsWith('#'))
                .ToArray();
            var electionMode = pr.GetValue(mode) switch
            {
                "test" => ElectionMode.Test,
                "live" => ElectionMode.Live,
                var other => throw new CommandFailureException(ExitCodes.Usage, $"--mode '{other}' is not test or live"),
            };
            var defaults = new ElectionDefinitionGeneratorOptions();
            var opens = defaults.NightOpensAt;
            if (pr.GetValue(nightOpens) is { } text
                && !DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out opens))
            {
                throw new CommandFailureException(ExitCodes.Usage, $"--night-opens '{text}' is not an ISO 8601 time such as 2026-11-21T00:00:00Z");
            }

            if (pr.GetValue(nightHours) is < 1 or > 168)
            {
                throw new CommandFailureException(ExitCodes.Usage, $"--night-hours {pr.GetValue(nightHours)} must be between 1 and 168");
            }

            var options = new ElectionDefinitionGeneratorOptions
            {
                NightOpensAt = opens,
                NightDuration = TimeSpan.FromHours(pr.GetValue(nightHours)),
                Seed = pr.GetValue(seed),
                Mode = electionMode,
                StationCodes = codes,
                ElectionId = pr.GetValue(electionId) ?? defaults.ElectionId,
            };
            byte[] bytes;
            try
            {
                bytes = ElectionDefinitionGenerator.Generate(options);
            }
            catch (ArgumentOutOfRangeException e)
            {
                throw new CommandFailureException(ExitCodes.BadInput, e.Message.Split('\n')[0]);
            }

            var path = pr.GetValue(output)!;
            if (File.Exists(path) && !pr.GetValue(force))
            {
                throw new CommandFailureException(ExitCodes.WouldOverwrite, $"{path} already exists; use --force to replace it");
            }

            var parsed = ElectionDefinition.Parse(bytes);
            if (parsed.Definition is not { } definition)
            {
                throw new CommandFailureException(ExitCodes.Internal, $"the generated definition does not parse: {parsed}");
            }

            var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
            Directory.CreateDirectory(directory);
            var temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
            File.WriteAllBytes(temporary, bytes);
            File.Move(temporary, path, overwrite: true);
            console.WriteLine($"wrote {path}: {definition}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
