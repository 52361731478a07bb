using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Transmission.Core.Pki;
using Transmission.Cli;

namespace Transmission.Central.Pki;

/// <summary>
/// The <c>pki</c> command group: the election CA tool (init-ca, issue, issue-central, request, revoke, crl, list).
/// Keys are PEM PKCS #8 written 0600 at creation; certificates, CSRs and CRLs are PEM.
/// </summary>
public static class PkiCommands
{
    private const string CsrSuffix = ".csr.pem";

    /// <summary>Creates the <c>pki</c> command.</summary>
    /// <param name="timeProvider">The clock for issuance and revocation times (tests pass a fake one). Defaults to the system clock.</param>
    public static Command Create(TimeProvider? timeProvider = null)
    {
        var time = timeProvider ?? TimeProvider.System;
        var pki = new Command("pki", "Election CA: create the root, issue certificates from CSRs, revoke, publish CRLs. " + ExitCodes.HelpText);
        pki.Subcommands.Add(InitCa(time));
        pki.Subcommands.Add(Issue(time));
        pki.Subcommands.Add(IssueCentral(time));
        pki.Subcommands.Add(Request());
        pki.Subcommands.Add(Revoke(time));
        pki.Subcommands.Add(Crl(time));
        pki.Subcommands.Add(List(time));
        return pki;
    }

    private static Option<string> CaOption() => new("--ca")
    {
        Description = "The CA folder (ca.key.pem, ca.cert.pem, issued/, revocations.tsv, crl.number, crl.pem).",
        Required = true,
    };

    private static Option<string[]> DnsOption() => new("--dns")
    {
        Description = "DNS name for the central-tls certificate (repeatable).",
        AllowMultipleArgumentsPerToken = true,
    };

    private static Option<string[]> IpOption() => new("--ip")
    {
        Description = "IP address for the central-tls certificate (repeatable).",
        AllowMultipleArgumentsPerToken = true,
    };

    private static Option<bool> SkipExistingOption(string what) => new("--skip-existing")
    {
        Description = $"Skip {what} that already exist instead of failing (for safe re-runs).",
    };

