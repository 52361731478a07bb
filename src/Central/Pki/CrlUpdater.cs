using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Transmission.Central.Access;
using Transmission.Central.Storage;
using Transmission.Central.Submission;
using Transmission.Core.Pki;

namespace Transmission.Central.Pki;

/// <summary>
/// Puts a changed CRL file in force without a restart (docs/protocol.md section 3): reads the file, and when its bytes
/// changed, has <see cref="ReloadableElectionTrust"/> check and swap it in; then ends the running calls of revoked
/// callers (<see cref="OpenCalls"/>), and stores the CRL with one transparency-log entry per newly revoked serial
/// (<see cref="SubmissionStore.StoreRevocationListAsync"/>). A refused file keeps the CRL in force and raises a
/// <see cref="RefusedEventKind"/> security event, once per distinct file content. <see cref="CrlWatcher"/> decides when
/// to check; checks never overlap.
/// </summary>
/// <remarks>
/// The CRL is put in force before it is stored: a revocation must not wait for the database. If storing fails
/// (storage unavailable) the next check tries again; the writer's <see cref="SubmissionGate"/> keeps the log in order
/// meanwhile (no submission of a revoked signer is logged after the revocation).
/// </remarks>
public sealed partial class CrlUpdater
{
    /// <summary>The security event kind of a refused CRL file.</summary>
    public const string RefusedEventKind = "CRL_REFUSED";

    private readonly ReloadableElectionTrust _trust;
    private readonly SubmissionStore _store;
    private readonly SubmissionQueries _queries;
    private readonly SecurityEventStore _events;
    private readonly KnownCertificates _known;
    private readonly OpenCalls _calls;
    private readonly string _electionId;
    private readonly TimeProvider _time;
    private readonly ILogger<CrlUpdater> _logger;
    private readonly SemaphoreSlim _checking = new(1, 1);
    private string? _lastFile;
    private Unstored? _unstored;

    /// <summary>Creates the updater (one per Central).</summary>
    public CrlUpdater(
        ReloadableElectionTrust trust,
        SubmissionStore store,
        SubmissionQueries queries,
        SecurityEventStore events,
        KnownCertificates known,
        OpenCalls calls,
        CentralElection election,
        TimeProvider time,
        ILogger<CrlUpdater> logger)
    {
        ArgumentNullException.ThrowIfNull(trust);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(known);
        ArgumentNullException.ThrowIfNull(calls);
        ArgumentNullException.ThrowIfNull(election);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _trust = trust;
        _store = store;
        _queries = queries;
        _events = events;
        _known = known;
        _calls = calls;
        _electionId = election.Definition.ElectionId;
        _time = time;
        _logger = logger;
    }

    /// <summary>The CRL file.</summary>
    public string CrlPath => _trust.CrlPath;

    /// <summary>Raised after every <see cref="CheckAsync"/>, on the checking thread, with its outcome (for observers and tests).</summary>
    public event EventHandler<CrlCheck>? Checked;

