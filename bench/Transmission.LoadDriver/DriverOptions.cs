using System.Globalization;

namespace Transmission.LoadDriver;

/// <summary>The load driver's command line (see <see cref="Usage"/>).</summary>
internal sealed record DriverOptions
{
    public const string Usage = """
        Usage: transmission-loaddriver [options]
          --mode night|streams|soak
                                   night: every station on its own mTLS connection (default);
                                   streams: long-lived station streams each sending many protocols;
                                   soak: a long night (stations join, send corrections, resend, leave; a verifier
                                   reviews) sampling Central's memory, handles and threads, judged flat or growing
          --stations N             stations in the election (night: default 2533; soak: default 200)
          --concurrency M          stations connecting at once (night: default 64; soak: default 16)
          --streams M              open station streams (streams mode; default 64)
          --per-stream K           protocols (revisions 1..K) per stream (streams mode; default 100)
          --minutes T              soak: how long (default 30; decimals allowed)
          --max-seconds S          night: release no new station after S seconds (those released finish); the
                                   report then says how many stations were reported within S (default: no cap)
          --rate R                 soak: protocols per second to aim for (default 10)
          --sample-seconds S       soak: seconds between samples of Central (default 15)
          --central-arg Key=Value  extra Central setting, e.g. Central:Storage:BatchSize=256 (repeatable)
          --no-receipt-check       do not verify receipts in the driver (default: verify each, as a station does)
          --name NAME              run name: artifacts/bench/NAME.json (default: mode-N-time)
          --repo DIR               repository root (default: found from the working directory)
          --central-dll PATH       Central to start (default: REPO/src/Central/bin/Release/net10.0/transmission-central.dll)
          --artifacts DIR          where bench/ and bench-cache/ go (default: REPO/artifacts)
        """;

    public string Mode { get; init; } = "night";

    public int Stations => StationsGiven ?? (Mode == "soak" ? 200 : 2533);

    public int? StationsGiven { get; init; }

    public int Concurrency => ConcurrencyGiven ?? (Mode == "soak" ? 16 : 64);

    public int? ConcurrencyGiven { get; init; }

    public double Minutes { get; init; } = 30;

    /// <summary>Night: no station is released after this many seconds; null for no cap.</summary>
    public int? MaxSeconds { get; init; }

    public double Rate { get; init; } = 10;

    public int SampleSeconds { get; init; } = 15;

    public int Streams { get; init; } = 64;

    public int PerStream { get; init; } = 100;

    public IReadOnlyList<string> CentralArgs { get; init; } = [];

    public bool VerifyReceipts { get; init; } = true;

    public string? Name { get; init; }

    public string? Repo { get; init; }

    public string? CentralDll { get; init; }

    public string? Artifacts { get; init; }

    /// <summary>Parses <paramref name="args"/>; on a problem returns null and one readable line in <paramref name="error"/>.</summary>
    public static DriverOptions? Parse(string[] args, out string? error)
    {
        var options = new DriverOptions();
        var centralArgs = new List<string>();
        error = null;
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            string Next()
            {
                if (i + 1 >= args.Length)
                {
                    throw new FormatException($"{arg} needs a value");
                }

                return args[++i];
            }

            int Positive()
            {
                var text = Next();
                return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
                    ? n
                    : throw new FormatException($"{arg} '{text}' is not a positive whole number");
            }

            double PositiveDecimal()
            {
                var text = Next();
                return double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n) && n > 0
                    ? n
                    : throw new FormatException($"{arg} '{text}' is not a positive number");
            }

            try
            {
                options = arg switch
                {
                    "--mode" => Next() is var m && m is "night" or "streams" or "soak" ? options with { Mode = m } : throw new FormatException("--mode must be night, streams or soak"),
                    "--stations" => options with { StationsGiven = Positive() },
                    "--concurrency" => options with { ConcurrencyGiven = Positive() },
                    "--minutes" => options with { Minutes = PositiveDecimal() },
                    "--max-seconds" => options with { MaxSeconds = Positive() },
                    "--rate" => options with { Rate = PositiveDecimal() },
                    "--sample-seconds" => options with { SampleSeconds = Positive() },
                    "--streams" => options with { Streams = Positive() },
                    "--per-stream" => options with { PerStream = Positive() },
                    "--no-receipt-check" => options with { VerifyReceipts = false },
                    "--name" => options with { Name = Next() },
                    "--repo" => options with { Repo = Next() },
                    "--central-dll" => options with { CentralDll = Next() },
                    "--artifacts" => options with { Artifacts = Next() },
                    "--central-arg" => AddCentralArg(options, centralArgs, Next()),
                    _ => throw new FormatException($"unknown option '{arg}' (see --help)"),
                };
            }
            catch (FormatException e)
            {
                error = e.Message;
                return null;
            }
        }

        return options with { CentralArgs = centralArgs };
    }

    private static DriverOptions AddCentralArg(DriverOptions options, List<string> list, string value)
    {
        var eq = value.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0 || !value.StartsWith("Central:", StringComparison.Ordinal) && !value.StartsWith("Serilog:", StringComparison.Ordinal))
        {
            throw new FormatException($"--central-arg '{value}' is not Key=Value with a key under Central: or Serilog:");
        }

        list.Add(value);
        return options;
    }
}
