using System.CommandLine;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Serilog;
using Serilog.Extensions.Logging;

namespace Transmission.Central.Hosting;

/// <summary>The <c>serve</c> command: runs Central until it is stopped (Ctrl+C or SIGTERM).</summary>
public static class ServeCommand
{
    /// <summary>Exit code for a configuration error reported at start-up.</summary>
    public const int ConfigurationError = 2;

    /// <summary>Exit code when Central could not start (for example the port is taken).</summary>
    public const int StartFailed = 3;

    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var config = new Option<FileInfo?>("--config")
        {
            Description = "A JSON settings file read after appsettings.json (see README, Configuration).",
        };
        var listen = new Option<string?>("--listen")
        {
            Description = "Overrides Central:Listen, e.g. 127.0.0.1:7443 (port 0 picks a free port).",
        };
        var readyFile = new Option<FileInfo?>("--ready-file")
        {
            Description = "Once Central is serving, write its https:// address to this file (for scripts).",
        };
        var command = new Command("serve", "Run Central: mutual-TLS gRPC for stations, verifiers and auditors.\n" +
            $"Exit codes: 0 stopped cleanly, {ConfigurationError} configuration error, {StartFailed} could not start.")
        {
            config,
            listen,
            readyFile,
        };
        command.SetAction((parse, cancellationToken) =>
            RunAsync(parse.GetValue(config), parse.GetValue(listen), parse.GetValue(readyFile), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(FileInfo? configFile, string? listen, FileInfo? readyFile, CancellationToken cancellationToken)
    {
        var baseDirectory = Environment.CurrentDirectory;
        if (configFile is { Exists: false })
        {
            await Console.Error.WriteLineAsync($"Configuration error: settings file '{configFile.FullName}' does not exist.");
            return ConfigurationError;
        }

        IConfigurationRoot? configuration = null;
        CentralOptions options;
        try
        {
            configuration = LoadConfiguration(configFile, listen);
            options = configuration.GetSection(CentralOptions.SectionName).Get<CentralOptions>() ?? new CentralOptions();
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException or InvalidDataException)
        {
            await Console.Error.WriteLineAsync($"Configuration error: {ConfigurationProblem.Describe(ex, configuration)}");
            return ConfigurationError;
        }

        if (options.Validate(baseDirectory) is { } problem)
        {
            await Console.Error.WriteLineAsync($"Configuration error: {problem}");
            return ConfigurationError;
        }

        var dataDirectory = CentralOptions.Resolve(baseDirectory, options.DataDirectory);
        Directory.CreateDirectory(dataDirectory);
        await using var logger = Logging.Create(configuration, Path.Combine(dataDirectory, "logs"));
        WebApplication app;
        try
        {
            app = CentralHost.Build(options, baseDirectory, new SerilogLoggerProvider(logger, dispose: false));
            await app.StartAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or System.Security.Cryptography.CryptographicException
            or Cli.CommandFailureException)
        {
            logger.Fatal("Central could not start: {Reason}", ex.Message);
            await Console.Error.WriteLineAsync($"Central could not start: {ex.Message}");
            return StartFailed;
        }

        await using (app)
        {
            var address = CentralHost.GetListeningAddress(app);
            var election = app.Services.GetRequiredService<Submission.CentralElection>().Definition;
            var mode = election.Mode == Core.Election.ElectionMode.Live ? "LIVE ELECTION" : "TEST ELECTION (rehearsal)";
            logger.Information("Central is serving the {Mode} {ElectionId} on {Address}", mode, election.ElectionId, address);
            if (readyFile is not null)
            {
                await File.WriteAllTextAsync(readyFile.FullName, address + Environment.NewLine, cancellationToken);
            }

            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C or SIGTERM: System.CommandLine cancels the token; fall through to a clean stop.
            }

            logger.Information("Central is stopping");
            await app.StopAsync(CancellationToken.None);
        }

        return 0;
    }

    /// <summary>appsettings.json beside the executable, then <paramref name="configFile"/>, then TRANSMISSION_* variables, then options.</summary>
    internal static IConfigurationRoot LoadConfiguration(FileInfo? configFile, string? listen)
    {
        var builder = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true);
        if (configFile is not null)
        {
            builder.AddJsonFile(configFile.FullName, optional: false);
        }

        builder.AddEnvironmentVariables("TRANSMISSION_");
        if (listen is not null)
        {
            builder.AddInMemoryCollection([new KeyValuePair<string, string?>("Central:Listen", listen)]);
        }

        return builder.Build();
    }
}
