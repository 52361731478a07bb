using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Transmission.Contracts.V1;
using Transmission.Core.Election;
using Transmission.Core.Protocol;
using ElectionMode = Transmission.Core.Election.ElectionMode;
using ResultProtocol = Transmission.Core.Protocol.ResultProtocol;

namespace Transmission.Night;

/// <summary>Settings of one night.</summary>
/// <param name="Pki">The development PKI folder (certs-dev/out): stations.txt, stations/, election.json.</param>
/// <param name="Central">Central's https:// address.</param>
/// <param name="Stations">How many of the registry's stations take part.</param>
/// <param name="Parallel">How many station processes run at once.</param>
/// <param name="WorkDirectory">Where this night's station folders (copies with their own outboxes) live.</param>
/// <param name="SeparateProcesses">How many stations (the first of the registry) run every command as its own process; the rest run the same commands in this process.</param>
internal sealed record NightOptions(string Pki, Uri Central, int Stations, int Parallel, string WorkDirectory, int SeparateProcesses);

/// <summary>
/// One election night: every station fills in, checks, signs and sends its protocol with the real
/// station CLI; one station sends a correction, one a protocol that breaks a counting rule (with
/// the chair's explanation); then the bad cases: a tampered envelope, a station sending another
/// station's protocol, and a duplicate.
/// </summary>
internal sealed class NightRun(NightOptions options, TextWriter output)
{
    // Roles of the first stations of the registry in the demonstration.
    private const int CorrectionStation = 0;
    private const int FlaggedStation = 1;
    private const int DuplicateStation = 2;
    private const int VictimStation = 3;
    private const int ImpersonatorStation = 4;
    private const int TamperedStation = 5;
    private const int MinimumStations = 6;

    // One seed for the whole night: parties and candidates are equally popular across the country (the seed), and
    // each station varies around that by its code, as real neighbouring stations do.
    private const long NightSeed = 2025;

    private static readonly byte[] ScanPng = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==");

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var definitionPath = Path.Combine(options.Pki, "election.json");
        var parsed = ElectionDefinition.Parse(await File.ReadAllBytesAsync(definitionPath, cancellationToken));
        if (parsed.Definition is not { } definition)
        {
            await output.WriteLineAsync($"error: {definitionPath}: {parsed.Errors[0].Message}");
            return 2;
        }

        var codes = (await File.ReadAllLinesAsync(Path.Combine(options.Pki, "stations.txt"), cancellationToken))
            .Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        if (codes.Count < Math.Max(options.Stations, MinimumStations))
        {
            await output.WriteLineAsync($"error: the development PKI has {codes.Count} stations; run certs-dev/generate --stations {Math.Max(options.Stations, MinimumStations)}");
            return 2;
        }

        codes = codes.Take(Math.Max(options.Stations, MinimumStations)).ToList();
        await output.WriteLineAsync($"{(definition.Mode == ElectionMode.Live ? "LIVE ELECTION" : "TEST ELECTION (rehearsal)")} {definition.ElectionId}, definition SHA-256 {definition.Sha256Hex[..16]}…");
        var separate = Math.Min(options.SeparateProcesses, codes.Count);
        await output.WriteLineAsync($"{codes.Count} stations, each with its own folder, keys and outbox: {separate} run transmission-station as separate processes ({options.Parallel} at a time), {codes.Count - separate} run the same station commands in-process ({options.Parallel * 4} at a time)");

        var stopwatch = Stopwatch.StartNew();
        var results = new ConcurrentDictionary<string, StationResult>();
        var stations = codes.Select((code, index) => (code, index)).Where(s => s.index != DuplicateStation).ToList();
        await Parallel.ForEachAsync(
            stations.Where(s => s.index < separate),
            new ParallelOptions { MaxDegreeOfParallelism = options.Parallel, CancellationToken = cancellationToken },
            async (item, ct) => results[item.code] = await RunStationAsync(definition, definitionPath, item.code, item.index, StationProcess.RunAsync, ct));
        await Parallel.ForEachAsync(
            stations.Where(s => s.index >= separate),
            new ParallelOptions { MaxDegreeOfParallelism = options.Parallel * 4, CancellationToken = cancellationToken },
            async (item, ct) => results[item.code] = await RunStationAsync(definition, definitionPath, item.code, item.index, StationProcess.RunInProcessAsync, ct));
        var stationsDone = stopwatch.Elapsed;

