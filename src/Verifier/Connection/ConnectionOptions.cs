using System.CommandLine;
using System.Globalization;
using Transmission.Cli;

namespace Transmission.Verifier.Connection;

/// <summary>The options every command shares: where Central is, who the verifier is, which root to trust.</summary>
internal sealed class ConnectionOptions
{
    /// <summary>The environment variable <c>--central</c> defaults to.</summary>
    public const string CentralVariable = "TRANSMISSION_CENTRAL";

    public ConnectionOptions(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        Central = new Option<string?>("--central")
        {
            Description = $"Central's address, e.g. https://localhost:7443. Defaults to ${CentralVariable}.",
            Recursive = true,
            DefaultValueFactory = _ => environment(CentralVariable),
        };
        Identity = new Option<string?>("--identity")
        {
            Description = "The verifier's folder with tls.cert.pem and tls.key.pem (dev PKI: certs-dev/out/verifier-1).",
            Recursive = true,
        };
        Root = new Option<string?>("--root")
        {
            Description = "The election root certificate (PEM): Central's TLS certificate must chain to it and to nothing else. Defaults to ca.cert.pem in the --identity folder.",
            Recursive = true,
        };
        Timeout = new Option<double>("--timeout")
        {
            Description = "Seconds to wait for each answer from Central (not for --watch, which runs until Ctrl+C).",
            Recursive = true,
            DefaultValueFactory = _ => 30,
        };
        Verbose = new Option<bool>("--verbose")
        {
            Description = "Also write the connection's log events to stderr.",
            Recursive = true,
        };
    }

    public Option<string?> Central { get; }

    public Option<string?> Identity { get; }

    public Option<string?> Root { get; }

    public Option<double> Timeout { get; }

    public Option<bool> Verbose { get; }

    public IEnumerable<Option> All => [Central, Identity, Root, Timeout, Verbose];

    /// <summary>The settings of this invocation; a missing or malformed one is a usage failure (exit 1) with one line.</summary>
    public ConnectionSettings Read(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var centralText = parse.GetValue(Central);
        if (string.IsNullOrWhiteSpace(centralText))
        {
            throw new CommandFailureException(ExitCodes.Usage, $"--central is required (or set {CentralVariable}), e.g. --central https://localhost:7443");
        }

        if (!Uri.TryCreate(centralText, UriKind.Absolute, out var central) || central.Scheme != Uri.UriSchemeHttps)
        {
            throw new CommandFailureException(ExitCodes.Usage, $"--central must be an https:// address such as https://localhost:7443, not '{centralText}'");
        }

        var identity = parse.GetValue(Identity);
        if (string.IsNullOrWhiteSpace(identity))
        {
            throw new CommandFailureException(ExitCodes.Usage, "--identity is required: the verifier's folder with tls.cert.pem and tls.key.pem");
        }

        var seconds = parse.GetValue(Timeout);
        if (!(seconds > 0) || double.IsInfinity(seconds))
        {
            throw new CommandFailureException(ExitCodes.Usage, "--timeout must be a positive number of seconds, not " + seconds.ToString(CultureInfo.InvariantCulture));
        }

        var identityPath = Path.GetFullPath(identity);
        var root = parse.GetValue(Root) is { Length: > 0 } rootPath ? Path.GetFullPath(rootPath) : Path.Combine(identityPath, "ca.cert.pem");
        return new ConnectionSettings(central, identityPath, root, TimeSpan.FromSeconds(seconds), parse.GetValue(Verbose));
    }
}

/// <summary>Where and as whom to connect. Invariant: an https:// address, full paths, a positive timeout.</summary>
internal sealed record ConnectionSettings(Uri Central, string IdentityDirectory, string RootPath, TimeSpan Timeout, bool Verbose)
{
    public string CertificatePath => Path.Combine(IdentityDirectory, "tls.cert.pem");

    public string KeyPath => Path.Combine(IdentityDirectory, "tls.key.pem");
}