    private static Command InitCa(TimeProvider time)
    {
        var ca = CaOption();
        var name = new Option<string>("--name") { Description = "Common name of the root.", DefaultValueFactory = _ => "Transmission Election Root CA" };
        var days = new Option<int>("--days") { Description = "Root lifetime in days.", DefaultValueFactory = _ => 1095 };
        var development = new Option<bool>("--development")
        {
            Description = $"Mark the root as a development root (OU \"{ElectionCa.DevelopmentMarker}\"): Central refuses to serve a live election under it.",
        };
        var command = new Command("init-ca", "Create the election root CA key (0600) and certificate, and an empty CRL. Refuses to overwrite an existing CA. " + ExitCodes.HelpText);
        command.Options.Add(ca);
        command.Options.Add(name);
        command.Options.Add(days);
        command.Options.Add(development);
        command.SetGuardedAction((pr, output) =>
        {
            var lifetime = pr.GetValue(days);
            if (lifetime < 1)
            {
                throw new CommandFailureException(ExitCodes.Usage, "--days must be at least 1");
            }

            var policy = IssuancePolicy.Default with { RootLifetime = TimeSpan.FromDays(lifetime) };
            var folder = new CaFolder(pr.GetValue(ca)!);
            folder.Initialize(pr.GetValue(name)!, time, policy, pr.GetValue(development));
            var authority = folder.Open(time, policy);
            var number = PublishCrl(folder, authority, null);
            output.WriteLine($"created root CA in {folder.Path}: {authority.Certificate.Subject}, valid until {authority.Certificate.NotAfter.ToUniversalTime():u}, SHA-256 {Thumbprint(authority.Certificate)}; CRL number {number}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Issue(TimeProvider time)
    {
        var ca = CaOption();
        var csr = new Option<string?>("--csr") { Description = "One CSR (PEM) to issue from." };
        var profile = new Option<string?>("--profile") { Description = "station-tls | station-signing | verifier | auditor | central-tls | central-signing. Required with --csr; with --csr-dir, only CSRs of this profile are issued." };
        var identity = new Option<string?>("--identity") { Description = "With --csr: the identity to certify, a URN (urn:transmission:station:ST-0001) or an id for the profile's role. The CSR must request exactly this." };
        var output = new Option<string?>("--out") { Description = "With --csr: the certificate file to write." };
        var csrDir = new Option<string?>("--csr-dir") { Description = "Issue every '<id>.<profile>.csr.pem' in this folder (batch)." };
        var outDir = new Option<string?>("--out-dir") { Description = "With --csr-dir: where to write '<id>.<profile>.cert.pem'." };
        var identities = new Option<string?>("--identities-file") { Description = "With --csr-dir: the registry of identities allowed, one per line (a station code, or a full URN for other roles; '#' comments)." };
        var skipExisting = SkipExistingOption("certificates");
        var dns = DnsOption();
        var ip = IpOption();
        var command = new Command("issue", "Issue certificates from CSRs. The CA decides extensions and validity by profile; the CSR's self-signature and requested identity are checked. " + ExitCodes.HelpText);
        foreach (var option in new Option[] { ca, csr, profile, identity, output, dns, ip, csrDir, outDir, identities, skipExisting })
        {
            command.Options.Add(option);
        }

        command.SetGuardedAction((pr, console) =>
        {
            var folder = new CaFolder(pr.GetValue(ca)!);
            if (pr.GetValue(csr) is { } csrPath)
            {
                if (pr.GetValue(csrDir) is not null || pr.GetValue(profile) is not { } profileName || pr.GetValue(identity) is not { } identityText || pr.GetValue(output) is not { } outPath)
                {
                    throw new CommandFailureException(ExitCodes.Usage, "--csr needs --profile, --identity and --out (and not --csr-dir)");
                }

                var chosen = ParseProfile(profileName);
                var expected = ResolveIdentity(identityText, chosen);
                var (dnsNames, ips) = SubjectNames(pr.GetValue(dns), pr.GetValue(ip));
                var authority = folder.Open(time, IssuancePolicy.Default);
                using var certificate = IssueOne(folder, authority, KeyFiles.ReadText(csrPath, "CSR"), chosen, expected, dnsNames, ips, csrPath);
                KeyFiles.WriteNew(outPath, certificate.ExportCertificatePem(), secret: false);
                console.WriteLine($"issued {CertificateProfiles.Name(chosen)} for {expected.Uri}: serial {RevocationEntry.CanonicalSerial(certificate)}, valid until {certificate.NotAfter.ToUniversalTime():u} -> {outPath}");
                return ExitCodes.Ok;
            }

            if (pr.GetValue(csrDir) is { } directory)
            {
                if (pr.GetValue(outDir) is not { } target || pr.GetValue(identities) is not { } registry || pr.GetValue(identity) is not null || pr.GetValue(output) is not null)
                {
                    throw new CommandFailureException(ExitCodes.Usage, "--csr-dir needs --out-dir and --identities-file (and not --identity or --out)");
                }

                CertificateProfile? only = pr.GetValue(profile) is { } name ? ParseProfile(name) : null;
                return IssueBatch(folder, folder.Open(time, IssuancePolicy.Default), directory, target, ReadRegistry(registry), only, pr.GetValue(skipExisting), console);
            }

            throw new CommandFailureException(ExitCodes.Usage, "give --csr (one CSR) or --csr-dir (a folder of CSRs)");
        });
        return command;
    }

    private static int IssueBatch(CaFolder folder, ElectionCa authority, string directory, string target, HashSet<CallerIdentity> registry, CertificateProfile? only, bool skipExisting, TextWriter console)
    {
        if (!Directory.Exists(directory))
        {
            throw new CommandFailureException(ExitCodes.BadInput, $"no folder {directory}");
        }

        KeyFiles.CreateDirectory(target);
        int issued = 0, skipped = 0, refused = 0;
        foreach (var file in Directory.EnumerateFiles(directory, "*" + CsrSuffix).Order(StringComparer.Ordinal))
        {
            var stem = Path.GetFileName(file)[..^CsrSuffix.Length];
            var match = CertificateProfiles.All.Where(p => stem.EndsWith("." + CertificateProfiles.Name(p), StringComparison.Ordinal)).Cast<CertificateProfile?>().FirstOrDefault();
            if (match is not { } fileProfile)
            {
                console.WriteLine($"refused {file}: name is not '<id>.<profile>{CsrSuffix}'");
                refused++;
                continue;
            }

            if (only is not null && only != fileProfile)
            {
                continue;
            }

            var id = stem[..^(CertificateProfiles.Name(fileProfile).Length + 1)];
            var expected = CallerIdentity.Create(CertificateProfiles.RoleOf(fileProfile), id);
            if (!expected.IsSuccess || !registry.Contains(expected.Value))
            {
                console.WriteLine($"refused {file}: {(expected.IsSuccess ? expected.Value.Uri + " is not in the identities file" : expected.ToString())}");
                refused++;
                continue;
            }

            var outPath = Path.Combine(target, $"{id}.{CertificateProfiles.Name(fileProfile)}.cert.pem");
            if (File.Exists(outPath))
            {
                if (skipExisting)
                {
                    skipped++;
                    continue;
                }

                console.WriteLine($"refused {file}: {outPath} already exists");
                refused++;
                continue;
            }

            try
            {
                using var certificate = IssueOne(folder, authority, KeyFiles.ReadText(file, "CSR"), fileProfile, expected.Value, [], [], file);
                KeyFiles.WriteNew(outPath, certificate.ExportCertificatePem(), secret: false);
                issued++;
            }
            catch (CommandFailureException e) when (e.ExitCode is ExitCodes.Refused or ExitCodes.BadInput)
            {
                console.WriteLine($"refused {file}: {e.Message}");
                refused++;
            }
        }

        console.WriteLine($"issued {issued}, skipped {skipped} existing, refused {refused} -> {target}");
        return refused == 0 ? ExitCodes.Ok : ExitCodes.Refused;
    }

    private static X509Certificate2 IssueOne(CaFolder folder, ElectionCa authority, string csrPem, CertificateProfile profile, CallerIdentity expected, string[] dnsNames, IPAddress[] ips, string source)
    {
        var result = authority.IssueFromRequestPem(csrPem, profile, expected, dnsNames, ips);
        if (!result.IsSuccess)
        {
            var code = result.Failure == PkiFailure.CsrMalformed ? ExitCodes.BadInput : ExitCodes.Refused;
            throw new CommandFailureException(code, $"{source}: {result.ReasonCode}: {result.Detail}");
        }

        folder.RecordIssued(result.Value);
        return result.Value;
    }

    private static Command IssueCentral(TimeProvider time)
    {
        var ca = CaOption();
        var output = new Option<string>("--out") { Description = "Central's key folder: tls.key.pem, tls.cert.pem, signing.key.pem, signing.cert.pem, ca.cert.pem.", Required = true };
        var name = new Option<string>("--name") { Description = "Central instance id (urn:transmission:central:<name>).", DefaultValueFactory = _ => "central" };
        var dns = DnsOption();
        var ip = IpOption();
        var skipExisting = SkipExistingOption("keys");
        var command = new Command("issue-central", "Generate Central's TLS server key and receipt/log signing key here and issue their certificates (central-tls with --dns/--ip; central-signing). " + ExitCodes.HelpText);
        foreach (var option in new Option[] { ca, output, name, dns, ip, skipExisting })
        {
            command.Options.Add(option);
        }

        command.SetGuardedAction((pr, console) =>
        {
            var directory = pr.GetValue(output)!;
            var identity = ResolveIdentity(pr.GetValue(name)!, CertificateProfile.CentralTls);
            var (dnsNames, ips) = SubjectNames(pr.GetValue(dns), pr.GetValue(ip));
            if (dnsNames.Length + ips.Length == 0)
            {
                throw new CommandFailureException(ExitCodes.Usage, "give at least one --dns or --ip for the TLS server certificate");
            }

            string[] files = ["tls.key.pem", "tls.cert.pem", "signing.key.pem", "signing.cert.pem"];
            var existing = files.Where(f => File.Exists(Path.Combine(directory, f))).ToList();
            if (existing.Count > 0)
            {
                if (pr.GetValue(skipExisting) && existing.Count == files.Length)
                {
                    console.WriteLine($"Central keys already exist in {directory}; skipped");
                    return ExitCodes.Ok;
                }

                throw new CommandFailureException(ExitCodes.WouldOverwrite, $"{Path.Combine(directory, existing[0])} already exists; refusing to overwrite Central's keys");
            }

            var folder = new CaFolder(pr.GetValue(ca)!);
            var authority = folder.Open(time, IssuancePolicy.Default);
            KeyFiles.CreateDirectory(directory);
            foreach (var (profile, stem) in new[] { (CertificateProfile.CentralTls, "tls"), (CertificateProfile.CentralSigning, "signing") })
            {
                using var key = KeyFiles.NewKey();
                var result = authority.Issue(new PublicKey(key), profile, identity, dnsNames, ips);
                if (!result.IsSuccess)
                {
                    throw new CommandFailureException(ExitCodes.Refused, $"{result.ReasonCode}: {result.Detail}");
                }

                using var certificate = result.Value;
                KeyFiles.WriteNew(Path.Combine(directory, stem + ".key.pem"), KeyFiles.KeyPem(key), secret: true);
                folder.RecordIssued(certificate);
                KeyFiles.WriteNew(Path.Combine(directory, stem + ".cert.pem"), certificate.ExportCertificatePem(), secret: false);
                console.WriteLine($"issued {CertificateProfiles.Name(profile)} for {identity.Uri}: serial {RevocationEntry.CanonicalSerial(certificate)}");
            }

            KeyFiles.Replace(Path.Combine(directory, "ca.cert.pem"), authority.Certificate.ExportCertificatePem());
            console.WriteLine($"Central keys and certificates written to {directory}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Request()
    {
        var identity = new Option<string>("--identity") { Description = "The verifier's or auditor's identity, e.g. urn:transmission:verifier:verifier-1.", Required = true };
        var directory = new Option<string>("--dir") { Description = "Where to write tls.key.pem (0600) and tls.csr.pem.", Required = true };
        var export = new Option<string?>("--export-csr") { Description = "Also copy the CSR into this folder as '<id>.<profile>.csr.pem' (for 'pki issue --csr-dir')." };
        var skipExisting = SkipExistingOption("keys");
        var command = new Command("request", "On a verifier's or auditor's machine: generate a TLS client key (it never leaves) and a CSR for it. Stations use 'transmission-station keys init'. " + ExitCodes.HelpText);
        foreach (var option in new Option[] { identity, directory, export, skipExisting })
        {
            command.Options.Add(option);
        }

        command.SetGuardedAction((pr, console) =>
        {
            var parsed = CallerIdentity.Parse(pr.GetValue(identity)!);
            if (!parsed.IsSuccess || parsed.Value.Role is not (Role.Verifier or Role.Auditor))
            {
                throw new CommandFailureException(ExitCodes.Usage, $"--identity must be urn:transmission:verifier:<id> or urn:transmission:auditor:<id> ({(parsed.IsSuccess ? "wrong role" : parsed.ReasonCode)})");
            }

            var profile = parsed.Value.Role == Role.Verifier ? CertificateProfile.Verifier : CertificateProfile.Auditor;
            var dir = pr.GetValue(directory)!;
            var keyPath = Path.Combine(dir, "tls.key.pem");
            var csrPath = Path.Combine(dir, "tls.csr.pem");
            if (File.Exists(keyPath))
            {
                if (!pr.GetValue(skipExisting))
                {
                    throw new CommandFailureException(ExitCodes.WouldOverwrite, $"{keyPath} already exists; refusing to overwrite the key");
                }

                console.WriteLine($"key already exists in {dir}; skipped");
            }
            else
            {
                KeyFiles.CreateDirectory(dir);
                using var key = KeyFiles.NewKey();
                KeyFiles.WriteNew(keyPath, KeyFiles.KeyPem(key), secret: true);
                KeyFiles.WriteNew(csrPath, SigningRequests.CreatePem(key, parsed.Value), secret: false);
                console.WriteLine($"key and CSR for {parsed.Value.Uri} written to {dir}");
            }

            if (pr.GetValue(export) is { } exportDir)
            {
                KeyFiles.CreateDirectory(exportDir);
                var exported = Path.Combine(exportDir, $"{parsed.Value.Id}.{CertificateProfiles.Name(profile)}{CsrSuffix}");
                if (!File.Exists(exported))
                {
                    KeyFiles.WriteNew(exported, KeyFiles.ReadText(csrPath, "CSR"), secret: false);
                }
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>What an operator does after revoking or publishing; printed by <c>pki revoke</c> and <c>pki crl</c>.</summary>
    internal const string PublishHint =
        "Central puts a new CRL in force by itself, without a restart, once it is in the file its Central:Pki:Crl setting names: "
        + "it watches the file, re-reads it every Central:Pki:CrlReloadInterval (30 s by default), and at once on SIGHUP (kill -HUP <pid>).";

    private static Command Revoke(TimeProvider time)
    {
        var ca = CaOption();
        var certificate = new Option<string?>("--cert") { Description = "The certificate to revoke (PEM)." };
        var serial = new Option<string?>("--serial") { Description = "Or its serial number (hex, as shown by 'pki list')." };
        var identity = new Option<string?>("--identity")
        {
            Description = "Or every certificate this CA issued to an identity: a station code (both its TLS and its signing certificate) or a URN such as urn:transmission:verifier:verifier-1.",
        };
        var reason = new Option<string>("--reason")
        {
            Description = "CRL reason: " + string.Join(" | ", RevocationReasons.Names) + ".",
            DefaultValueFactory = _ => "unspecified",
        };
        reason.AcceptOnlyFromAmong([.. RevocationReasons.Names]);
        var command = new Command("revoke",
            "Record a revocation (effective now) in the CA's revocations.tsv. Only certificates issued by this CA can be revoked; a station has two "
            + "(TLS and signing): revoke both with --identity, or the one that must stop with --cert. "
            + "Then publish: 'pki crl --ca <ca> --out <Central's CRL file>'. " + PublishHint + " " + ExitCodes.HelpText);
        foreach (var option in new Option[] { ca, certificate, serial, identity, reason })
        {
            command.Options.Add(option);
        }

        command.SetGuardedAction((pr, console) =>
        {
            var folder = new CaFolder(pr.GetValue(ca)!);
            _ = folder.Root();
            var given = new[] { pr.GetValue(certificate), pr.GetValue(serial), pr.GetValue(identity) }.Count(v => v is not null);
            if (given != 1)
            {
                throw new CommandFailureException(ExitCodes.Usage, "give exactly one of --cert, --serial and --identity");
            }

            var targets = pr.GetValue(identity) is { } who ? IssuedTo(folder, who) : [FindIssued(folder, pr.GetValue(certificate), pr.GetValue(serial))];
            RevocationReasons.TryParse(pr.GetValue(reason)!, out var parsedReason);
            var at = time.GetUtcNow();
            at = new DateTimeOffset(at.UtcTicks - (at.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
            var revoked = 0;
            var recorded = folder.Revocations().ToDictionary(e => e.SerialNumber, StringComparer.Ordinal);
            foreach (var issued in targets)
            {
                using (issued)
                {
                    var canonical = RevocationEntry.CanonicalSerial(issued);
                    var name = Describe(issued);
                    if (recorded.TryGetValue(canonical, out var existing))
                    {
                        console.WriteLine($"serial {canonical} ({name}) is already revoked (since {existing.RevokedAt.UtcDateTime:u}, {RevocationReasons.Name(existing.Reason)})");
                        continue;
                    }

                    folder.AppendRevocation(new RevocationEntry(canonical, at, parsedReason));
                    revoked++;
                    console.WriteLine($"revoked serial {canonical} ({name}) at {at.UtcDateTime:u}, reason {pr.GetValue(reason)}");
                }
            }

            if (pr.GetValue(identity) is not null)
            {
                console.WriteLine($"revoked {revoked} certificate(s)");
            }

            if (revoked > 0)
            {
                console.WriteLine($"next: publish with 'pki crl --ca {folder.Path} --out <Central's CRL file>'. {PublishHint}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static X509Certificate2 FindIssued(CaFolder folder, string? certificatePath, string? serialHex)
    {
        X509Certificate2? given = null;
        string canonical;
        if (certificatePath is not null)
        {
            given = KeyFiles.ReadCertificate(certificatePath);
            canonical = RevocationEntry.CanonicalSerial(given);
        }
        else
        {
            canonical = RevocationEntry.CanonicalSerial(serialHex!) ?? throw new CommandFailureException(ExitCodes.Usage, $"--serial '{serialHex}' is not hex");
        }

        using (given)
        {
            var issued = folder.FindIssued(canonical);
            if (issued is null || (given is not null && !issued.RawDataMemory.Span.SequenceEqual(given.RawDataMemory.Span)))
            {
                issued?.Dispose();
                throw new CommandFailureException(ExitCodes.Refused, $"serial {canonical} was not issued by the CA in {folder.Path}");
            }

            return issued;
        }
    }

    private static List<X509Certificate2> IssuedTo(CaFolder folder, string text)
    {
        var parsed = text.StartsWith("urn:", StringComparison.Ordinal) ? CallerIdentity.Parse(text) : CallerIdentity.Create(Role.Station, text);
        if (!parsed.IsSuccess)
        {
            throw new CommandFailureException(ExitCodes.Usage, $"--identity: {parsed.ReasonCode}: {parsed.Detail}");
        }

        var matching = new List<X509Certificate2>();
        foreach (var issued in folder.Issued())
        {
            if (CallerIdentity.FromCertificate(issued) is { IsSuccess: true } named && named.Value == parsed.Value)
            {
                matching.Add(issued);
            }
            else
            {
                issued.Dispose();
            }
        }

        return matching.Count > 0
            ? matching
            : throw new CommandFailureException(ExitCodes.Refused, $"the CA in {folder.Path} issued no certificate to {parsed.Value.Uri}");
    }

    private static string Describe(X509Certificate2 certificate)
    {
        var who = CallerIdentity.FromCertificate(certificate);
        var profile = CertificateProfiles.Recognize(certificate) is { } p ? CertificateProfiles.Name(p) : "?";
        return $"{(who.IsSuccess ? who.Value.Uri : certificate.Subject)}, {profile}";
    }

    private static Command Crl(TimeProvider time)
    {
        var ca = CaOption();
        var output = new Option<string?>("--out") { Description = "Also write the CRL here (it is always written to <ca>/crl.pem)." };
        var days = new Option<int>("--days") { Description = "Days until nextUpdate.", DefaultValueFactory = _ => 7 };
        var command = new Command("crl", "Sign a new CRL of every recorded revocation, with the next CRL number. Write it with --out straight into Central's CRL file (the file is replaced atomically). " + PublishHint + " " + ExitCodes.HelpText);
        command.Options.Add(ca);
        command.Options.Add(output);
        command.Options.Add(days);
        command.SetGuardedAction((pr, console) =>
        {
            if (pr.GetValue(days) < 1)
            {
                throw new CommandFailureException(ExitCodes.Usage, "--days must be at least 1");
            }

            var folder = new CaFolder(pr.GetValue(ca)!);
            var authority = folder.Open(time, IssuancePolicy.Default with { CrlLifetime = TimeSpan.FromDays(pr.GetValue(days)) });
            var number = PublishCrl(folder, authority, pr.GetValue(output));
            console.WriteLine($"CRL number {number} with {folder.Revocations().Count} revoked certificate(s) -> {pr.GetValue(output) ?? folder.CrlPath}");
            console.WriteLine(pr.GetValue(output) is { } written
                ? $"next: Central's Central:Pki:Crl setting must name {written} (or copy the file to the one it names). {PublishHint}"
                : $"next: copy {folder.CrlPath} to the file Central's Central:Pki:Crl setting names (or publish with --out). {PublishHint}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command List(TimeProvider time)
    {
        var ca = CaOption();
        var command = new Command("list", "List every certificate this CA issued: serial, profile, identity, expiry, status. " + ExitCodes.HelpText);
        command.Options.Add(ca);
        command.SetGuardedAction((pr, console) =>
        {
            var folder = new CaFolder(pr.GetValue(ca)!);
            var root = folder.Root();
            var revoked = folder.Revocations().ToDictionary(e => e.SerialNumber, StringComparer.Ordinal);
            var now = time.GetUtcNow();
            console.WriteLine($"root {root.Subject} SHA-256 {Thumbprint(root)} valid until {root.NotAfter.ToUniversalTime():u}");
            console.WriteLine(string.Join('\t', "serial", "profile", "identity", "not-after", "status"));
            foreach (var certificate in folder.Issued())
            {
                using (certificate)
                {
                    var serial = RevocationEntry.CanonicalSerial(certificate);
                    var profile = CertificateProfiles.Recognize(certificate) is { } p ? CertificateProfiles.Name(p) : "?";
                    var who = CallerIdentity.FromCertificate(certificate);
                    var status = revoked.TryGetValue(serial, out var entry)
                        ? $"revoked {entry.RevokedAt.UtcDateTime:u} {RevocationReasons.Name(entry.Reason)}"
                        : now > certificate.NotAfter.ToUniversalTime() ? "expired" : "valid";
                    console.WriteLine(string.Join('\t', serial, profile, who.IsSuccess ? who.Value.Uri : who.ReasonCode, certificate.NotAfter.ToUniversalTime().ToString("u", CultureInfo.InvariantCulture), status));
                }
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static System.Numerics.BigInteger PublishCrl(CaFolder folder, ElectionCa authority, string? extraOutput)
    {
        var number = folder.LastCrlNumber() + 1;
        var pem = PemEncoding.WriteString("X509 CRL", authority.BuildRevocationList(folder.Revocations(), number));
        KeyFiles.Replace(folder.CrlPath, pem);
        if (extraOutput is not null && Path.GetFullPath(extraOutput) != Path.GetFullPath(folder.CrlPath))
        {
            KeyFiles.Replace(extraOutput, pem);
        }

        folder.SaveCrlNumber(number);
        return number;
    }

    private static CertificateProfile ParseProfile(string name) =>
        CertificateProfiles.TryParse(name, out var profile)
            ? profile
            : throw new CommandFailureException(ExitCodes.Usage, $"unknown profile '{name}' (use {string.Join(", ", CertificateProfiles.All.Select(CertificateProfiles.Name))})");

    private static CallerIdentity ResolveIdentity(string text, CertificateProfile profile)
    {
        var result = text.StartsWith("urn:", StringComparison.Ordinal)
            ? CallerIdentity.Parse(text)
            : CallerIdentity.Create(CertificateProfiles.RoleOf(profile), text);
        if (!result.IsSuccess)
        {
            throw new CommandFailureException(ExitCodes.Usage, $"identity: {result.ReasonCode}: {result.Detail}");
        }

        if (result.Value.Role != CertificateProfiles.RoleOf(profile))
        {
            throw new CommandFailureException(ExitCodes.Refused, $"IDENTITY_WRONG_ROLE: profile {CertificateProfiles.Name(profile)} cannot certify {result.Value.Uri}");
        }

        return result.Value;
    }

    private static HashSet<CallerIdentity> ReadRegistry(string path)
    {
        var set = new HashSet<CallerIdentity>();
        var lineNumber = 0;
        foreach (var raw in KeyFiles.ReadText(path, "identities file").Split('\n'))
        {
            lineNumber++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var parsed = line.StartsWith("urn:", StringComparison.Ordinal) ? CallerIdentity.Parse(line) : CallerIdentity.Create(Role.Station, line);
            if (!parsed.IsSuccess)
            {
                throw new CommandFailureException(ExitCodes.BadInput, $"{path}:{lineNumber}: {parsed.ReasonCode}: {parsed.Detail}");
            }

            set.Add(parsed.Value);
        }

        return set;
    }

    private static (string[] Dns, IPAddress[] Ips) SubjectNames(string[]? dns, string[]? ips)
    {
        var addresses = new List<IPAddress>();
        foreach (var text in ips ?? [])
        {
            addresses.Add(IPAddress.TryParse(text, out var address) ? address : throw new CommandFailureException(ExitCodes.Usage, $"--ip '{text}' is not an IP address"));
        }

        foreach (var name in dns ?? [])
        {
            if (Uri.CheckHostName(name) != UriHostNameType.Dns)
            {
                throw new CommandFailureException(ExitCodes.Usage, $"--dns '{name}' is not a DNS name");
            }
        }

        return (dns ?? [], [.. addresses]);
    }

    private static string Thumbprint(X509Certificate2 certificate) => Convert.ToHexString(certificate.GetCertHash(HashAlgorithmName.SHA256));
}
