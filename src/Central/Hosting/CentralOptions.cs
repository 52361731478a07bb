using System.Globalization;
using System.Net;
using Transmission.Central.Review;
using Transmission.Central.Storage;
using Transmission.Central.Submission;

namespace Transmission.Central.Hosting;

/// <summary>Central's settings, bound from the "Central" configuration section.</summary>
public sealed class CentralOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Central";

    /// <summary>Address and port to listen on. Defaults to 127.0.0.1:7443; port 0 picks a free port.</summary>
    public string Listen { get; set; } = "127.0.0.1:7443";

    /// <summary>Folder for Central's database, stored envelopes and logs. Defaults to .transmission/central.</summary>
    public string DataDirectory { get; set; } = ".transmission/central";

    /// <summary>Database write batching and lock waits.</summary>
    public StorageOptions Storage { get; set; } = new();

    /// <summary>The election Central serves.</summary>
    public ElectionSettings Election { get; set; } = new();

    /// <summary>Limits on what one submitted protocol may carry.</summary>
    public SubmissionLimits Submission { get; set; } = new();

    /// <summary>The review board: anomaly thresholds and how it follows the log.</summary>
    public ReviewOptions Review { get; set; } = new();

    /// <summary>Where the election PKI files are.</summary>
    public PkiPaths Pki { get; set; } = new();

    /// <summary>Limits on connections, streams, headers and data rates (Kestrel), against misbehaving clients.</summary>
    public ConnectionLimits Limits { get; set; } = new();

    /// <summary>Largest message Central accepts. Defaults to 4,194,304 (4 MiB).</summary>
    public int MaxReceiveMessageSize { get; set; } = 4 * 1024 * 1024;

    /// <summary>
    /// Checks every setting and returns the first problem as one readable line, or null.
    /// Relative paths are resolved against <paramref name="baseDirectory"/>.
    /// </summary>
    public string? Validate(string baseDirectory)
    {
        if (!TryParseListen(Listen, out _))
        {
            return $"Central:Listen '{Listen}' is not an address:port such as 127.0.0.1:7443.";
        }

        if (MaxReceiveMessageSize < 1024)
        {
            return $"Central:MaxReceiveMessageSize {MaxReceiveMessageSize} is below the minimum of 1024 bytes.";
        }

        if (Limits.Validate() is { } limitsProblem)
        {
            return limitsProblem;
        }

        if (Storage.Validate() is { } storageProblem)
        {
            return storageProblem;
        }

        if (Submission.Validate() is { } submissionProblem)
        {
            return submissionProblem;
        }

        if (Review.Validate() is { } reviewProblem)
        {
            return reviewProblem;
        }

        if (string.IsNullOrWhiteSpace(Election.Definition))
        {
            return "Central:Election:Definition is not set.";
        }

        var definition = Resolve(baseDirectory, Election.Definition);
        if (!File.Exists(definition))
        {
            return $"Central:Election:Definition: file '{definition}' does not exist (run certs-dev/generate for a development election).";
        }

        if (Pki.CrlReloadInterval < TimeSpan.FromSeconds(1) || Pki.CrlReloadInterval > TimeSpan.FromDays(1))
        {
            return $"Central:Pki:CrlReloadInterval {Pki.CrlReloadInterval} is not between 00:00:01 and 1.00:00:00.";
        }

        foreach (var (name, path) in Pki.Files())
        {
            if (string.IsNullOrWhiteSpace(path))
            {
                return $"Central:Pki:{name} is not set.";
            }

            var full = Resolve(baseDirectory, path);
            if (!File.Exists(full))
            {
                return $"Central:Pki:{name}: file '{full}' does not exist (run certs-dev/generate for a development PKI).";
            }
        }

        return null;
    }

    /// <summary>Resolves <paramref name="path"/> against <paramref name="baseDirectory"/> unless it is absolute.</summary>
    public static string Resolve(string baseDirectory, string path) =>
        Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(baseDirectory, path));

    /// <summary>Parses "address:port".</summary>
    public static bool TryParseListen(string value, out IPEndPoint endpoint)
    {
        endpoint = new IPEndPoint(IPAddress.Loopback, 0);
        var colon = value.LastIndexOf(':');
        if (colon <= 0
            || !IPAddress.TryParse(value[..colon].Trim('[', ']'), out var address)
            || !int.TryParse(value.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            || port > IPEndPoint.MaxPort)
        {
            return false;
        }

        endpoint = new IPEndPoint(address, port);
        return true;
    }

    /// <summary>Paths of the PKI files Central needs.</summary>
    public sealed class PkiPaths
    {
        /// <summary>The election root CA certificate (PEM): the only trust anchor.</summary>
        public string RootCertificate { get; set; } = string.Empty;

        /// <summary>The root CA's certificate revocation list (PEM).</summary>
        public string Crl { get; set; } = string.Empty;

        /// <summary>Central's TLS server certificate (PEM).</summary>
        public string ServerCertificate { get; set; } = string.Empty;

        /// <summary>Central's TLS server private key (PEM, owner-only).</summary>
        public string ServerKey { get; set; } = string.Empty;

        /// <summary>Central's receipt/log signing certificate (PEM, profile central-signing, from <c>pki issue-central</c>).</summary>
        public string SigningCertificate { get; set; } = string.Empty;

        /// <summary>Central's receipt/log signing private key (PEM, owner-only).</summary>
        public string SigningKey { get; set; } = string.Empty;

        /// <summary>
        /// How often Central rereads <see cref="Crl"/> besides watching it for changes (and on SIGHUP).
        /// Defaults to 30 seconds; between 1 second and 1 day.
        /// </summary>
        public TimeSpan CrlReloadInterval { get; set; } = TimeSpan.FromSeconds(30);

        internal IEnumerable<(string Name, string Path)> Files() =>
        [
            (nameof(RootCertificate), RootCertificate),
            (nameof(Crl), Crl),
            (nameof(ServerCertificate), ServerCertificate),
            (nameof(ServerKey), ServerKey),
            (nameof(SigningCertificate), SigningCertificate),
            (nameof(SigningKey), SigningKey),
        ];
    }

    /// <summary>The election settings ("Central:Election").</summary>
    public sealed class ElectionSettings
    {
        /// <summary>Path of the election definition JSON. Required: Central does not start without a valid one.</summary>
        public string Definition { get; set; } = string.Empty;
    }
}
