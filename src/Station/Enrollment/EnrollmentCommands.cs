using System.CommandLine;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Transmission.Core.Pki;
using Transmission.Cli;

namespace Transmission.Station.Enrollment;

/// <summary>
/// The station's <c>keys</c> command group: generate the TLS and signing keys on the device and their CSRs
/// (<c>init</c>), install the certificates the election CA issued after checking them (<c>install</c>), and show
/// the state (<c>show</c>). Batch forms (<c>--stations-file</c> with <c>--root</c>) provision many stations in one run.
/// </summary>
public static class EnrollmentCommands
{
    private const string TlsProfile = "station-tls";
    private const string SigningProfile = "station-signing";

    /// <summary>Creates the <c>keys</c> command.</summary>
    /// <param name="timeProvider">The clock used to check certificates at install (tests pass a fake one). Defaults to the system clock.</param>
    public static Command Create(TimeProvider? timeProvider = null)
    {
        var time = timeProvider ?? TimeProvider.System;
        var keys = new Command("keys", "The station's keys and certificates: init, install, show. " + ExitCodes.HelpText);
        keys.Subcommands.Add(Init());
        keys.Subcommands.Add(Install(time));
        keys.Subcommands.Add(Show(time));
        return keys;
    }

    private static Command Init()
    {
        var station = new Option<string?>("--station") { Description = "The station code (urn:transmission:station:<code>); with --dir." };
        var directory = new Option<string?>("--dir") { Description = "The station folder for --station." };
        var stationsFile = new Option<string?>("--stations-file") { Description = "Batch: a file of station codes, one per line ('#' comments); with --root." };
        var root = new Option<string?>("--root") { Description = "Batch: each station's folder is <root>/<code>." };
        var export = new Option<string?>("--export-csr") { Description = "Also copy the CSRs here as '<code>.station-tls.csr.pem' and '<code>.station-signing.csr.pem' (for 'pki issue --csr-dir')." };
        var skipExisting = new Option<bool>("--skip-existing") { Description = "Skip stations that already have keys instead of failing (for safe re-runs)." };
        var command = new Command("init", "Generate the station's TLS and signing keys here (0600; they never leave this device) and write a CSR for each. Refuses to overwrite existing keys. " + ExitCodes.HelpText);
        foreach (var option in new Option[] { station, directory, stationsFile, root, export, skipExisting })
        {
            command.Options.Add(option);
        }

        command.SetGuardedAction((pr, console) =>
        {
            var targets = Targets(pr.GetValue(station), pr.GetValue(directory), pr.GetValue(stationsFile), pr.GetValue(root));
            var exportDir = pr.GetValue(export);
            if (exportDir is not null)
            {
                KeyFiles.CreateDirectory(exportDir);
            }

            int created = 0, skipped = 0;
            foreach (var (identity, folder) in targets)
            {
                if (folder.HasKeys)
                {
                    if (!pr.GetValue(skipExisting))
                    {
                        throw new CommandFailureException(ExitCodes.WouldOverwrite, $"{folder.Path} already has keys; refusing to overwrite them");
                    }

                    if (folder.ReadIdentity() != identity)
                    {
                        throw new CommandFailureException(ExitCodes.WouldOverwrite, $"{folder.Path} holds keys of another station");
                    }

                    folder.EnsureCsrs(identity);
                    skipped++;
                }
                else
                {
                    folder.Create(identity);
                    StationLog.Record(folder.Path, "Generated the TLS and signing keys of {Station} on this device and wrote their CSRs", identity.Uri);
                    created++;
                }

                if (exportDir is not null)
                {
                    Export(folder.TlsCsrPath, Path.Combine(exportDir, $"{identity.Id}.{TlsProfile}.csr.pem"));
                    Export(folder.SigningCsrPath, Path.Combine(exportDir, $"{identity.Id}.{SigningProfile}.csr.pem"));
                }

                if (targets.Count == 1)
                {
                    console.WriteLine($"{identity.Uri}: keys in {folder.Path} ({(created == 1 ? "created" : "already there")}); CSRs {folder.TlsCsrPath}, {folder.SigningCsrPath}");
                }
            }

            if (targets.Count > 1)
            {
                console.WriteLine($"keys created for {created} station(s), {skipped} already had keys");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Install(TimeProvider time)
    {
        var directory = new Option<string?>("--dir") { Description = "The station folder (from 'keys init')." };
        var tlsCert = new Option<string?>("--tls-cert") { Description = "The issued station-tls certificate (PEM)." };
        var signingCert = new Option<string?>("--signing-cert") { Description = "The issued station-signing certificate (PEM)." };
        var ca = new Option<string>("--ca") { Description = "The election root certificate (PEM), obtained out of band; compare its SHA-256 with the commission's.", Required = true };
        var stationsFile = new Option<string?>("--stations-file") { Description = "Batch: station codes, one per line; with --root and --certs-dir." };
        var root = new Option<string?>("--root") { Description = "Batch: each station's folder is <root>/<code>." };
        var certsDir = new Option<string?>("--certs-dir") { Description = "Batch: folder of '<code>.station-tls.cert.pem' and '<code>.station-signing.cert.pem' (from 'pki issue --out-dir')." };
        var command = new Command("install", "Check and install the station's certificates: each must match its local key, name this station, chain to the given root, be valid now and have the right profile (station-tls: clientAuth; station-signing: documentSigning). " + ExitCodes.HelpText);
        foreach (var option in new Option[] { directory, tlsCert, signingCert, ca, stationsFile, root, certsDir })
        {
            command.Options.Add(option);
        }

        command.SetGuardedAction((pr, console) =>
        {
            var rootPem = KeyFiles.ReadText(pr.GetValue(ca)!, "root certificate");
            ElectionTrust trust;
            try
            {
                trust = new ElectionTrust(X509Certificate2.CreateFromPem(rootPem));
            }
            catch (Exception e) when (e is CryptographicException or ArgumentException)
            {
                throw new CommandFailureException(ExitCodes.BadInput, $"{pr.GetValue(ca)} is not an election root certificate: {e.Message}");
            }

            if (pr.GetValue(stationsFile) is { } list)
            {
                if (pr.GetValue(root) is not { } rootDir || pr.GetValue(certsDir) is not { } certs || pr.GetValue(directory) is not null || pr.GetValue(tlsCert) is not null || pr.GetValue(signingCert) is not null)
                {
                    throw new CommandFailureException(ExitCodes.Usage, "--stations-file needs --root and --certs-dir (and not --dir, --tls-cert or --signing-cert)");
                }

                int installed = 0, unchanged = 0;
                foreach (var (identity, folder) in Targets(null, null, list, rootDir))
                {
                    var changed = InstallOne(folder, identity, Path.Combine(certs, $"{identity.Id}.{TlsProfile}.cert.pem"), Path.Combine(certs, $"{identity.Id}.{SigningProfile}.cert.pem"), rootPem, trust, time);
                    _ = changed ? installed++ : unchanged++;
                }

                console.WriteLine($"certificates installed for {installed} station(s), {unchanged} already installed");
                return ExitCodes.Ok;
            }

            if (pr.GetValue(directory) is not { } dir || pr.GetValue(tlsCert) is not { } tls || pr.GetValue(signingCert) is not { } signing)
            {
                throw new CommandFailureException(ExitCodes.Usage, "give --dir, --tls-cert, --signing-cert and --ca (or the batch form --stations-file, --root, --certs-dir, --ca)");
            }

            var station = new StationKeyFolder(dir);
            var identityOfStation = station.ReadIdentity();
            var didInstall = InstallOne(station, identityOfStation, tls, signing, rootPem, trust, time);
            console.WriteLine($"{identityOfStation.Uri}: certificates {(didInstall ? "installed" : "already installed")} in {dir}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static bool InstallOne(StationKeyFolder folder, CallerIdentity identity, string tlsPath, string signingPath, string rootPem, ElectionTrust trust, TimeProvider time)
    {
        if (folder.ReadIdentity() != identity)
        {
            throw new CommandFailureException(ExitCodes.Refused, $"{folder.Path} holds keys of another station");
        }

        var now = time.GetUtcNow();
        var files = new List<(string Target, string Content)>();
        foreach (var (source, keyPath, target, profile, purpose) in new[]
        {
            (tlsPath, folder.TlsKeyPath, folder.TlsCertificatePath, CertificateProfile.StationTls, CertificatePurpose.TlsClient),
            (signingPath, folder.SigningKeyPath, folder.SigningCertificatePath, CertificateProfile.StationSigning, CertificatePurpose.Signing),
        })
        {
            using var certificate = KeyFiles.ReadCertificate(source);
            using var key = KeyFiles.ReadPrivateKey(keyPath);
            if (!StationKeyFolder.SameKey(certificate, key))
            {
                throw new CommandFailureException(ExitCodes.Refused, $"{source} is not for this station's key {keyPath}");
            }

            var check = trust.Validate(certificate, purpose, now);
            if (!check.IsSuccess)
            {
                throw new CommandFailureException(ExitCodes.Refused, $"{source}: {check.ReasonCode}: {check.Detail}");
            }

            if (check.Value != identity || CertificateProfiles.Recognize(certificate) != profile)
            {
                throw new CommandFailureException(ExitCodes.Refused, $"{source} is not a {CertificateProfiles.Name(profile)} certificate for {identity.Uri}");
            }

            files.Add((target, certificate.ExportCertificatePem() + "\n"));
        }

        files.Add((folder.RootPath, X509Certificate2.CreateFromPem(rootPem).ExportCertificatePem() + "\n"));
        var changed = false;
        foreach (var (target, content) in files)
        {
            if (File.Exists(target))
            {
                if (KeyFiles.ReadText(target, "installed certificate") != content)
                {
                    throw new CommandFailureException(ExitCodes.WouldOverwrite, $"{target} already holds a different certificate; remove it first to replace it");
                }

                continue;
            }

            KeyFiles.WriteNew(target, content, secret: false);
            changed = true;
        }

        if (changed)
        {
            using var tls = X509Certificate2.CreateFromPem(files[0].Content);
            using var signing = X509Certificate2.CreateFromPem(files[1].Content);
            StationLog.Record(
                folder.Path,
                "Installed the certificates of {Station}: TLS serial {TlsSerial}, signing serial {SigningSerial}",
                identity.Uri,
                tls.SerialNumber,
                signing.SerialNumber);
        }

        return changed;
    }

    private static Command Show(TimeProvider time)
    {
        var directory = new Option<string>("--dir") { Description = "The station folder.", Required = true };
        var command = new Command("show", "Show the station's identity, key files and their modes, and the installed certificates with their status. " + ExitCodes.HelpText);
        command.Options.Add(directory);
        command.SetGuardedAction((pr, console) =>
        {
            var folder = new StationKeyFolder(pr.GetValue(directory)!);
            var identity = folder.ReadIdentity();
            console.WriteLine($"station   {identity.Uri}");
            foreach (var key in new[] { folder.TlsKeyPath, folder.SigningKeyPath })
            {
                console.WriteLine(File.Exists(key) ? $"key       {key} mode {KeyFiles.ModeOf(key)}" : $"key       {key} MISSING");
            }

            ElectionTrust? trust = null;
            if (File.Exists(folder.RootPath))
            {
                using var root = KeyFiles.ReadCertificate(folder.RootPath);
                console.WriteLine($"root      {root.Subject} SHA-256 {Convert.ToHexString(root.GetCertHash(HashAlgorithmName.SHA256))}");
                trust = new ElectionTrust(X509CertificateLoader.LoadCertificate(root.RawData));
            }
            else
            {
                console.WriteLine("root      not installed");
            }

            foreach (var (path, purpose) in new[] { (folder.TlsCertificatePath, CertificatePurpose.TlsClient), (folder.SigningCertificatePath, CertificatePurpose.Signing) })
            {
                if (!File.Exists(path))
                {
                    console.WriteLine($"cert      {path} not installed");
                    continue;
                }

                using var certificate = KeyFiles.ReadCertificate(path);
                var status = trust?.Validate(certificate, purpose, time.GetUtcNow()) is { } result ? (result.IsSuccess ? "valid" : result.ReasonCode) : "unchecked";
                var profile = CertificateProfiles.Recognize(certificate) is { } p ? CertificateProfiles.Name(p) : "?";
                console.WriteLine($"cert      {path} {profile} serial {RevocationEntry.CanonicalSerial(certificate)} until {certificate.NotAfter.ToUniversalTime():u} {status}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static List<(CallerIdentity Identity, StationKeyFolder Folder)> Targets(string? station, string? directory, string? stationsFile, string? root)
    {
        if (station is not null && directory is not null && stationsFile is null && root is null)
        {
            return [(StationIdentity(station, "--station"), new StationKeyFolder(directory))];
        }

        if (stationsFile is not null && root is not null && station is null && directory is null)
        {
            var targets = new List<(CallerIdentity, StationKeyFolder)>();
            var seen = new HashSet<CallerIdentity>();
            var lineNumber = 0;
            foreach (var raw in KeyFiles.ReadText(stationsFile, "stations file").Split('\n'))
            {
                lineNumber++;
                var line = raw.Trim();
                if (line.Length == 0 || line.StartsWith('#'))
                {
                    continue;
                }

                var identity = StationIdentity(line, $"{stationsFile}:{lineNumber}");
                if (seen.Add(identity))
                {
                    // Safe as a path: station codes are [A-Za-z0-9._-] and start with a letter or digit.
                    targets.Add((identity, new StationKeyFolder(Path.Combine(root, identity.Id))));
                }
            }

            return targets;
        }

        throw new CommandFailureException(ExitCodes.Usage, "give --station with --dir, or --stations-file with --root");
    }

    private static CallerIdentity StationIdentity(string code, string where)
    {
        var result = CallerIdentity.Create(Role.Station, code);
        return result.IsSuccess
            ? result.Value
            : throw new CommandFailureException(ExitCodes.Usage, $"{where}: station code: {result.ReasonCode}: {result.Detail}");
    }

    private static void Export(string source, string target)
    {
        var content = KeyFiles.ReadText(source, "CSR");
        if (!File.Exists(target))
        {
            KeyFiles.WriteNew(target, content, secret: false);
        }
        else if (KeyFiles.ReadText(target, "exported CSR") != content)
        {
            throw new CommandFailureException(ExitCodes.WouldOverwrite, $"{target} already holds a different CSR");
        }
    }
}
