using System.CommandLine;
using Transmission.Cli;

namespace Transmission.Night;

/// <summary>Entry point of <c>transmission-night</c>.</summary>
public static class Program
{
    /// <summary>Runs one election night against a running Central.</summary>
    public static Task<int> Main(string[] args)
    {
        var pki = new Option<DirectoryInfo>("--pki") { Description = "The development PKI (certs-dev/out).", Required = true };
        var central = new Option<string>("--central") { Description = "Central's https:// address.", Required = true };
        var stations = new Option<int>("--stations") { Description = "How many stations take part (at least 6).", DefaultValueFactory = _ => 200 };
        var parallel = new Option<int>("--parallel") { Description = "Station processes at once.", DefaultValueFactory = _ => 8 };
        var work = new Option<DirectoryInfo>("--work") { Description = "Folder for this night's station folders.", Required = true };
        var separate = new Option<int>("--separate-processes") { Description = "How many stations run each command as its own transmission-station process; the rest run the same commands in-process.", DefaultValueFactory = _ => 20 };
        var root = new RootCommand("Runs an election night with the real station CLI against a running Central.") { pki, central, stations, parallel, work, separate };
        root.SetAction(async (parse, ct) =>
        {
            if (!Uri.TryCreate(parse.GetValue(central), UriKind.Absolute, out var address) || address.Scheme != Uri.UriSchemeHttps)
            {
                await Console.Error.WriteLineAsync("error: --central must be an https:// address");
                return 1;
            }

            var options = new NightOptions(parse.GetValue(pki)!.FullName, address, parse.GetValue(stations), Math.Max(1, parse.GetValue(parallel)), parse.GetValue(work)!.FullName, Math.Max(0, parse.GetValue(separate)));
            return await new NightRun(options, Console.Out).RunAsync(ct);
        });
        return CommandInvocation.InvokeAsync(root, args, new InvocationConfiguration());
    }
}
