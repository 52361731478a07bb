using System.CommandLine;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Transmission.Core.Pki;
using Transmission.Cli;
using Transmission.Cli.Localization;
using Transmission.Station.Localization;

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
        var keys = new Command("keys", StationText.KeysDescription + " " + ExitCodes.HelpText);
        keys.Subcommands.Add(Init());
        keys.Subcommands.Add(Install(time));
        keys.Subcommands.Add(Show(time));
        return keys;
    }

    private static Command Init()
    {
        var station = new Option<string?>("--station") { Description = StationText.KeysOptStation };
        var directory = new Option<string?>("--dir") { Description = StationText.KeysOptDirForStation };
        var stationsFile = new Option<string?>("--stations-file") { Description = StationText.KeysOptStationsFile };
        var root = new Option<string?>("--root") { Description = StationText.KeysOptRoot };
        var export = new Option<string?>("--export-csr") { Description = StationText.KeysOptExportCsr };
        var skipExisting = new Option<bool>("--skip-existing") { Description = StationText.KeysOptSkipExisting };
        var command = new Command("init", StationText.KeysInitDescription + " " + ExitCodes.HelpText);
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
                        throw new CommandFailureException(ExitCodes.WouldOverwrite, Localized.Format(StationText.KeysAlreadyThere, folder.Path));
                    }

                    if (folder.ReadIdentity() != identity)
                    {
                        throw new CommandFailureException(ExitCodes.WouldOverwrite, Localized.Format(StationText.KeysOfAnotherStation, folder.Path));
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
                    console.WriteLine(Localized.Format(created == 1 ? StationText.KeysInitCreated : StationText.KeysInitExisting, identity.Uri, folder.Path, folder.TlsCsrPath, folder.SigningCsrPath));
                }
            }

            if (targets.Count > 1)
            {
                console.WriteLine(Localized.Format(StationText.KeysInitBatch, created, skipped));
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Install(TimeProvider time)
    {
        var directory = new Option<string?>("--dir") { Description = StationText.OptDirFromKeysInit };
        var tlsCert = new Option<string?>("--tls-cert") { Description = StationText.KeysOptTlsCert };
        var signingCert = new Option<string?>("--signing-cert") { Description = StationText.KeysOptSigningCert };
        var ca = new Option<string>("--ca") { Description = StationText.KeysOptCa, Required = true };
        var stationsFile = new Option<string?>("--stations-file") { Description = StationText.KeysOptInstallStationsFile };
        var root = new Option<string?>("--root") { Description = StationText.KeysOptRoot };
        var certsDir = new Option<string?>("--certs-dir") { Description = StationText.KeysOptCertsDir };
        var command = new Command("install", StationText.KeysInstallDescription + " " + ExitCodes.HelpText);
        foreach (var option in new Option[] { directory, tlsCert, signingCert, ca, stationsFile, root, certsDir })
        {
            command.Options.Add(option);
        }

        command.SetGuardedAction((pr, console) =>
        {
            var rootPem = KeyFiles.ReadText(pr.GetValue(ca)!, StationText.KeysWhatRoot);
            ElectionTrust trust;
            try
            {
                trust = new ElectionTrust(X509Certificate2.CreateFromPem(rootPem));
            }
            catch (Exception e) when (e is CryptographicException or ArgumentException)
            {
                throw new CommandFailureException(ExitCodes.BadInput, Localized.Format(StationText.KeysNotRoot, pr.GetValue(ca), e.Message));
            }

            if (pr.GetValue(stationsFile) is { } list)
            {
                if (pr.GetValue(root) is not { } rootDir || pr.GetValue(certsDir) is not { } certs || pr.GetValue(directory) is not null || pr.GetValue(tlsCert) is not null || pr.GetValue(signingCert) is not null)
                {
                    throw new CommandFailureException(ExitCodes.Usage, StationText.KeysInstallBatchUsage);
                }

                int installed = 0, unchanged = 0;
                foreach (var (identity, folder) in Targets(null, null, list, rootDir))
                {
                    var changed = InstallOne(folder, identity, Path.Combine(certs, $"{identity.Id}.{TlsProfile}.cert.pem"), Path.Combine(certs, $"{identity.Id}.{SigningProfile}.cert.pem"), rootPem, trust, time);
                    _ = changed ? installed++ : unchanged++;
                }

                console.WriteLine(Localized.Format(StationText.KeysInstallBatch, installed, unchanged));
                return ExitCodes.Ok;
            }

            if (pr.GetValue(directory) is not { } dir || pr.GetValue(tlsCert) is not { } tls || pr.GetValue(signingCert) is not { } signing)
            {
                throw new CommandFailureException(ExitCodes.Usage, StationText.KeysInstallUsage);
            }

            var station = new StationKeyFolder(dir);
            var identityOfStation = station.ReadIdentity();
            var didInstall = InstallOne(station, identityOfStation, tls, signing, rootPem, trust, time);
            console.WriteLine(Localized.Format(didInstall ? StationText.KeysInstalled : StationText.KeysAlreadyInstalled, identityOfStation.Uri, dir));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static bool InstallOne(StationKeyFolder folder, CallerIdentity identity, string tlsPath, string signingPath, string rootPem, ElectionTrust trust, TimeProvider time)
    {
        if (folder.ReadIdentity() != identity)
        {
            throw new CommandFailureException(ExitCodes.Refused, Localized.Format(StationText.KeysOfAnotherStation, folder.Path));
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
                throw new CommandFailureException(ExitCodes.Refused, Localized.Format(StationText.KeysCertNotForKey, source, keyPath));
            }

            var check = trust.Validate(certificate, purpose, now);
            if (!check.IsSuccess)
            {
                throw new CommandFailureException(ExitCodes.Refused, $"{source}: {check.ReasonCode}: {CodeText.Explain(CodeText.Pki, check.ReasonCode!, check.Detail)}");
            }

            if (check.Value != identity || CertificateProfiles.Recognize(certificate) != profile)
            {
                throw new CommandFailureException(ExitCodes.Refused, Localized.Format(StationText.KeysCertWrongProfile, source, CertificateProfiles.Name(profile), identity.Uri));
            }

            files.Add((target, certificate.ExportCertificatePem() + "\n"));
        }

        files.Add((folder.RootPath, X509Certificate2.CreateFromPem(rootPem).ExportCertificatePem() + "\n"));
        var changed = false;
        foreach (var (target, content) in files)
        {
            if (File.Exists(target))
            {
                if (KeyFiles.ReadText(target, StationText.KeysWhatInstalledCert) != content)
                {
                    throw new CommandFailureException(ExitCodes.WouldOverwrite, Localized.Format(StationText.KeysCertDiffers, target));
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
        var directory = new Option<string>("--dir") { Description = StationText.OptDir, Required = true };
        var command = new Command("show", StationText.KeysShowDescription + " " + ExitCodes.HelpText);
        command.Options.Add(directory);
        command.SetGuardedAction((pr, console) =>
        {
            var folder = new StationKeyFolder(pr.GetValue(directory)!);
            var identity = folder.ReadIdentity();
            console.WriteLine(Localized.Format(StationText.KeysShowStation, identity.Uri));
            foreach (var key in new[] { folder.TlsKeyPath, folder.SigningKeyPath })
            {
                console.WriteLine(File.Exists(key) ? Localized.Format(StationText.KeysShowKey, key, KeyFiles.ModeOf(key)) : Localized.Format(StationText.KeysShowKeyMissing, key));
            }

            ElectionTrust? trust = null;
            if (File.Exists(folder.RootPath))
            {
                using var root = KeyFiles.ReadCertificate(folder.RootPath);
                console.WriteLine(Localized.Format(StationText.KeysShowRoot, root.Subject, Convert.ToHexString(root.GetCertHash(HashAlgorithmName.SHA256))));
                trust = new ElectionTrust(X509CertificateLoader.LoadCertificate(root.RawData));
            }
            else
            {
                console.WriteLine(StationText.KeysShowRootMissing);
            }

            foreach (var (path, purpose) in new[] { (folder.TlsCertificatePath, CertificatePurpose.TlsClient), (folder.SigningCertificatePath, CertificatePurpose.Signing) })
            {
                if (!File.Exists(path))
                {
                    console.WriteLine(Localized.Format(StationText.KeysShowCertMissing, path));
                    continue;
                }

                using var certificate = KeyFiles.ReadCertificate(path);
                var status = trust?.Validate(certificate, purpose, time.GetUtcNow()) is { } result ? (result.IsSuccess ? StationText.KeysStatusValid : result.ReasonCode) : StationText.KeysStatusUnchecked;
                var profile = CertificateProfiles.Recognize(certificate) is { } p ? CertificateProfiles.Name(p) : "?";
                console.WriteLine(Localized.Format(StationText.KeysShowCert, path, profile, RevocationEntry.CanonicalSerial(certificate), certificate.NotAfter.ToUniversalTime(), status));
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
            foreach (var raw in KeyFiles.ReadText(stationsFile, StationText.KeysWhatStationsFile).Split('\n'))
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

        throw new CommandFailureException(ExitCodes.Usage, StationText.KeysTargetsUsage);
    }

    private static CallerIdentity StationIdentity(string code, string where)
    {
        var result = CallerIdentity.Create(Role.Station, code);
        return result.IsSuccess
            ? result.Value
            : throw new CommandFailureException(ExitCodes.Usage, Localized.Format(StationText.KeysBadStationCode, where, result.ReasonCode, result.Detail));
    }

    private static void Export(string source, string target)
    {
        var content = KeyFiles.ReadText(source, "CSR");
        if (!File.Exists(target))
        {
            KeyFiles.WriteNew(target, content, secret: false);
        }
        else if (KeyFiles.ReadText(target, StationText.KeysWhatExportedCsr) != content)
        {
            throw new CommandFailureException(ExitCodes.WouldOverwrite, Localized.Format(StationText.KeysCsrDiffers, target));
        }
    }
}
