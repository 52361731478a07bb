namespace Transmission.Central.Tests.Exports;

/// <summary>
/// A write-only stream that keeps nothing: it counts bytes and writes, remembers the largest write, and calls
/// <see cref="OnWrite"/> before each one. Synchronous writes and flushes throw, as on a Kestrel response body.
/// </summary>
internal sealed class CountingStream : Stream
{
    public long Bytes { get; private set; }

    public int Writes { get; private set; }

    public int LargestWrite { get; private set; }

    public Action<CountingStream, int>? OnWrite { get; init; }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        OnWrite?.Invoke(this, buffer.Length);
        Bytes += buffer.Length;
        Writes++;
        LargestWrite = Math.Max(LargestWrite, buffer.Length);
        return ValueTask.CompletedTask;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override void Write(byte[] buffer, int offset, int count) => throw new InvalidOperationException("Synchronous writes are not allowed.");

    public override void Flush() => throw new InvalidOperationException("Synchronous flushes are not allowed.");

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
