using System.Buffers.Binary;
using Microsoft.Data.Sqlite;
using Transmission.Station.Outbox;
using Transmission.Testing;
using StationOutbox = Transmission.Station.Outbox.Outbox;

namespace Transmission.Station.Tests.Outbox;

public sealed class OutboxDurabilityTests : IDisposable
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly StationFolder _folder = new();
    private readonly TestClock _clock = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void RecordSigned_CrashImageTakenWhileOpen_KeepsTheSignedItem()
    {
        using var outbox = _folder.Open(_clock);
        var envelope = Signed.Envelope(1);
        var signed = outbox.RecordSigned(1, envelope, Signed.Payload(1), Signed.Scan());
        Assert.True(signed.IsSuccess, signed.ToString());

        // Why this models a kill: a killed process leaves on disk exactly what it had written, and SQLite writes
        // (WAL mode, synchronous=FULL: appended to outbox.db-wal and fsynced) before the commit returns. Copying the
        // files now, with the connection still open (no close, so no checkpoint and no WAL cleanup), is that image.
        // The -shm index is left out on purpose: it is rebuilt from the WAL on the next open, as after a real crash.
        // synchronous=FULL also makes the image survive a power cut, which a kill alone would not show.
        var wal = _folder.DatabasePath + "-wal";
        Assert.True(new FileInfo(wal).Length > 0, "the commit should still be in the WAL, not checkpointed");
        var image = _folder.NewSibling("crash-image");
        File.Copy(_folder.DatabasePath, Path.Combine(image, StationOutbox.FileName));
        File.Copy(wal, Path.Combine(image, StationOutbox.FileName + "-wal"));

        using var recovered = StationOutbox.Open(image, StationFolder.Station, _clock);
        var entry = Assert.Single(recovered.Status());
        Assert.Equal(OutboxState.Signed, entry.State);
        Assert.Equal(signed.Entry.EnvelopeSha256, entry.EnvelopeSha256);
        Assert.True(recovered.MarkQueued(1).IsSuccess);
        var due = Assert.Single(recovered.NextDue());
        Assert.Equal(envelope, due.Envelope);
        Assert.Equal(Signed.Scan()[0].Bytes, Assert.Single(due.Attachments).Bytes);
    }

    [Fact]
    public void RecordSigned_CrashImageWithoutTheWal_LacksIt()
    {
        // The control for the test above: the signed item lives in the WAL until a checkpoint, so the WAL is what
        // makes it durable (and must be copied, backed up and kept with outbox.db).
        using var outbox = _folder.Open(_clock);
        outbox.RecordSigned(1, Signed.Envelope(1), Signed.Payload(1), []);
        var image = _folder.NewSibling("db-only");
        File.Copy(_folder.DatabasePath, Path.Combine(image, StationOutbox.FileName));

        using var partial = StationOutbox.Open(image, StationFolder.Station, _clock);

        Assert.Empty(partial.Status());
    }

    [Fact]
    public async Task RecordSigned_TwoProcessesRaceOnOneRevision_ExactlyOneEnvelopeIsSigned()
    {
        // Two Outbox instances have two connections, as two station processes would.
        using var first = _folder.Open(_clock);
        using var second = _folder.Open(_clock);
        using var start = new Barrier(2);

        var a = Task.Run(() =>
        {
            start.SignalAndWait(TestTimeouts.Default);
            return first.RecordSigned(1, Signed.Envelope(1, "a"), Signed.Payload(1), []);
        });
        var b = Task.Run(() =>
        {
            start.SignalAndWait(TestTimeouts.Default);
            return second.RecordSigned(1, Signed.Envelope(1, "b"), Signed.Payload(1), []);
        });
        var results = await Task.WhenAll(a, b).DefaultTimeout();

        var winner = Assert.Single(results, r => r.IsSuccess);
        Assert.Single(results, r => r.Failure == OutboxFailure.AlreadySigned);
        Assert.Equal(winner.Entry!.EnvelopeSha256, Assert.Single(first.Status()).EnvelopeSha256);
    }

    [Fact]
    public void Open_BtreePageCorrupted_RefusesAndLeavesTheFileAsItWas()
    {
        using (var outbox = _folder.Open(_clock))
        {
            outbox.RecordSigned(1, Signed.Envelope(1), Signed.Payload(1), Signed.Scan());
        }

        // Corrupt a copy (the original stays as evidence of what was written): overwrite the page header of the
        // items table's root page, as a bad sector or a torn write would.
        var damaged = _folder.NewSibling("damaged");
        var path = Path.Combine(damaged, StationOutbox.FileName);
        File.Copy(_folder.DatabasePath, path);
        var (pageSize, rootPage) = PageOf(path, "items");
        var bytes = File.ReadAllBytes(path);
        bytes.AsSpan(checked((int)((rootPage - 1) * pageSize)), 16).Fill(0xFF);
        File.WriteAllBytes(path, bytes);

        var first = Assert.Throws<OutboxUnusableException>(() => StationOutbox.Open(damaged, StationFolder.Station, _clock));
        var second = Assert.Throws<OutboxUnusableException>(() => StationOutbox.Open(damaged, StationFolder.Station, _clock));

        Assert.Equal(OutboxUnusableException.Damaged, first.ReasonCode);
        Assert.Contains("damaged", first.Message, StringComparison.Ordinal);
        Assert.Contains(path, first.Message, StringComparison.Ordinal);
        Assert.Equal(OutboxUnusableException.Damaged, second.ReasonCode);
        Assert.Equal(bytes, File.ReadAllBytes(path));
        Assert.False(File.Exists(path + "-wal") && new FileInfo(path + "-wal").Length > 0);
    }

    [Fact]
    public void Open_QuickCheckFindsAnOrphanPage_RefusesWithItsReport()
    {
        using (var outbox = _folder.Open(_clock))
        {
            outbox.RecordSigned(1, Signed.Envelope(1), Signed.Payload(1), []);
        }

        // A structural fault that reading rows does not trip over but quick_check reports ("Page N: never used"):
        // one more page than any b-tree or the freelist accounts for (header field at offset 28: size in pages).
        var (pageSize, _) = PageOf(_folder.DatabasePath, "items");
        var bytes = File.ReadAllBytes(_folder.DatabasePath);
        var pages = BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(28));
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(28), pages + 1);
        bytes = [.. bytes, .. new byte[pageSize]];
        File.WriteAllBytes(_folder.DatabasePath, bytes);

        var failure = Assert.Throws<OutboxUnusableException>(() => _folder.Open(_clock));

        Assert.Equal(OutboxUnusableException.Damaged, failure.ReasonCode);
        Assert.Contains($"Page {pages + 1}", failure.Message, StringComparison.Ordinal);
        Assert.Equal(bytes, File.ReadAllBytes(_folder.DatabasePath));
    }

    [Fact]
    public void Open_NotADatabase_RefusesAndLeavesTheFileAsItWas()
    {
        var garbage = "this is not an outbox, but it may be someone's data\n"u8.ToArray().Concat(new byte[4096]).ToArray();
        File.WriteAllBytes(_folder.DatabasePath, garbage);

        var failure = Assert.Throws<OutboxUnusableException>(() => _folder.Open(_clock));

        Assert.Equal(OutboxUnusableException.Damaged, failure.ReasonCode);
        Assert.Equal(garbage, File.ReadAllBytes(_folder.DatabasePath));
    }

    [Fact]
    public void Open_NewOutbox_FilesAreOwnerOnly()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var outbox = _folder.Open(_clock);
        outbox.RecordSigned(1, Signed.Envelope(1), Signed.Payload(1), []);

        foreach (var suffix in new[] { string.Empty, "-wal", "-shm" })
        {
            var file = _folder.DatabasePath + suffix;
            Assert.True(File.Exists(file), file);
            Assert.Equal(OwnerOnly, File.GetUnixFileMode(file));
        }
    }

    [Fact]
    public void Open_ExistingOutboxReadableByOthers_TightenedToOwnerOnly()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using (var outbox = _folder.Open(_clock))
        {
            outbox.RecordSigned(1, Signed.Envelope(1), Signed.Payload(1), []);
        }

        File.SetUnixFileMode(_folder.DatabasePath, OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        using var reopened = _folder.Open(_clock);
        reopened.MarkQueued(1);

        Assert.Equal(OwnerOnly, File.GetUnixFileMode(_folder.DatabasePath));
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(_folder.DatabasePath + "-wal"));
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(_folder.DatabasePath + "-shm"));
    }

    [Fact]
    public void Open_NewOutbox_WalFullSyncAndCurrentSchemaVersion()
    {
        using (_folder.Open(_clock))
        {
        }

        using var connection = Raw(_folder.DatabasePath);
        Assert.Equal("wal", Scalar(connection, "PRAGMA journal_mode;"));
        Assert.Equal((long)OutboxSchema.CurrentVersion, Scalar(connection, "PRAGMA user_version;"));
        Assert.Equal(1L, OutboxSchema.CurrentVersion);
        Assert.Equal(StationFolder.Station, Scalar(connection, "SELECT value FROM outbox_meta WHERE key = 'station_code';"));
    }

    [Fact]
    public void Open_SchemaFromANewerVersion_RefusesAndLeavesItAlone()
    {
        using (_folder.Open(_clock))
        {
        }

        using (var connection = Raw(_folder.DatabasePath))
        {
            Scalar(connection, "PRAGMA user_version = 99;");
        }

        var failure = Assert.Throws<OutboxUnusableException>(() => _folder.Open(_clock));

        Assert.Equal(OutboxUnusableException.SchemaNewer, failure.ReasonCode);
        using var check = Raw(_folder.DatabasePath);
        Assert.Equal(99L, Scalar(check, "PRAGMA user_version;"));
    }

    [Fact]
    public void Open_AnotherStationsOutbox_Refused()
    {
        using (var outbox = _folder.Open(_clock))
        {
            outbox.RecordSigned(1, Signed.Envelope(1), Signed.Payload(1), []);
        }

        var failure = Assert.Throws<OutboxUnusableException>(() => _folder.Open(_clock, station: "PR-0002-B"));

        Assert.Equal(OutboxUnusableException.StationMismatch, failure.ReasonCode);
        using var outboxAgain = _folder.Open(_clock);
        Assert.Single(outboxAgain.Status());
    }

    [Fact]
    public void Schema_DeleteOrRewriteFromOutside_RefusedByTheFile()
    {
        using (var outbox = _folder.Open(_clock))
        {
            outbox.RecordSigned(1, Signed.Envelope(1), Signed.Payload(1), Signed.Scan());
            outbox.MarkQueued(1);
            outbox.MarkSent(1, TimeSpan.FromSeconds(30));
            outbox.RecordReceipt(System.Security.Cryptography.SHA256.HashData(Signed.Envelope(1)), [7]);
        }

        using (var connection = Raw(_folder.DatabasePath))
        {
            foreach (var sql in new[]
                     {
                         "DELETE FROM items;",
                         "DELETE FROM attachments;",
                         "UPDATE attachments SET bytes = x'00';",
                         "UPDATE items SET envelope = x'00', envelope_sha256 = zeroblob(32);",
                         "UPDATE items SET revision = 5;",
                         "UPDATE items SET receipt = x'08';",
                         "UPDATE items SET state = 'Queued';",
                     })
            {
                var refused = Assert.Throws<SqliteException>(() => Scalar(connection, sql));
                Assert.Contains("never", refused.Message, StringComparison.Ordinal);
            }
        }

        using var reopened = _folder.Open(_clock);
        var entry = Assert.Single(reopened.Status());
        Assert.Equal(OutboxState.Receipted, entry.State);
        Assert.Equal(1, entry.AttachmentCount);
        Assert.Equal(new byte[] { 7 }, reopened.ReadReceipt(1));
    }

    private static SqliteConnection Raw(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private static (long PageSize, long RootPage) PageOf(string path, string table)
    {
        // Page size: big-endian 16-bit at offset 16 of the header; 1 means 65536 (https://sqlite.org/fileformat.html#page_size).
        var header = new byte[100];
        using (var stream = File.OpenRead(path))
        {
            stream.ReadExactly(header);
        }

        var pageSize = BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(16)) is var raw && raw == 1 ? 65536L : raw;
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false,
        }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT rootpage FROM sqlite_schema WHERE type = 'table' AND name = $name;";
        command.Parameters.AddWithValue("$name", table);
        return (pageSize, (long)command.ExecuteScalar()!);
    }
}
