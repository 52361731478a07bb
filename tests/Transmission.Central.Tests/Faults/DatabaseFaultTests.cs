using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Transmission.Central.Storage;
using Transmission.Central.Submission;
using Transmission.Central.Tests.Hosting;
using Transmission.Central.Tests.Storage;
using Transmission.Station.Sending;
using Transmission.Testing;

namespace Transmission.Central.Tests.Faults;

/// <summary>
/// Issue 7, item 1 (design §11 "database locked or disk full"): the real Central (Kestrel, mutual TLS, SQLite) loses its
/// database while a station sends. The station sees UNAVAILABLE with Central's exact message, Central logs why, stores
/// nothing it did not commit, and when the condition clears the station's own retry gets its receipt, with nothing
/// duplicated and the database and log intact (<see cref="FaultInvariants"/>, <c>PRAGMA integrity_check</c>).
/// </summary>
[Trait("Store", TestStore.SqliteOnly)]
public sealed class DatabaseFaultTests : IAsyncLifetime
{
    private readonly DevelopmentPki _pki = new();

    public Task InitializeAsync() => _pki.InitializeAsync();

    public Task DisposeAsync()
    {
        _pki.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Submit_DatabaseLockedByAnotherWriter_UnavailableUntilReleasedThenTheStationsRetrySucceeds()
    {
        await using var central = new RunningCentral(_pki, pkiOwnedByCaller: true, o => o.Storage.BusyTimeout = TimeSpan.FromMilliseconds(200));
        await central.InitializeAsync();
        await SendBaselineAsync(central);
        await FaultStations.SignAsync(_pki, "ST-0002", scanBytes: 200_000);

        // Another writer (a backup tool, an operator's sqlite3 shell) holds SQLite's write lock on Central's file.
        await using var locker = new SqliteConnection($"Data Source={Path.Combine(_pki.DataDirectory, CentralDatabase.FileName)}");
        await locker.OpenAsync();
        await ExecuteAsync(locker, "BEGIN EXCLUSIVE");

        var (sending, retry) = await SendUntilRetryingAsync(central, "ST-0002");

        Assert.Equal("UNAVAILABLE", retry.Code);
        Assert.Equal(SubmissionService.StorageUnavailableMessage, retry.Message);
        Assert.Contains(central.Logs.Records, r => r.EventId.Id == 5004 && r.Level == LogLevel.Warning && r.Message.Contains("SQLITE_BUSY", StringComparison.Ordinal));
        Assert.Equal(1L, await ScalarAsync(locker, "SELECT COUNT(*) FROM \"Submissions\""));
        Assert.Equal(1L, await ScalarAsync(locker, "SELECT COUNT(*) FROM \"LogEntries\""));
        Assert.False(sending.IsCompleted);

        // The other writer lets go: the station's own next attempt goes through.
        await ExecuteAsync(locker, "ROLLBACK");
        var result = await sending.DefaultTimeout(TimeSpan.FromMinutes(2));

        Assert.Equal(SendOutcome.AllReceipted, result.Outcome);
        Assert.Equal(2, await FaultInvariants.AssertAsync(_pki, [("ST-0001", _pki.StationDir("ST-0001")), ("ST-0002", _pki.StationDir("ST-0002"))]));
        central.Logs.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task Submit_FileSystemFull_UnavailableUntilSpaceIsFreedThenTheStationsRetrySucceeds()
    {
        // A real full disk: Central's data folder is a 32 MiB tmpfs of its own, filled up by another file.
        Directory.CreateDirectory(_pki.DataDirectory);
        await RunAsync("mount", "-t", "tmpfs", "-o", "size=32m", "transmission-fault", _pki.DataDirectory);
        try
        {
            await using var central = new RunningCentral(_pki, pkiOwnedByCaller: true);
            await central.InitializeAsync();
            await SendBaselineAsync(central);
            // The scan (1 MB) cannot fit in what SQLite already has allocated: storing it has to grow the files.
            await FaultStations.SignAsync(_pki, "ST-0002", scanBytes: 1_000_000);
            var ballast = Path.Combine(_pki.DataDirectory, "ballast");
            Fill(ballast);

            var (sending, retry) = await SendUntilRetryingAsync(central, "ST-0002");

            Assert.Equal("UNAVAILABLE", retry.Code);
            Assert.Equal(SubmissionService.StorageUnavailableMessage, retry.Message);
            Assert.Contains(central.Logs.Records, r => r.EventId.Id == 5004 && r.Level == LogLevel.Warning && r.Message.Contains("SQLITE_FULL", StringComparison.Ordinal));
            Assert.False(sending.IsCompleted);

            // Space is freed: the station's own next attempt goes through.
            File.Delete(ballast);
            var result = await sending.DefaultTimeout(TimeSpan.FromMinutes(2));

            Assert.Equal(SendOutcome.AllReceipted, result.Outcome);
            Assert.Equal(2, await FaultInvariants.AssertAsync(_pki, [("ST-0001", _pki.StationDir("ST-0001")), ("ST-0002", _pki.StationDir("ST-0002"))]));
            central.Logs.AssertNoUnexpectedErrors();
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            await RunAsync("umount", "--lazy", _pki.DataDirectory);
        }
    }

    [Fact]
    public async Task Submit_FileSystemTurnsReadOnly_UnavailableNothingLostThenAfterRepairTheStationsRetrySucceeds()
    {
        // A real disk error under a running Central: its data folder is an ext4 file system on a loop device, mounted
        // errors=remount-ro as a production data disk would be, and the kernel's own error trigger makes it read-only,
        // open files included (as when the disk reports a bad block).
        var image = Path.Combine(_pki.Root, "data.ext4");
        await RunAsync("truncate", "-s", "64M", image);
        await RunAsync("mkfs.ext4", "-q", "-F", image);
        var device = (await RunAsync("losetup", "--find", "--show", image)).Trim();
        Directory.CreateDirectory(_pki.DataDirectory);
        await RunAsync("mount", "-o", "errors=remount-ro", device, _pki.DataDirectory);
        try
        {
            var central = new RunningCentral(_pki, pkiOwnedByCaller: true);
            Uri address;
            try
            {
                await central.InitializeAsync();
                address = central.Address;
                await SendBaselineAsync(central);
                await FaultStations.SignAsync(_pki, "ST-0002", scanBytes: 200_000);
                await File.WriteAllTextAsync($"/sys/fs/ext4/{Path.GetFileName(device)}/trigger_fs_error", "1");

                using var stop = new CancellationTokenSource();
                var (sending, retry) = await SendUntilRetryingAsync(central, "ST-0002", stop.Token);

                Assert.Equal("UNAVAILABLE", retry.Code);
                Assert.Equal(SubmissionService.StorageUnavailableMessage, retry.Message);
                Assert.Contains(central.Logs.Records, r => r.EventId.Id == 5004 && r.Level == LogLevel.Warning && r.Message.Contains("SQLITE_IOERR", StringComparison.Ordinal));
                Assert.False(sending.IsCompleted);

                // The station gives up for now (the chair closes the program); its protocol stays queued in its outbox.
                await stop.CancelAsync();
                await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sending.DefaultTimeout());
            }
            finally
            {
                await central.DisposeAsync();
                SqliteConnection.ClearAllPools();
            }

            // The operators' repair: with Central stopped, unmount, check the file system, mount it again.
            await RunAsync("umount", _pki.DataDirectory);
            await RunAsync("e2fsck", [0, 1], "-f", "-y", device);
            await RunAsync("mount", "-o", "errors=remount-ro", device, _pki.DataDirectory);

            // Central starts again on the same address; the station sends what it still has queued.
            await using var restarted = new RunningCentral(_pki, pkiOwnedByCaller: true, o => o.Listen = $"127.0.0.1:{address.Port}");
            await restarted.InitializeAsync();
            using var sender = FaultStations.Sender(_pki, "ST-0002", restarted.Address);
            var result = await sender.SendAsync(null, CancellationToken.None).DefaultTimeout(TimeSpan.FromMinutes(2));

            Assert.Equal(SendOutcome.AllReceipted, result.Outcome);
            Assert.Equal(2, await FaultInvariants.AssertAsync(_pki, [("ST-0001", _pki.StationDir("ST-0001")), ("ST-0002", _pki.StationDir("ST-0002"))]));
            restarted.Logs.AssertNoUnexpectedErrors();
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            await RunAsync("umount", [0, 32], "--lazy", _pki.DataDirectory);
            await RunAsync("losetup", "--detach", device);
        }
    }

    /// <summary>ST-0001 sends revision 1 before the fault: something already accepted that must not be lost.</summary>
    private async Task SendBaselineAsync(RunningCentral central)
    {
        await FaultStations.SignAsync(_pki, "ST-0001");
        using var sender = FaultStations.Sender(_pki, "ST-0001", central.Address);
        Assert.Equal(SendOutcome.AllReceipted, (await sender.SendAsync(null, CancellationToken.None).DefaultTimeout()).Outcome);
    }

    /// <summary>Starts the station's sender and waits for its first retry (the call failed and it scheduled another).</summary>
    private async Task<(Task<SendResult> Sending, SendEvent Retry)> SendUntilRetryingAsync(RunningCentral central, string code, CancellationToken cancellationToken = default)
    {
        var events = new ConcurrentQueue<SendEvent>();
        var sender = FaultStations.Sender(_pki, code, central.Address);
        var sending = Task.Run(async () =>
        {
            using (sender)
            {
                return await sender.SendAsync(events.Enqueue, cancellationToken);
            }
        });
        var deadline = DateTime.UtcNow + TestTimeouts.Default;
        while (!events.Any(e => e.Kind == SendEventKind.Retrying))
        {
            Assert.False(sending.IsCompleted, "the station finished without a retry: " + string.Join("; ", events));
            Assert.True(DateTime.UtcNow < deadline, "the station did not retry: " + string.Join("; ", events));
            await Task.Delay(50, CancellationToken.None);
        }

        Assert.DoesNotContain(events, e => e.Kind is SendEventKind.Receipted or SendEventKind.Refused);
        return (sending, events.First(e => e.Kind == SendEventKind.Retrying));
    }

    private static void Fill(string path)
    {
        var block = new byte[1 << 20];
        // Unbuffered: every write reaches the file system at once, and nothing is left to flush when it is full.
        using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0);
        try
        {
            while (true)
            {
                file.Write(block);
                file.Flush();
            }
        }
        catch (IOException)
        {
            // No space left on the device: the point.
        }

        // Whatever did not fit in the last block: one byte at a time until nothing fits.
        try
        {
            while (true)
            {
                file.WriteByte(0);
                file.Flush();
            }
        }
        catch (IOException)
        {
        }
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync().DefaultTimeout();
    }

    private static async Task<long> ScalarAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)(await command.ExecuteScalarAsync().DefaultTimeout())!;
    }

    private static Task<string> RunAsync(string file, params string[] args) => RunAsync(file, [0], args);

    /// <summary>Runs a system tool; its exit code must be one of <paramref name="success"/>. Returns its output.</summary>
    private static async Task<string> RunAsync(string file, int[] success, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync().DefaultTimeout();
        await process.WaitForExitAsync().DefaultTimeout();
        Assert.True(
            success.Contains(process.ExitCode),
            $"{file} {string.Join(' ', args)}: exit {process.ExitCode}: {error.Trim()} (these tests need root's right to mount a tmpfs and a loop device, as in this container)");
        return await output;
    }
}
