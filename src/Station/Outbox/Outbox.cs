using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using Transmission.Cli.Localization;
using Transmission.Core.Pki;
using Transmission.Station.Localization;
using Transmission.Station.Protocol;

namespace Transmission.Station.Outbox;

/// <summary>
/// The station's durable outbox: every protocol revision from the chair's draft to Central's verified receipt, in
/// <c>outbox.db</c> (SQLite) in the station folder, next to the keys and the log.
/// </summary>
/// <remarks>
/// <para>
/// Durability: the file is in WAL mode with <c>synchronous=FULL</c>, so every commit is fsynced to the write-ahead log
/// before the call returns (https://sqlite.org/pragma.html#pragma_synchronous). In particular the signed envelope and
/// its attachments are on disk when <see cref="RecordSigned"/> returns, before any network I/O (design §6); a power
/// cut or a kill after that does not lose them.
/// </para>
/// <para>
/// Integrity: <see cref="Open"/> runs <c>PRAGMA quick_check</c> on a read-only connection first and refuses a damaged
/// file with <see cref="OutboxUnusableException"/>; the file is never recreated or repaired here, because it may hold
/// signed protocols that exist nowhere else.
/// </para>
/// <para>
/// Nothing is ever deleted: there is no delete operation, and the schema's triggers refuse deletes and any change to
/// a signed envelope, its attachments or a stored receipt. One revision is signed at most once.
/// </para>
/// <para>
/// An instance holds one connection and serializes its callers; several processes may open the same file (SQLite
/// locking, each write in a <c>BEGIN IMMEDIATE</c> transaction). Files are owner-only (0600) on Unix.
/// </para>
/// </remarks>
internal sealed class Outbox : IDisposable
{
    /// <summary>The file name in the station folder.</summary>
    public const string FileName = "outbox.db";

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    // Fixed-width UTC text: readable in any SQLite tool and ordered correctly by plain string comparison.
    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    private const string EntryColumns =
        "id, station_code, revision, state, payload_sha256, envelope_sha256, " +
        "(SELECT count(*) FROM attachments a WHERE a.item_id = items.id), attempts, next_attempt_at, last_error, " +
        "receipt IS NOT NULL, receipt_verified_at, created_at, updated_at";

    private readonly SqliteConnection _connection;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();

    private Outbox(SqliteConnection connection, string path, string stationCode, TimeProvider time)
    {
        _connection = connection;
        Path = path;
        StationCode = stationCode;
        _time = time;
    }

    /// <summary>The outbox file.</summary>
    public string Path { get; }

    /// <summary>The station this outbox belongs to (fixed when the file is created).</summary>
    public string StationCode { get; }