    /// <summary>
    /// At start-up, before Central serves: if the database holds a CRL newer than the file (or the same number with other
    /// content), that one stays in force and the file is refused; then the CRL in force is stored (once: the same CRL
    /// again is recognised) with the log entries of its revocations.
    /// </summary>
    /// <exception cref="InvalidOperationException">The stored CRL does not verify with the election root (a database of another election).</exception>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await _checking.WaitAsync(cancellationToken);
        try
        {
            var file = ReadFile();
            var inForce = _trust.Current.Revocations;
            var stored = await _queries.GetLatestRevocationListAsync(cancellationToken);
            if (stored is not null && (stored.Number > inForce.Number || (stored.Number == inForce.Number && !stored.Der.AsSpan().SequenceEqual(inForce.RawData.Span))))
            {
                // A file older than what Central already put in force (restored from a backup, or rolled back on
                // purpose) must not undo a revocation: the stored CRL stays in force.
                var restored = _trust.Restore(stored.Der, "the database (the last CRL Central put in force)");
                if (!restored.IsSuccess)
                {
                    throw new InvalidOperationException($"The database holds CRL number {stored.Number}, which the election root does not verify ({restored.ReasonCode}: {restored.Detail}); is it another election's database?");
                }

                _lastFile = file.Key;
                LogOlderAtStartUp(_logger, CrlPath, Invariant($"{inForce.Number}"), Invariant($"{stored.Number}"));
                await RecordRefusedAsync(
                    PkiFailure.CrlUntrusted.ToReasonCode(),
                    Invariant($"CRL number {inForce.Number} in {CrlPath} is not the newest CRL Central put in force (number {stored.Number}, {stored.LoadedAt.UtcDateTime:u}); that one stays in force"),
                    file.Key,
                    "start-up",
                    cancellationToken);
                return;
            }

            // _lastFile stays unset: the first check reads the file again, in case it changed since the trust loaded it.
            await StoreAsync(inForce, _time.GetUtcNow(), cancellationToken);
        }
        finally
        {
            _checking.Release();
        }
    }

    /// <summary>
    /// Reads the CRL file; when its bytes differ from the last examined, puts it in force (or refuses it). A CRL in force
    /// but not yet stored is stored first.
    /// </summary>
    /// <param name="trigger">What asked for the check (file change, periodic, SIGHUP), for the log.</param>
    /// <param name="cancellationToken">Stops waiting for a running check or for storage.</param>
    public async Task<CrlCheck> CheckAsync(string trigger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(trigger);
        await _checking.WaitAsync(cancellationToken);
        CrlCheck outcome;
        try
        {
            outcome = await CheckLockedAsync(trigger, cancellationToken);
        }
        finally
        {
            _checking.Release();
        }

        LogChecked(_logger, trigger.Contains(CrlWatcher.SighupTrigger, StringComparison.Ordinal) ? LogLevel.Information : LogLevel.Debug, trigger, outcome.Result.ToString(), Invariant($"{outcome.NumberInForce}"), outcome.Detail);
        Checked?.Invoke(this, outcome);
        return outcome;
    }

    private async Task<CrlCheck> CheckLockedAsync(string trigger, CancellationToken cancellationToken)
    {
        if (_unstored is { } unstored)
        {
            await StoreAsync(unstored.List, unstored.LoadedAt, cancellationToken);
        }

        var file = ReadFile();
        if (file.Key == _lastFile)
        {
            return Outcome(trigger, CrlCheckResult.Unchanged, null, "the file is unchanged");
        }

        _lastFile = file.Key;
        if (file.Text is null)
        {
            LogUnreadable(_logger, CrlPath, file.Problem!);
            return await RecordRefusedAsync(PkiFailure.CrlMalformed.ToReasonCode(), Invariant($"{CrlPath} cannot be read: {file.Problem}"), file.Key, trigger, cancellationToken);
        }

        var before = _trust.Current.Revocations;
        var result = _trust.PutInForce(file.Text, CrlPath);
        if (!result.IsSuccess)
        {
            return await RecordRefusedAsync(result.ReasonCode!, result.Detail, file.Key, trigger, cancellationToken);
        }

        if (ReferenceEquals(result.Value, before))
        {
            return Outcome(trigger, CrlCheckResult.Unchanged, null, "the file holds the CRL in force");
        }

        var loadedAt = _time.GetUtcNow();
        var ended = _calls.EndRefused(_trust.Current, loadedAt);
        await StoreAsync(result.Value, loadedAt, cancellationToken);
        return Outcome(trigger, CrlCheckResult.InForce, null, Invariant($"{result.Value.Entries.Count} revoked certificate(s); {ended} running call(s) ended"));
    }

    private async Task StoreAsync(RevocationList list, DateTimeOffset loadedAt, CancellationToken cancellationToken)
    {
        var number = checked((long)list.Number);
        var der = list.RawData.ToArray();
        var ordered = list.Entries.OrderBy(e => e.RevokedAt).ThenBy(e => e.SerialNumber, StringComparer.Ordinal).ToList();
        // Only serials not logged yet need a name and an entry; the writer decides again inside its transaction.
        var logged = await _queries.GetLoggedRevocationSerialsAsync([.. ordered.Select(e => e.SerialNumber)], cancellationToken);
        var fresh = ordered.Where(e => !logged.Contains(e.SerialNumber)).ToList();
        var names = await _known.ResolveAsync([.. fresh.Select(e => e.SerialNumber)], _queries, _trust.Current, cancellationToken);
        var pending = new PendingRevocationList(
            number,
            der,
            SHA256.HashData(der),
            list.ThisUpdate,
            loadedAt,
            [.. fresh.Select(e =>
            {
                var subject = names.GetValueOrDefault(e.SerialNumber, string.Empty);
                return new PendingRevocation(e.SerialNumber, e.RevokedAt, (int)RevocationEntries.ReasonCode(e), subject, RevocationEntries.Create(_electionId, e, subject, list, loadedAt));
            })]);
        var outcome = await _store.StoreRevocationListAsync(pending, cancellationToken);
        var numberText = Invariant($"{number}");
        switch (outcome)
        {
            case RevocationListStored stored:
                _unstored = null;
                LogStored(_logger, numberText, stored.Appended.Count, stored.Appended.Count == 0 ? "-" : Invariant($"{stored.Appended.Values.Min()}..{stored.Appended.Values.Max()}"));
                break;
            case RevocationListAlreadyStored:
                _unstored = null;
                break;
            case RevocationListRefused refused:
                _unstored = null;
                LogNotStored(_logger, numberText, refused.Reason);
                break;
            case RevocationListStorageUnavailable unavailable:
                _unstored = new Unstored(list, loadedAt);
                LogStorageUnavailable(_logger, numberText, unavailable.Reason);
                break;
            default:
                throw new InvalidOperationException($"Unknown CRL storage outcome {outcome.GetType().Name}.");
        }
    }

    private async Task<CrlCheck> RecordRefusedAsync(string reasonCode, string detail, string fileKey, string trigger, CancellationToken cancellationToken)
    {
        await _events.RecordAsync(RefusedEventKind, null, null, $"{reasonCode}: {detail} (file {CrlPath}, {fileKey}; {trigger})", cancellationToken);
        return Outcome(trigger, CrlCheckResult.Refused, reasonCode, detail);
    }

    private CrlCheck Outcome(string trigger, CrlCheckResult result, string? reasonCode, string detail) =>
        new(trigger, result, _trust.Current.Revocations.Number, reasonCode, detail);

    // The file as bytes once: what is hashed is what is parsed. Key: the SHA-256 of the bytes, or the read error.
    private CrlFile ReadFile()
    {
        try
        {
            var bytes = File.ReadAllBytes(CrlPath);
            return new CrlFile("SHA-256 " + Convert.ToHexStringLower(SHA256.HashData(bytes)), Encoding.UTF8.GetString(bytes), null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new CrlFile("unreadable: " + e.Message, null, e.Message);
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    [LoggerMessage(EventId = 4112, EventName = "CrlChecked", Message = "CRL check ({Trigger}): {Result}, CRL number {CrlNumber} in force; {Detail}")]
    private static partial void LogChecked(ILogger logger, LogLevel level, string trigger, string result, string crlNumber, string detail);

    [LoggerMessage(EventId = 4113, EventName = "CrlUnreadable", Level = LogLevel.Error, Message = "Security event: the CRL file {CrlPath} cannot be read ({Problem}); the previous CRL stays in force")]
    private static partial void LogUnreadable(ILogger logger, string crlPath, string problem);

    [LoggerMessage(EventId = 4114, EventName = "CrlStored", Level = LogLevel.Information, Message = "CRL number {CrlNumber} stored; {Count} revocation(s) appended to the log (indexes {Indexes})")]
    private static partial void LogStored(ILogger logger, string crlNumber, int count, string indexes);

    [LoggerMessage(EventId = 4115, EventName = "CrlNotStored", Level = LogLevel.Warning, Message = "CRL number {CrlNumber} is in force but was not stored: {Reason}")]
    private static partial void LogNotStored(ILogger logger, string crlNumber, string reason);

    [LoggerMessage(EventId = 4116, EventName = "CrlStorageUnavailable", Level = LogLevel.Warning, Message = "CRL number {CrlNumber} is in force but not stored yet: storage is unavailable ({Reason}); the next check tries again")]
    private static partial void LogStorageUnavailable(ILogger logger, string crlNumber, string reason);

    [LoggerMessage(EventId = 4119, EventName = "CrlOlderThanStored", Level = LogLevel.Error, Message = "Security event: the CRL file {CrlPath} (number {FileNumber}) is not the newest CRL Central put in force (number {StoredNumber}, from its database); that one stays in force")]
    private static partial void LogOlderAtStartUp(ILogger logger, string crlPath, string fileNumber, string storedNumber);

    private sealed record CrlFile(string Key, string? Text, string? Problem);

    private sealed record Unstored(RevocationList List, DateTimeOffset LoadedAt);
}

/// <summary>What a CRL check found.</summary>
public enum CrlCheckResult
{
    /// <summary>The file did not change (or holds the CRL in force): nothing happened.</summary>
    Unchanged,

    /// <summary>A new CRL is in force.</summary>
    InForce,

    /// <summary>The file was refused; the previous CRL stays in force and a security event was recorded.</summary>
    Refused,
}

/// <summary>The outcome of one <see cref="CrlUpdater.CheckAsync"/>.</summary>
/// <param name="Trigger">What asked for the check.</param>
/// <param name="Result">What it found.</param>
/// <param name="NumberInForce">The cRLNumber in force after the check.</param>
/// <param name="ReasonCode">For <see cref="CrlCheckResult.Refused"/>: <c>CRL_MALFORMED</c> or <c>CRL_UNTRUSTED</c>.</param>
/// <param name="Detail">Readable detail.</param>
// Invariant: ReasonCode is set exactly when Result is Refused.
public sealed record CrlCheck(string Trigger, CrlCheckResult Result, BigInteger NumberInForce, string? ReasonCode, string Detail);