        var correction = await RunCorrectionAsync(definition, codes[CorrectionStation], cancellationToken);
        var badCases = await RunBadCasesAsync(definition, codes, cancellationToken);
        stopwatch.Stop();

        await PrintSummaryAsync(results, correction, badCases, stationsDone, stopwatch.Elapsed);
        var reviewed = await new NightReview(options.Central, Path.Combine(options.Pki, "verifier-1"), options.WorkDirectory, output).RunAsync(cancellationToken);
        var allReceipted = results.Values.All(r => r.Receipted) && correction.Receipted;
        var badCasesAsExpected = badCases.All(b => b.AsExpected);
        return allReceipted && badCasesAsExpected && reviewed ? 0 : 1;
    }

    private string StationDirectory(string code) => Path.Combine(options.WorkDirectory, "stations", code);

    private async Task<StationResult> RunStationAsync(
        ElectionDefinition definition,
        string definitionPath,
        string code,
        int index,
        Func<IReadOnlyList<string>, CancellationToken, Task<StationRun>> station,
        CancellationToken ct)
    {
        var dir = StationDirectory(code);
        CopyStationKeys(Path.Combine(options.Pki, "stations", code), dir);
        var install = await station(["election", "install", "--dir", dir, "--definition", definitionPath], ct);
        if (install.ExitCode != 0)
        {
            return StationResult.Failed(code, "election install", install);
        }

        // The chair's template is the one 'protocol template' prints (the same Core code), made here to
        // spare one process start per station.
        var template = Path.Combine(dir, "protocol-1.json");
        await File.WriteAllBytesAsync(template, ProtocolTemplate.Create(definition, code), ct);
        var sample = SampleProtocols.Create(definition, code, NightSeed);
        var sign = new List<string> { "protocol", "sign", "--dir", dir, "--file", template };
        if (index == FlaggedStation)
        {
            // A real form with an explained discrepancy: two more valid ballots than the used ones allow.
            sample = sample with { Ballots = sample.Ballots with { Valid = sample.Ballots.Valid + 2 } };
            sign.AddRange(["--explain", "Two ballots found in the box after the count were added to party votes; noted on the paper form."]);
        }

        await File.WriteAllBytesAsync(template, ProtocolTemplate.Fill(await File.ReadAllBytesAsync(template, ct), sample), ct);
        if (index % 10 == 0)
        {
            var scan = Path.Combine(dir, "form-scan.png");
            await File.WriteAllBytesAsync(scan, ScanPng, ct);
            sign.AddRange(["--attach", scan]);
        }

        var signed = await station(sign, ct);
        if (signed.ExitCode != 0)
        {
            return StationResult.Failed(code, "protocol sign", signed);
        }

        var sent = await station(["send", "--dir", dir, "--central", options.Central.ToString(), "--max-wait", "120"], ct);
        return sent.ExitCode == 0 ? StationResult.Ok(code) : StationResult.Failed(code, "send", sent);
    }

    private async Task<StationResult> RunCorrectionAsync(ElectionDefinition definition, string code, CancellationToken ct)
    {
        var dir = StationDirectory(code);
        var template = Path.Combine(dir, "protocol-2.json");
        var made = await StationProcess.RunAsync(["protocol", "template", "--dir", dir, "--revision", "2", "--out", template], ct);
        if (made.ExitCode != 0)
        {
            return StationResult.Failed(code, "protocol template --revision 2", made);
        }

        // The recount moved three votes between the first two parties.
        var sample = SampleProtocols.Create(definition, code, NightSeed);
        var first = sample.Contests[0];
        var moved = first.Choices.Select((c, i) => i switch
        {
            0 when c.Votes >= 3 => c with { Votes = c.Votes - 3 },
            1 when first.Choices[0].Votes >= 3 => c with { Votes = c.Votes + 3 },
            _ => c,
        }).ToList();
        sample = sample with { Revision = 2, Contests = [first with { Choices = moved }, .. sample.Contests.Skip(1)] };
        await File.WriteAllBytesAsync(template, ProtocolTemplate.Fill(await File.ReadAllBytesAsync(template, ct), sample), ct);
        var signed = await StationProcess.RunAsync(
            ["protocol", "sign", "--dir", dir, "--file", template, "--correction-reason", "Recount ordered by the municipal commission"], ct);
        if (signed.ExitCode != 0)
        {
            return StationResult.Failed(code, "protocol sign (correction)", signed);
        }

        var sent = await StationProcess.RunAsync(["send", "--dir", dir, "--central", options.Central.ToString(), "--max-wait", "120"], ct);
        return sent.ExitCode == 0 ? StationResult.Ok(code) : StationResult.Failed(code, "send (correction)", sent);
    }

    private async Task<IReadOnlyList<BadCase>> RunBadCasesAsync(ElectionDefinition definition, IReadOnlyList<string> codes, CancellationToken ct)
    {
        var time = TimeProvider.System;
        var cases = new List<BadCase>();

        // 1. A tampered envelope: signed by the station, then one payload byte changed on the way.
        var tamperedCode = codes[TamperedStation];
        var genuine = RawSubmission.SignedEnvelope(definition, tamperedCode, StationDirectory(tamperedCode), seed: 9001, time);
        var tampered = await RawSubmission.SendAsync(options.Central, StationDirectory(tamperedCode), [RawSubmission.Tampered(genuine)], ct);
        cases.Add(BadCase.Expect("tampered envelope", tamperedCode, tampered, expectedStatus: 3, expectedCode: "SIGNATURE_INVALID"));

        // 2. Station B's protocol sent over station A's connection.
        var victim = codes[VictimStation];
        var impersonator = codes[ImpersonatorStation];
        var foreign = RawSubmission.SignedEnvelope(definition, victim, StationDirectory(victim), seed: 9002, time);
        var impersonation = await RawSubmission.SendAsync(options.Central, StationDirectory(impersonator), [foreign], ct);
        cases.Add(BadCase.Expect($"{impersonator} sends {victim}'s protocol", impersonator, impersonation, expectedStatus: 7, expectedCode: "STATION_MISMATCH"));

        // 3. A duplicate and a conflict: this station's device sends its signed protocol, then the same
        //    envelope again (same receipt, nothing new stored), then a different protocol for the same
        //    revision (refused as a conflict, kept as evidence).
        var duplicateCode = codes[DuplicateStation];
        CopyStationKeys(Path.Combine(options.Pki, "stations", duplicateCode), StationDirectory(duplicateCode));
        var envelope = RawSubmission.SignedEnvelope(definition, duplicateCode, StationDirectory(duplicateCode), seed: 9003, time);
        var first = await RawSubmission.SendAsync(options.Central, StationDirectory(duplicateCode), [envelope], ct);
        var again = await RawSubmission.SendAsync(options.Central, StationDirectory(duplicateCode), [envelope], ct);
        cases.Add(BadCase.ExpectDuplicateReceipt($"{duplicateCode} sends the same protocol twice", duplicateCode, first, again));
        var different = RawSubmission.SignedEnvelope(definition, duplicateCode, StationDirectory(duplicateCode), seed: 9004, time);
        var conflict = await RawSubmission.SendAsync(options.Central, StationDirectory(duplicateCode), [different], ct);
        cases.Add(BadCase.Expect($"{duplicateCode} sends another protocol for the same revision", duplicateCode, conflict, expectedStatus: 6, expectedCode: "REVISION_CONFLICT"));
        return cases;
    }

    private async Task PrintSummaryAsync(
        IReadOnlyDictionary<string, StationResult> results,
        StationResult correction,
        IReadOnlyList<BadCase> badCases,
        TimeSpan stationsDone,
        TimeSpan total)
    {
        var ok = results.Values.Count(r => r.Receipted);
        await output.WriteLineAsync();
        await output.WriteLineAsync("== Stations");
        await output.WriteLineAsync($"  receipted:  {ok} of {results.Count} in {stationsDone.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture)} s");
        foreach (var failed in results.Values.Where(r => !r.Receipted).OrderBy(r => r.Code, StringComparer.Ordinal))
        {
            await output.WriteLineAsync($"  FAILED {failed.Code} at {failed.Step}: {failed.Detail}");
        }

        await output.WriteLineAsync($"  correction: {correction.Code} revision 2 {(correction.Receipted ? "receipted" : $"FAILED at {correction.Step}: {correction.Detail}")}");
        await output.WriteLineAsync("== Deliberate bad cases");
        foreach (var bad in badCases)
        {
            await output.WriteLineAsync($"  {(bad.AsExpected ? "as expected" : "UNEXPECTED ")}  {bad.Name}: {bad.Observed}");
        }

        await output.WriteLineAsync($"== Elapsed {total.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture)} s");
    }

    private static void CopyStationKeys(string source, string destination)
    {
        if (Directory.Exists(destination))
        {
            Directory.Delete(destination, recursive: true);
        }

        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(destination);
        }
        else
        {
            // The folder holds private keys: owner only, as transmission-station keys init makes it.
            Directory.CreateDirectory(destination, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        foreach (var name in new[] { "identity", "tls.key.pem", "signing.key.pem", "tls.cert.pem", "signing.cert.pem", "ca.cert.pem" })
        {
            File.Copy(Path.Combine(source, name), Path.Combine(destination, name));
        }
    }
}