    /// <summary>
    /// Opens (or creates) <c>outbox.db</c> in <paramref name="stationDirectory"/> for <paramref name="stationCode"/>:
    /// checks its integrity, applies schema migrations, and tightens file modes to 0600.
    /// </summary>
    /// <exception cref="OutboxUnusableException">The file is damaged, newer than this code, or another station's.</exception>
    /// <exception cref="DirectoryNotFoundException">The station folder does not exist.</exception>
    public static Outbox Open(string stationDirectory, string stationCode, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(stationDirectory);
        ArgumentNullException.ThrowIfNull(timeProvider);
        if (!CallerIdentity.IsValidId(stationCode))
        {
            throw new ArgumentException($"'{stationCode}' is not a valid station code.", nameof(stationCode));
        }

        if (!Directory.Exists(stationDirectory))
        {
            throw new DirectoryNotFoundException($"the station folder {stationDirectory} does not exist (run 'keys init')");
        }

        var path = System.IO.Path.Combine(stationDirectory, FileName);
        CreateOwnerOnlyIfMissing(path);
        TightenModes(path);
        CheckIntegrity(path);

        var connection = new SqliteConnection(ConnectionString(path, SqliteOpenMode.ReadWrite));
        try
        {
            connection.Open();
            Configure(connection, path);
            OutboxSchema.Migrate(connection, path);
            ClaimForStation(connection, path, stationCode);
            TightenModes(path);
            return new Outbox(connection, path, stationCode, timeProvider);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Saves the chair's filled template for <paramref name="revision"/> (creating the Draft or replacing its JSON).
    /// Refused with <c>ALREADY_SIGNED</c> once that revision is signed, and <c>REVISION_STALE</c> below a signed one.
    /// </summary>
    public OutboxResult SaveDraft(long revision, string json)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(revision, 1);
        ArgumentNullException.ThrowIfNull(json);
        return Write(transaction =>
        {
            var now = Now();
            var existing = Find(transaction, "station_code = $station AND revision = $revision", StationCode, revision);
            if (existing is { State: not OutboxState.Draft })
            {
                return OutboxResult.Fail(OutboxFailure.AlreadySigned, $"revision {revision} is already signed; a correction needs a new revision", Localized.Format(StationText.OutboxAlreadySigned, revision));
            }

            if (existing is null)
            {
                if (HighestSigned(transaction) is { } highest && highest > revision)
                {
                    return Stale(revision, highest);
                }

                Execute(transaction,
                    "INSERT INTO items (station_code, revision, state, draft_json, created_at, updated_at) " +
                    "VALUES ($station, $revision, 'Draft', $json, $now, $now)",
                    ("$station", StationCode), ("$revision", revision), ("$json", json), ("$now", now));
            }
            else
            {
                Execute(transaction, "UPDATE items SET draft_json = $json, updated_at = $now WHERE id = $id",
                    ("$json", json), ("$now", now), ("$id", existing.Id));
            }

            return OutboxResult.Success(Get(transaction, StationCode, revision));
        });
    }

    /// <summary>The saved draft of <paramref name="revision"/>, if there is one (also kept after signing).</summary>
    public OutboxDraft? ReadDraft(long revision)
    {
        lock (_lock)
        {
            using var command = Command(null, "SELECT id, draft_json FROM items WHERE station_code = $station AND revision = $revision AND draft_json IS NOT NULL",
                ("$station", StationCode), ("$revision", revision));
            using var reader = command.ExecuteReader();
            if (!reader.Read())
            {
                return null;
            }

            var json = reader.GetString(1);
            return new OutboxDraft(Get(null, StationCode, revision), json);
        }
    }

    /// <summary>
    /// Records the signed envelope of <paramref name="revision"/> and its attachments in one transaction, durable
    /// (fsynced) before this returns. The same envelope and attachments again succeed with
    /// <see cref="OutboxResult.Unchanged"/>; a different envelope for a revision already signed is refused with
    /// <c>ALREADY_SIGNED</c> (the first stays untouched); a revision below a signed one with <c>REVISION_STALE</c>.
    /// A saved draft of the revision becomes the signed item (its JSON is kept).
    /// </summary>
    /// <param name="revision">The protocol revision inside the envelope.</param>
    /// <param name="envelope">The envelope bytes exactly as they will be sent.</param>
    /// <param name="payloadSha256">SHA-256 of the signed payload (32 bytes).</param>
    /// <param name="attachments">The attachment files the protocol lists (names unique).</param>
    public OutboxResult RecordSigned(long revision, byte[] envelope, byte[] payloadSha256, IReadOnlyList<OutboxAttachment> attachments)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(revision, 1);
        ArgumentNullException.ThrowIfNull(envelope);
        ArgumentNullException.ThrowIfNull(payloadSha256);
        ArgumentNullException.ThrowIfNull(attachments);
        if (envelope.Length == 0)
        {
            throw new ArgumentException("The envelope is empty.", nameof(envelope));
        }

        if (payloadSha256.Length != SHA256.HashSizeInBytes)
        {
            throw new ArgumentException("The payload digest must be 32 bytes.", nameof(payloadSha256));
        }

        if (attachments.Any(a => a is null || string.IsNullOrEmpty(a.Name) || string.IsNullOrEmpty(a.MediaType) || a.Bytes is null)
            || attachments.Select(a => a.Name).Distinct(StringComparer.Ordinal).Count() != attachments.Count)
        {
            throw new ArgumentException("Every attachment needs a unique name, a media type and bytes.", nameof(attachments));
        }

        var envelopeSha256 = SHA256.HashData(envelope);
        var attachmentDigests = attachments.Select(a => SHA256.HashData(a.Bytes)).ToArray();
        return Write(transaction =>
        {
            var now = Now();
            var existing = Find(transaction, "station_code = $station AND revision = $revision", StationCode, revision);
            if (existing is { State: not OutboxState.Draft })
            {
                return existing.EnvelopeSha256 == Convert.ToHexStringLower(envelopeSha256)
                       && SameAttachments(transaction, existing.Id, attachments, attachmentDigests)
                    ? OutboxResult.Success(existing, unchanged: true)
                    : OutboxResult.Fail(
                        OutboxFailure.AlreadySigned,
                        $"revision {revision} is already signed with another envelope (sha256 {existing.EnvelopeSha256}); " +
                        $"it is kept and this one is refused; a correction needs revision {(HighestSigned(transaction) ?? revision) + 1}",
                        Localized.Format(StationText.OutboxAlreadySignedOther, revision, existing.EnvelopeSha256, (HighestSigned(transaction) ?? revision) + 1));
            }

            if (HighestSigned(transaction) is { } highest && highest > revision)
            {
                return Stale(revision, highest);
            }

            var parameters = new (string, object?)[]
            {
                ("$station", StationCode), ("$revision", revision), ("$payload", payloadSha256), ("$envelopeSha", envelopeSha256),
                ("$envelope", envelope), ("$now", now),
            };
            if (existing is null)
            {
                Execute(transaction,
                    "INSERT INTO items (station_code, revision, state, payload_sha256, envelope_sha256, envelope, created_at, updated_at) " +
                    "VALUES ($station, $revision, 'Signed', $payload, $envelopeSha, $envelope, $now, $now)",
                    parameters);
            }
            else
            {
                Execute(transaction,
                    "UPDATE items SET state = 'Signed', payload_sha256 = $payload, envelope_sha256 = $envelopeSha, envelope = $envelope, updated_at = $now " +
                    "WHERE station_code = $station AND revision = $revision AND state = 'Draft'",
                    parameters);
            }

            var item = Get(transaction, StationCode, revision);
            for (var i = 0; i < attachments.Count; i++)
            {
                Execute(transaction,
                    "INSERT INTO attachments (item_id, ordinal, name, media_type, sha256, bytes) VALUES ($item, $ordinal, $name, $type, $sha, $bytes)",
                    ("$item", item.Id), ("$ordinal", i), ("$name", attachments[i].Name), ("$type", attachments[i].MediaType),
                    ("$sha", attachmentDigests[i]), ("$bytes", attachments[i].Bytes));
            }

            return OutboxResult.Success(Get(transaction, StationCode, revision));
        });
    }

