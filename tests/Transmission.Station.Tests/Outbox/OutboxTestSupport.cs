using System.Security.Cryptography;
using System.Text;
using Transmission.Station.Outbox;
using StationOutbox = Transmission.Station.Outbox.Outbox;

namespace Transmission.Station.Tests.Outbox;

/// <summary>A clock the test moves by hand.</summary>
internal sealed class TestClock(DateTimeOffset start) : TimeProvider
{
    public static readonly DateTimeOffset Election = new(2026, 4, 5, 19, 0, 0, TimeSpan.Zero);

    private DateTimeOffset _now = start;

    public TestClock()
        : this(Election)
    {
    }

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}

/// <summary>A Random whose NextDouble is fixed, to pin the jitter draw exactly (Random is the BCL's, not ours).</summary>
internal sealed class FixedRandom(double value) : Random
{
    public override double NextDouble() => value;
}

/// <summary>A station folder in a fresh temp directory (0700, like the real one), deleted afterwards.</summary>
internal sealed class StationFolder : IDisposable
{
    public const string Station = "PR-0001-A";

    public StationFolder()
    {
        Path = Directory.CreateTempSubdirectory("transmission-outbox-").FullName;
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    public string Path { get; }

    public string DatabasePath => System.IO.Path.Combine(Path, StationOutbox.FileName);

    public StationOutbox Open(TimeProvider clock, string station = Station) =>
        StationOutbox.Open(Path, station, clock);

    public string NewSibling(string name)
    {
        var path = System.IO.Path.Combine(Path, name);
        Directory.CreateDirectory(path);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp folder is not a test failure.
        }
    }
}

/// <summary>Stand-in signed envelopes: the outbox stores bytes and digests, it does not parse envelopes.</summary>
internal static class Signed
{
    public static byte[] Envelope(long revision, string variant = "a") =>
        Encoding.UTF8.GetBytes($"{{\"payloadType\":\"application/vnd.transmission.result-protocol.v1+protobuf\",\"revision\":{revision},\"variant\":\"{variant}\"}}");

    public static byte[] Payload(long revision) => SHA256.HashData(Encoding.UTF8.GetBytes($"payload-{revision}"));

    public static OutboxAttachment[] Scan(string name = "form.pdf", string content = "%PDF-1.7 scan") =>
        [new OutboxAttachment(name, "application/pdf", Encoding.UTF8.GetBytes(content))];
}
