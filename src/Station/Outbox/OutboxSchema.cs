using Microsoft.Data.Sqlite;

namespace Transmission.Station.Outbox;

/// <summary>
/// The outbox schema and its migrations. The version is SQLite's <c>user_version</c> header field; each migration
/// runs in one transaction together with the new version, so a crash leaves the file at the old or the new version,
/// never in between. Migrations only ever add: the file is the device's record.
/// </summary>
internal static class OutboxSchema
{
    /// <summary>The version this code writes and understands.</summary>
    public static int CurrentVersion => Migrations.Length;

    // Migrations[i] takes the file from version i to version i + 1. Append; never edit a shipped one.
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE outbox_meta (
            key   TEXT PRIMARY KEY,
            value TEXT NOT NULL
        ) STRICT;

        CREATE TABLE items (
            id                  INTEGER PRIMARY KEY,
            station_code        TEXT    NOT NULL,
            revision            INTEGER NOT NULL CHECK (revision >= 1),
            state               TEXT    NOT NULL CHECK (state IN ('Draft', 'Signed', 'Queued', 'Sent', 'Receipted')),
            draft_json          TEXT,
            payload_sha256      BLOB    CHECK (payload_sha256 IS NULL OR length(payload_sha256) = 32),
            envelope_sha256     BLOB    UNIQUE CHECK (envelope_sha256 IS NULL OR length(envelope_sha256) = 32),
            envelope            BLOB,
            attempts            INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
            next_attempt_at     TEXT,
            last_error          TEXT,
            receipt             BLOB,
            receipt_verified_at TEXT,
            created_at          TEXT    NOT NULL,
            updated_at          TEXT    NOT NULL,
            UNIQUE (station_code, revision),
            -- A draft has no envelope; everything after it has one (with both digests), for good.
            CHECK ((state = 'Draft') = (envelope IS NULL)),
            CHECK ((envelope IS NULL) = (envelope_sha256 IS NULL) AND (envelope IS NULL) = (payload_sha256 IS NULL)),
            CHECK ((state = 'Receipted') = (receipt IS NOT NULL) AND (receipt IS NULL) = (receipt_verified_at IS NULL))
        ) STRICT;

        CREATE TABLE attachments (
            item_id    INTEGER NOT NULL REFERENCES items (id),
            ordinal    INTEGER NOT NULL CHECK (ordinal >= 0),
            name       TEXT    NOT NULL,
            media_type TEXT    NOT NULL,
            sha256     BLOB    NOT NULL CHECK (length(sha256) = 32),
            bytes      BLOB    NOT NULL,
            PRIMARY KEY (item_id, ordinal),
            UNIQUE (item_id, name)
        ) STRICT;

        CREATE INDEX items_due ON items (next_attempt_at) WHERE next_attempt_at IS NOT NULL;

        -- Defence in depth for design §6 ("nothing is deleted"; "never signed twice"): the code has no delete and
        -- never rewrites a signed envelope, and the file refuses both even from another tool using this schema.
        CREATE TRIGGER items_never_deleted BEFORE DELETE ON items
        BEGIN SELECT RAISE(ABORT, 'outbox items are never deleted'); END;

        CREATE TRIGGER attachments_never_deleted BEFORE DELETE ON attachments
        BEGIN SELECT RAISE(ABORT, 'outbox attachments are never deleted'); END;

        CREATE TRIGGER attachments_never_changed BEFORE UPDATE ON attachments
        BEGIN SELECT RAISE(ABORT, 'outbox attachments never change'); END;

        CREATE TRIGGER signed_envelope_never_changed
        BEFORE UPDATE OF envelope, envelope_sha256, payload_sha256, station_code, revision ON items
        WHEN OLD.envelope IS NOT NULL
         AND (NEW.envelope IS NOT OLD.envelope OR NEW.envelope_sha256 IS NOT OLD.envelope_sha256
              OR NEW.payload_sha256 IS NOT OLD.payload_sha256 OR NEW.station_code IS NOT OLD.station_code
              OR NEW.revision IS NOT OLD.revision)
        BEGIN SELECT RAISE(ABORT, 'a signed envelope never changes'); END;

        CREATE TRIGGER receipt_never_changed BEFORE UPDATE OF receipt, state ON items
        WHEN OLD.receipt IS NOT NULL AND (NEW.receipt IS NOT OLD.receipt OR NEW.state IS NOT OLD.state)
        BEGIN SELECT RAISE(ABORT, 'a stored receipt never changes'); END;
        """,
    ];

    /// <summary>
    /// Brings the file up to <see cref="CurrentVersion"/>, one migration per transaction. Refuses a file written by a
    /// newer version rather than guess at its meaning.
    /// </summary>
    public static void Migrate(SqliteConnection connection, string path)
    {
        while (true)
        {
            // BEGIN IMMEDIATE: the version is read under the write lock, so two processes opening a new file at
            // once cannot both run the same migration.
            using var transaction = connection.BeginTransaction(deferred: false);
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "PRAGMA user_version;";
            var version = Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
            if (version > CurrentVersion)
            {
                throw new OutboxUnusableException(
                    OutboxUnusableException.SchemaNewer,
                    $"the outbox {path} was written by a newer version of transmission-station (schema {version}, this one knows {CurrentVersion}); use that version");
            }

            if (version == CurrentVersion)
            {
                transaction.Commit();
                return;
            }

            command.CommandText = Migrations[version] + $"\nPRAGMA user_version = {version + 1};";
            command.ExecuteNonQuery();
            transaction.Commit();
        }
    }
}