    /// <summary>
    /// Queues a signed revision for sending, due now. Also re-queues one that stopped on an error (after the cause
    /// was fixed) or one marked sent whose outcome is unknown. Refused (<c>WRONG_STATE</c>) for a draft or a receipted item.
    /// </summary>
    public OutboxResult MarkQueued(long revision) => Transition(
        revision,
        [OutboxState.Signed, OutboxState.Queued, OutboxState.Sent],
        "queue",
        (transaction, item, now) => Execute(transaction,
            "UPDATE items SET state = 'Queued', next_attempt_at = $now, updated_at = $now WHERE id = $id",
            ("$now", now), ("$id", item.Id)));

    /// <summary>
    /// The queued items due now (next attempt time at or before the injected clock's now), lowest revision first so
    /// a correction never overtakes the revision it corrects. Includes items marked sent whose
    /// <c>resendAfter</c> has passed without an outcome (e.g. the process died mid-send): re-sending is safe, Central
    /// answers a duplicate with the same receipt.
    /// </summary>
    public IReadOnlyList<OutboxDelivery> NextDue(int limit = 100)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        lock (_lock)
        {
            using var transaction = _connection.BeginTransaction(deferred: true);
            var entries = FindAll(transaction,
                "state IN ('Queued', 'Sent') AND next_attempt_at IS NOT NULL AND next_attempt_at <= $now ORDER BY revision, id LIMIT $limit",
                ("$now", Now()), ("$limit", limit));
            var deliveries = new List<OutboxDelivery>(entries.Count);
            foreach (var entry in entries)
            {
                using var envelope = Command(transaction, "SELECT envelope FROM items WHERE id = $id", ("$id", entry.Id));
                var bytes = (byte[])envelope.ExecuteScalar()!;
                deliveries.Add(new OutboxDelivery(entry, bytes, ReadAttachments(transaction, entry.Id)));
            }

            transaction.Commit();
            return deliveries;
        }
    }

    /// <summary>
    /// Records that an attempt to send <paramref name="revision"/> starts now: counts it, and makes the item due again
    /// after <paramref name="resendAfter"/> if no outcome is recorded by then (a crash mid-send).
    /// Allowed from Queued and Sent; otherwise <c>WRONG_STATE</c>.
    /// </summary>
    public OutboxResult MarkSent(long revision, TimeSpan resendAfter)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(resendAfter, TimeSpan.Zero);
        return Transition(
            revision,
            [OutboxState.Queued, OutboxState.Sent],
            "mark as sent",
            (transaction, item, now) => Execute(transaction,
                "UPDATE items SET state = 'Sent', attempts = attempts + 1, next_attempt_at = $next, updated_at = $now WHERE id = $id",
                ("$next", Format(_time.GetUtcNow() + resendAfter)), ("$now", now), ("$id", item.Id)));
    }

    /// <summary>
    /// Records a failed attempt: back to Queued with <paramref name="error"/> shown to the chair, due again at
    /// <paramref name="nextAttemptAt"/>, or stopped when that is <see langword="null"/> (a failure retrying cannot
    /// fix; see <see cref="RetryPolicy"/>) until <see cref="MarkQueued"/>. Allowed from Queued and Sent.
    /// </summary>
    public OutboxResult RecordFailure(long revision, string error, DateTimeOffset? nextAttemptAt)
    {
        ArgumentException.ThrowIfNullOrEmpty(error);
        return Transition(
            revision,
            [OutboxState.Queued, OutboxState.Sent],
            "record a failure for",
            (transaction, item, now) => Execute(transaction,
                "UPDATE items SET state = 'Queued', last_error = $error, next_attempt_at = $next, updated_at = $now WHERE id = $id",
                ("$error", error), ("$next", nextAttemptAt is { } next ? Format(next) : null), ("$now", now), ("$id", item.Id)));
    }

    /// <summary>
    /// Stores Central's receipt for the envelope whose SHA-256 is <paramref name="envelopeSha256"/>. Call only after the
    /// receipt was verified (signature, log inclusion, and that it names this envelope). The same receipt again
    /// succeeds unchanged; a different one for an already receipted item is refused (<c>ALREADY_RECEIPTED</c>), the first kept.
    /// </summary>
    public OutboxResult RecordReceipt(byte[] envelopeSha256, byte[] receipt)
    {
        ArgumentNullException.ThrowIfNull(envelopeSha256);
        ArgumentNullException.ThrowIfNull(receipt);
        if (receipt.Length == 0)
        {
            throw new ArgumentException("The receipt is empty.", nameof(receipt));
        }

        return Write(transaction =>
        {
            var now = Now();
            var item = Find(transaction, "envelope_sha256 = $sha", ("$sha", envelopeSha256));
            if (item is null)
            {
                return OutboxResult.Fail(OutboxFailure.NotFound, $"no signed envelope with sha256 {Convert.ToHexStringLower(envelopeSha256)} in the outbox", Localized.Format(StationText.OutboxEnvelopeNotFound, Convert.ToHexStringLower(envelopeSha256)));
            }

            if (item.State == OutboxState.Receipted)
            {
                using var stored = Command(transaction, "SELECT receipt FROM items WHERE id = $id", ("$id", item.Id));
                return ((byte[])stored.ExecuteScalar()!).AsSpan().SequenceEqual(receipt)
                    ? OutboxResult.Success(item, unchanged: true)
                    : OutboxResult.Fail(OutboxFailure.AlreadyReceipted, $"revision {item.Revision} already has a different receipt; it is kept", Localized.Format(StationText.OutboxOtherReceipt, item.Revision));
            }

            if (item.State is not (OutboxState.Queued or OutboxState.Sent))
            {
                return WrongState(item, "record a receipt for");
            }

            Execute(transaction,
                "UPDATE items SET state = 'Receipted', receipt = $receipt, receipt_verified_at = $now, next_attempt_at = NULL, " +
                "last_error = NULL, updated_at = $now WHERE id = $id",
                ("$receipt", receipt), ("$now", now), ("$id", item.Id));
            return OutboxResult.Success(Get(transaction, StationCode, item.Revision));
        });
    }

    /// <summary>The stored receipt of <paramref name="revision"/>, if it has one.</summary>
    public byte[]? ReadReceipt(long revision)
    {
        lock (_lock)
        {
            using var command = Command(null, "SELECT receipt FROM items WHERE station_code = $station AND revision = $revision",
                ("$station", StationCode), ("$revision", revision));
            return command.ExecuteScalar() as byte[];
        }
    }

    /// <summary>The signed envelope of <paramref name="revision"/> exactly as stored, if it is signed.</summary>
    public byte[]? ReadEnvelope(long revision)
    {
        lock (_lock)
        {
            using var command = Command(null, "SELECT envelope FROM items WHERE station_code = $station AND revision = $revision",
                ("$station", StationCode), ("$revision", revision));
            return command.ExecuteScalar() as byte[];
        }
    }

    /// <summary>Every item in the outbox, by revision: state, attempts, last error and times.</summary>
    public IReadOnlyList<OutboxEntry> Status()
    {
        lock (_lock)
        {
            return FindAll(null, "1 = 1 ORDER BY revision, id");
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        lock (_lock)
        {
            _connection.Dispose();
        }
    }

    private static string ConnectionString(string path, SqliteOpenMode mode) => new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Mode = mode,
        // No pool: Dispose really closes the file, and nothing outlives the Outbox.
        Pooling = false,
        // Seconds to wait for another process's lock (SQLite busy handling) before failing.
        DefaultTimeout = 30,
    }.ToString();

    private static void CreateOwnerOnlyIfMissing(string path)
    {
        if (File.Exists(path))
        {
            return;
        }

        // An empty file is a valid empty database. Creating it ourselves gives it 0600 from the first moment, and
        // SQLite creates -wal and -shm with the database file's mode.
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnly;
        }

        try
        {
            using var stream = new FileStream(path, options);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process created it first: fine.
        }
    }

    private static void TightenModes(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        foreach (var file in new[] { path, path + "-wal", path + "-shm" })
        {
            if (File.Exists(file) && File.GetUnixFileMode(file) != OwnerOnly)
            {
                File.SetUnixFileMode(file, OwnerOnly);
            }
        }
    }

    /// <summary>
    /// Runs <c>PRAGMA quick_check</c> on a read-only connection, so a damaged file is never written to (not even by
    /// the checkpoint a read-write connection runs when it closes).
    /// </summary>
    private static void CheckIntegrity(string path)
    {
        var problems = new List<string>();
        try
        {
            using var connection = new SqliteConnection(ConnectionString(path, SqliteOpenMode.ReadOnly));
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA quick_check;";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                problems.Add(reader.GetString(0));
            }
        }
        catch (SqliteException e) when (e.SqliteErrorCode is SQLitePCL.raw.SQLITE_CORRUPT or SQLitePCL.raw.SQLITE_NOTADB)
        {
            throw Damaged(path, e.Message, e);
        }

        if (problems is not ["ok"])
        {
            throw Damaged(path, string.Join("; ", problems.Take(5)), null);
        }
    }

    private static OutboxUnusableException Damaged(string path, string detail, Exception? inner) => new(
        OutboxUnusableException.Damaged,
        $"the outbox {path} is damaged ({detail}); it was left untouched. Do not delete it: it may hold signed protocols. " +
        "Copy the station folder and contact the election office.",
        inner);

    private static void Configure(SqliteConnection connection, string path)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode = WAL;";
        var mode = command.ExecuteScalar() as string;
        if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
        {
            throw new IOException($"the outbox {path} cannot use write-ahead logging (journal mode {mode})");
        }

        // FULL: each commit fsyncs the WAL. fullfsync: on macOS fsync alone does not flush the drive's cache
        // (https://sqlite.org/pragma.html#pragma_fullfsync); elsewhere it is ignored.
        command.CommandText = "PRAGMA synchronous = FULL; PRAGMA fullfsync = ON; PRAGMA checkpoint_fullfsync = ON; PRAGMA foreign_keys = ON;";
        command.ExecuteNonQuery();
    }

    private static void ClaimForStation(SqliteConnection connection, string path, string stationCode)
    {
        using var transaction = connection.BeginTransaction(deferred: false);
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText =
            "INSERT INTO outbox_meta (key, value) VALUES ('station_code', $station) ON CONFLICT (key) DO NOTHING; " +
            "SELECT value FROM outbox_meta WHERE key = 'station_code';";
        command.Parameters.AddWithValue("$station", stationCode);
        var owner = (string)command.ExecuteScalar()!;
        transaction.Commit();
        if (!string.Equals(owner, stationCode, StringComparison.Ordinal))
        {
            throw new OutboxUnusableException(
                OutboxUnusableException.StationMismatch,
                $"the outbox {path} belongs to station {owner}, not {stationCode}");
        }
    }

    private OutboxResult Transition(long revision, OutboxState[] allowed, string action, Action<SqliteTransaction, OutboxEntry, string> update) =>
        Write(transaction =>
        {
            var now = Now();
            var item = Find(transaction, "station_code = $station AND revision = $revision", StationCode, revision);
            if (item is null)
            {
                return OutboxResult.Fail(OutboxFailure.NotFound, $"revision {revision} is not in the outbox", Localized.Format(StationText.OutboxRevisionNotFound, revision));
            }

            if (!allowed.Contains(item.State))
            {
                return WrongState(item, action);
            }

            update(transaction, item, now);
            return OutboxResult.Success(Get(transaction, StationCode, revision));
        });

    private static OutboxResult WrongState(OutboxEntry item, string action) =>
        OutboxResult.Fail(
            OutboxFailure.WrongState,
            $"cannot {action} revision {item.Revision}: it is {item.State}",
            Localized.Format(StationText.OutboxWrongState, ActionText(action), item.Revision, ProtocolCommands.StateName(item.State)));

    /// <summary>An operation's English name (as in the log detail) in the chair's language.</summary>
    private static string ActionText(string action) => action switch
    {
        "queue" => StationText.OutboxActionQueue,
        "mark as sent" => StationText.OutboxActionMarkSent,
        "record a failure for" => StationText.OutboxActionRecordFailure,
        "record a receipt for" => StationText.OutboxActionRecordReceipt,
        _ => action,
    };

    private static OutboxResult Stale(long revision, long highest) => OutboxResult.Fail(
        OutboxFailure.RevisionStale,
        $"revision {highest} is already signed; revision {revision} is below it (a correction needs revision {highest + 1})",
        Localized.Format(StationText.OutboxStale, highest, revision, highest + 1));

    /// <summary>Runs <paramref name="body"/> in one BEGIN IMMEDIATE transaction; commits on success, rolls back on a refusal.</summary>
    private OutboxResult Write(Func<SqliteTransaction, OutboxResult> body)
    {
        lock (_lock)
        {
            using var transaction = _connection.BeginTransaction(deferred: false);
            var result = body(transaction);
            if (result.IsSuccess && !result.Unchanged)
            {
                transaction.Commit();
            }
            else
            {
                transaction.Rollback();
            }

            return result;
        }
    }

    private long? HighestSigned(SqliteTransaction transaction)
    {
        using var command = Command(transaction, "SELECT max(revision) FROM items WHERE station_code = $station AND state <> 'Draft'", ("$station", StationCode));
        return command.ExecuteScalar() is long highest ? highest : null;
    }

    private bool SameAttachments(SqliteTransaction transaction, long itemId, IReadOnlyList<OutboxAttachment> attachments, byte[][] digests)
    {
        using var command = Command(transaction, "SELECT name, media_type, sha256 FROM attachments WHERE item_id = $item ORDER BY ordinal", ("$item", itemId));
        using var reader = command.ExecuteReader();
        var i = 0;
        while (reader.Read())
        {
            if (i >= attachments.Count
                || reader.GetString(0) != attachments[i].Name
                || reader.GetString(1) != attachments[i].MediaType
                || !((byte[])reader.GetValue(2)).AsSpan().SequenceEqual(digests[i]))
            {
                return false;
            }

            i++;
        }

        return i == attachments.Count;
    }

    private List<OutboxAttachment> ReadAttachments(SqliteTransaction transaction, long itemId)
    {
        using var command = Command(transaction, "SELECT name, media_type, bytes FROM attachments WHERE item_id = $item ORDER BY ordinal", ("$item", itemId));
        using var reader = command.ExecuteReader();
        var attachments = new List<OutboxAttachment>();
        while (reader.Read())
        {
            attachments.Add(new OutboxAttachment(reader.GetString(0), reader.GetString(1), (byte[])reader.GetValue(2)));
        }

        return attachments;
    }

    private OutboxEntry? Find(SqliteTransaction? transaction, string where, string station, long revision) =>
        Find(transaction, where, ("$station", station), ("$revision", revision));

    private OutboxEntry? Find(SqliteTransaction? transaction, string where, params (string Name, object? Value)[] parameters) =>
        FindAll(transaction, where, parameters) is [var single] ? single : null;

    private OutboxEntry Get(SqliteTransaction? transaction, string station, long revision) =>
        Find(transaction, "station_code = $station AND revision = $revision", station, revision)
        ?? throw new InvalidOperationException($"revision {revision} vanished from the outbox");

    private List<OutboxEntry> FindAll(SqliteTransaction? transaction, string where, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(transaction, $"SELECT {EntryColumns} FROM items WHERE {where}", parameters);
        using var reader = command.ExecuteReader();
        var entries = new List<OutboxEntry>();
        while (reader.Read())
        {
            entries.Add(new OutboxEntry(
                Id: reader.GetInt64(0),
                StationCode: reader.GetString(1),
                Revision: reader.GetInt64(2),
                State: Enum.Parse<OutboxState>(reader.GetString(3)),
                PayloadSha256: reader.IsDBNull(4) ? null : Convert.ToHexStringLower((byte[])reader.GetValue(4)),
                EnvelopeSha256: reader.IsDBNull(5) ? null : Convert.ToHexStringLower((byte[])reader.GetValue(5)),
                AttachmentCount: reader.GetInt32(6),
                Attempts: reader.GetInt32(7),
                NextAttemptAt: ParseOptional(reader, 8),
                LastError: reader.IsDBNull(9) ? null : reader.GetString(9),
                HasReceipt: reader.GetBoolean(10),
                ReceiptVerifiedAt: ParseOptional(reader, 11),
                CreatedAt: Parse(reader.GetString(12)),
                UpdatedAt: Parse(reader.GetString(13))));
        }

        return entries;
    }

    private void Execute(SqliteTransaction transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(transaction, sql, parameters);
        command.ExecuteNonQuery();
    }

    private SqliteCommand Command(SqliteTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = _connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    private string Now() => Format(_time.GetUtcNow());

    private static string Format(DateTimeOffset time) => time.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);

    private static DateTimeOffset Parse(string text) =>
        DateTimeOffset.ParseExact(text, TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    private static DateTimeOffset? ParseOptional(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : Parse(reader.GetString(ordinal));
}
