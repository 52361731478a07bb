using System.Security.Cryptography;
using Transmission.Central.Tests.Hosting;
using Transmission.Central.Tests.StationSend;
using Transmission.Station.Outbox;
using Transmission.Station.Sending;
using Transmission.Testing;

namespace Transmission.Central.Tests.Faults;

/// <summary>Stations of a <see cref="DevelopmentPki"/> run in this process through the station's own commands and sender.</summary>
internal static class FaultStations
{
    /// <summary>
    /// The station's sender options for fault tests: its own backoff policy with delays short enough for a test (0.25 s
    /// doubling to 3 s), and a maximum wait (20 minutes) longer than any fault a test injects, so a station never gives up
    /// during one.
    /// </summary>
    public static StationSenderOptions SenderOptions => new()
    {
        MaxWait = TimeSpan.FromMinutes(20),
        CallTimeout = TimeSpan.FromSeconds(30),
        Retry = new RetryOptions { BaseDelay = TimeSpan.FromMilliseconds(250), MaxDelay = TimeSpan.FromSeconds(3) },
    };

    /// <summary>Installs the election and signs revision 1 (with a random scan of <paramref name="scanBytes"/> bytes when above zero) into the station's outbox.</summary>
    public static async Task SignAsync(DevelopmentPki pki, string code, int scanBytes = 0, byte[]? scan = null)
    {
        var dir = pki.StationDir(code);
        await CommandAsync("election", "install", "--dir", dir, "--definition", pki.ElectionPath);
        var form = StationFolders.FilledForm(pki.Election, code, folder: dir);
        scan ??= scanBytes > 0 ? RandomNumberGenerator.GetBytes(scanBytes) : null;
        if (scan is null)
        {
            await CommandAsync("protocol", "sign", "--dir", dir, "--file", form);
            return;
        }

        var file = Path.Combine(dir, "form-scan.pdf");
        await File.WriteAllBytesAsync(file, scan);
        await CommandAsync("protocol", "sign", "--dir", dir, "--file", form, "--attach", file);
    }

    /// <summary>Runs a station command in this process, through the same command tree as the built CLI; it must succeed.</summary>
    public static async Task CommandAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await Station.Program.CreateRootCommand(TimeProvider.System).Parse(args)
            .InvokeAsync(new System.CommandLine.InvocationConfiguration { Output = stdout, Error = stderr }).DefaultTimeout();
        Assert.True(code == 0, $"{string.Join(' ', args)}: exit {code}\n{stdout}\n{stderr}");
    }

    /// <summary>Opens the station's own sender (outbox, mutual-TLS channel, receipt checks) for its folder.</summary>
    public static StationSender Sender(DevelopmentPki pki, string code, Uri central, int seed = 1) =>
        StationSender.Open(pki.StationDir(code), central, SenderOptions, TimeProvider.System, new Random(seed), null);
}
