using System.Globalization;
using FsCheck;
using Microsoft.FSharp.Core;

namespace Transmission.Testing.Properties;

/// <summary>
/// How many cases a property test runs and from which seed. CI runs a fixed seed and a modest count, so a failure
/// is reproducible from the log; the long run (<c>TRANSMISSION_PROPERTY_RUNS=1000000</c>, optionally with
/// <c>TRANSMISSION_PROPERTY_SEED</c>) is a documented command outside CI (docs/reliability.md).
/// </summary>
internal static class PropertyRuns
{
    /// <summary>Environment variable that overrides every property's number of cases.</summary>
    public const string RunsVariable = "TRANSMISSION_PROPERTY_RUNS";

    /// <summary>Environment variable that overrides the seed (a decimal 64-bit number).</summary>
    public const string SeedVariable = "TRANSMISSION_PROPERTY_SEED";

    /// <summary>The seed CI uses, so a red run replays exactly.</summary>
    public const ulong DefaultSeed = 20261122;

    /// <summary>A configuration that throws on the first failing case (with its shrunk input) after <paramref name="ciRuns"/> cases by default.</summary>
    public static Config Config(int ciRuns)
    {
        var runs = ReadRuns() ?? ciRuns;
        var seed = ReadSeed() ?? DefaultSeed;
        // The gamma must be odd for SplitMix; a fixed one keeps (seed, gamma) a plain replay of the seed.
        var replay = new Replay(new Rnd(seed, 0x9E3779B97F4A7C15UL), FSharpOption<int>.None);
        return FsCheck.Config.QuickThrowOnFailure
            .WithMaxTest(runs)
            .WithQuietOnSuccess(true)
            .WithReplay(FSharpOption<Replay>.Some(replay));
    }

    private static int? ReadRuns()
    {
        var text = Environment.GetEnvironmentVariable(RunsVariable);
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var runs) && runs > 0
            ? runs
            : throw new InvalidOperationException($"{RunsVariable}='{text}' is not a positive whole number.");
    }

    private static ulong? ReadSeed()
    {
        var text = Environment.GetEnvironmentVariable(SeedVariable);
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seed)
            ? seed
            : throw new InvalidOperationException($"{SeedVariable}='{text}' is not a whole number.");
    }
}
