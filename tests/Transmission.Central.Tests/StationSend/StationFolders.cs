using System.Text.Json.Nodes;
using Transmission.Central.Tests.Hosting;
using Transmission.Central.Tests.Pki;
using Transmission.Core.Election;
using Transmission.Core.Protocol;

namespace Transmission.Central.Tests.StationSend;

/// <summary>Prepares a station folder of a <see cref="DevelopmentPki"/> for the station CLI: election installed, a filled form.</summary>
internal static class StationFolders
{
    /// <summary>Installs the election Central serves into the station's folder with the built CLI.</summary>
    public static async Task<string> ReadyAsync(RunningCentral central, string code)
    {
        var dir = central.Pki.StationDir(code);
        var install = await BuiltExecutable.Station("election", "install", "--dir", dir, "--definition", central.Pki.ElectionPath);
        Assert.True(install.ExitCode == 0, install.ToString());
        return dir;
    }

    /// <summary>A copy of a station folder (keys, certificates, election, outbox) elsewhere: a restored backup of the device.</summary>
    public static string Copy(string source)
    {
        var target = Directory.CreateTempSubdirectory("station-copy-").FullName;
        foreach (var file in Directory.GetFiles(source))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }

        return target;
    }

    /// <summary>
    /// Two devices of one station (<paramref name="dir"/> and its <see cref="Copy"/> <paramref name="copy"/>) each sign
    /// a different revision 1 with the built CLI: Central will keep whichever arrives first and refuse the other.
    /// </summary>
    public static async Task SignConflictingRevisionOnesAsync(RunningCentral central, string code, string dir, string copy)
    {
        var a = await BuiltExecutable.Station("protocol", "sign", "--dir", dir, "--file", FilledForm(central.Pki.Election, code, seed: 1));
        var b = await BuiltExecutable.Station("protocol", "sign", "--dir", copy, "--file", FilledForm(central.Pki.Election, code, seed: 2));
        Assert.True(a.ExitCode == 0 && b.ExitCode == 0, a + "\n" + b);
    }

    /// <summary>Writes this station's form filled with a valid sample protocol (Core's SampleProtocols), then <paramref name="change"/>.</summary>
    /// <remarks>The form goes into <paramref name="folder"/> when given, otherwise into a new temp folder.</remarks>
    public static string FilledForm(ElectionDefinition definition, string code, long seed = 11, Action<JsonObject>? change = null, string? folder = null)
    {
        var form = JsonNode.Parse(ProtocolTemplate.Create(definition, code))!.AsObject();
        var sample = SampleProtocols.Create(definition, code, seed);
        var ballots = form["ballots"]!.AsObject();
        ballots["received"] = sample.Ballots.Received;
        ballots["used"] = sample.Ballots.Used;
        ballots["unused"] = sample.Ballots.Unused;
        ballots["spoiled"] = sample.Ballots.Spoiled;
        ballots["invalid"] = sample.Ballots.Invalid;
        ballots["valid"] = sample.Ballots.Valid;
        foreach (var contest in form["contests"]!.AsArray())
        {
            var votes = sample.Contests.Single(c => c.ContestId == (string)contest!["id"]!).Choices.ToDictionary(c => c.ChoiceId, c => c.Votes);
            foreach (var choice in contest!["choices"]!.AsArray())
            {
                choice!["votes"] = votes[(string)choice["id"]!];
            }
        }

        change?.Invoke(form);
        var path = Path.Combine(folder ?? Directory.CreateTempSubdirectory("station-form-").FullName, $"{code}-form.json");
        File.WriteAllText(path, form.ToJsonString());
        return path;
    }

    public static string[] Lines(this CliResult result) =>
        result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