/// <summary>How one station's night went.</summary>
internal sealed record StationResult(string Code, bool Receipted, string Step, string Detail)
{
    public static StationResult Ok(string code) => new(code, true, string.Empty, string.Empty);

    public static StationResult Failed(string code, string step, StationRun run) => new(code, false, step, $"exit {run.ExitCode}: {run.LastLine}");
}

/// <summary>A deliberate bad case and whether Central answered it as it must.</summary>
internal sealed record BadCase(string Name, string Station, bool AsExpected, string Observed)
{
    public static BadCase Expect(string name, string station, IReadOnlyList<SubmitResponse> responses, int expectedStatus, string expectedCode)
    {
        var rejection = responses.SingleOrDefault()?.Rejection;
        var observed = rejection is null
            ? $"{responses.Count} response(s), no rejection"
            : $"refused with status {rejection.Status} {rejection.Code}: {rejection.Message}";
        return new BadCase(name, station, rejection?.Status == expectedStatus && rejection.Code == expectedCode, observed);
    }

    public static BadCase ExpectDuplicateReceipt(string name, string station, IReadOnlyList<SubmitResponse> first, IReadOnlyList<SubmitResponse> again)
    {
        var original = first.SingleOrDefault()?.Receipt;
        var repeated = again.SingleOrDefault()?.Receipt;
        var identical = original is not null && repeated is not null && repeated.Envelope.Span.SequenceEqual(original.Envelope.Span);
        return new BadCase(name, station, identical, identical
            ? "the same receipt, byte for byte (nothing new stored)"
            : $"first: {Describe(first)}; again: {Describe(again)}");
    }

    private static string Describe(IReadOnlyList<SubmitResponse> responses) =>
        responses.SingleOrDefault() is { } r ? (r.Receipt is not null ? "receipt" : $"refused {r.Rejection?.Code}") : $"{responses.Count} responses";
}
