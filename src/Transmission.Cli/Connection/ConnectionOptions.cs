using System.CommandLine;
using System.Globalization;
using Transmission.Cli;

namespace Transmission.Cli.Connection;

/// <summary>
/// The options every command of a verifier's or auditor's command line shares: where Central is, who the caller is,
/// which root to trust.
/// </summary>
public sealed class ConnectionOptions
{
    private readonly string _role;

    /// <summary>The environment variable <c>--central</c> defaults to.</summary>
    public const string CentralVariable = "TRANSMISSION_CENTRAL";

    /// <summary>Options for a caller of <paramref name="role"/> ("verifier", "auditor"), whose development folder is <paramref name="developmentFolder"/>.</summary>
    public ConnectionOptions(Func<string, string?> environment, string role = "verifier", string developmentFolder = "certs-dev/out/verifier-1")
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentException.ThrowIfNullOrEmpty(role);
        _role = role;
        Central = new Option<string?>("--central")
        {
            Description = Localization.Localized.Format(Localization.CliText.ConnOptCentral, CentralVariable),
            Recursive = true,
            DefaultValueFactory = _ => environment(CentralVariable),
        };
        Identity = new Option<string?>("--identity")
        {
            Description = Localization.Localized.Format(Localization.CliText.ConnOptIdentity, role, developmentFolder),
            Recursive = true,
        };
        Root = new Option<string?>("--root")
        {
            Description = Localization.CliText.ConnOptRoot,
            Recursive = true,
        };
        Timeout = new Option<double>("--timeout")
        {
            Description = Localization.CliText.ConnOptTimeout,
            Recursive = true,
            DefaultValueFactory = _ => 30,
        };
        Verbose = new Option<bool>("--verbose")
        {
            Description = Localization.CliText.ConnOptVerbose,
            Recursive = true,
        };
    }

    /// <summary>--central.</summary>
    public Option<string?> Central { get; }

    /// <summary>--identity.</summary>
    public Option<string?> Identity { get; }

    /// <summary>--root.</summary>
    public Option<string?> Root { get; }

    /// <summary>--timeout.</summary>
    public Option<double> Timeout { get; }

    /// <summary>--verbose.</summary>
    public Option<bool> Verbose { get; }

    /// <summary>Every connection option, to add to a root command.</summary>
    public IEnumerable<Option> All => [Central, Identity, Root, Timeout, Verbose];

    /// <summary>The settings of this invocation; a missing or malformed one is a usage failure (exit 1) with one line.</summary>
    public ConnectionSettings Read(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var centralText = parse.GetValue(Central);
        if (string.IsNullOrWhiteSpace(centralText))
        {
            throw new CommandFailureException(ExitCodes.Usage, Localization.Localized.Format(Localization.CliText.ConnCentralRequired, CentralVariable));
        }

        if (!Uri.TryCreate(centralText, UriKind.Absolute, out var central) || central.Scheme != Uri.UriSchemeHttps)
        {
            throw new CommandFailureException(ExitCodes.Usage, Localization.Localized.Format(Localization.CliText.ConnCentralNotHttps, centralText));
        }

        var identity = parse.GetValue(Identity);
        if (string.IsNullOrWhiteSpace(identity))
        {
            throw new CommandFailureException(ExitCodes.Usage, Localization.Localized.Format(Localization.CliText.ConnIdentityRequired, _role));
        }

        var seconds = parse.GetValue(Timeout);
        if (!(seconds > 0) || double.IsInfinity(seconds))
        {
            throw new CommandFailureException(ExitCodes.Usage, Localization.Localized.Format(Localization.CliText.ConnTimeoutInvalid, seconds));
        }

        var identityPath = Path.GetFullPath(identity);
        var root = parse.GetValue(Root) is { Length: > 0 } rootPath ? Path.GetFullPath(rootPath) : Path.Combine(identityPath, "ca.cert.pem");
        return new ConnectionSettings(central, identityPath, root, TimeSpan.FromSeconds(seconds), parse.GetValue(Verbose)) { Role = _role };
    }
}

/// <summary>Where and as whom to connect. Invariant: an https:// address, full paths, a positive timeout.</summary>
public sealed record ConnectionSettings(Uri Central, string IdentityDirectory, string RootPath, TimeSpan Timeout, bool Verbose)
{
    /// <summary>Who connects, in messages: "verifier" or "auditor".</summary>
    public string Role { get; init; } = "verifier";

    /// <summary>The TLS certificate: tls.cert.pem in the identity folder.</summary>
    public string CertificatePath => Path.Combine(IdentityDirectory, "tls.cert.pem");

    /// <summary>The TLS key: tls.key.pem in the identity folder.</summary>
    public string KeyPath => Path.Combine(IdentityDirectory, "tls.key.pem");
}
