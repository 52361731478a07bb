using System.Security.Cryptography;

namespace Transmission.Audit.Bundle;

/// <summary>
/// A write-only stream that cuts one bundle file into sink chunks and measures it (size, SHA-256) for the manifest.
/// Asynchronous writes send full chunks as they fill; synchronous writes only buffer (a caller such as a JSON writer
/// may write synchronously), and the buffer is sent at the next asynchronous write or at <see cref="CompleteAsync"/>.
/// </summary>
internal sealed class SinkFileStream : Stream
{
    private readonly IBundleSink _sink;
    private readonly string _path;
    private readonly int _chunkSize;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private byte[] _buffer;
    private int _buffered;
    private long _length;
    private bool _completed;

    public SinkFileStream(IBundleSink sink, string path, int chunkSize)
    {
        _sink = sink;
        _path = path;
        _chunkSize = chunkSize;
        _buffer = new byte[chunkSize];
    }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => !_completed;

    public override long Length => _length;

    public override long Position
    {
        get => _length;
        set => throw new NotSupportedException();
    }

    /// <summary>Sends what is left as the file's last chunk; returns the file's manifest line.</summary>
    public async Task<ManifestFile> CompleteAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        // Everything but the final chunk goes out in full chunks; the final one carries the rest (possibly empty).
        while (_buffered > _chunkSize)
        {
            await SendAsync(_chunkSize, last: false, cancellationToken);
        }

        await SendAsync(_buffered, last: true, cancellationToken);
        _completed = true;
        return new ManifestFile { Path = _path, Size = _length, Sha256 = Convert.ToHexStringLower(_hash.GetHashAndReset()) };
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        if (_buffered + buffer.Length > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _buffered + buffer.Length));
        }

        buffer.CopyTo(_buffer.AsSpan(_buffered));
        _buffered += buffer.Length;
        _hash.AppendData(buffer);
        _length += buffer.Length;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        // Keep one chunk back: the last chunk of the file must carry last = true, and only CompleteAsync knows it.
        while (_buffered > _chunkSize)
        {
            await SendAsync(_chunkSize, last: false, cancellationToken);
        }
    }

    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _hash.Dispose();
        }

        base.Dispose(disposing);
    }

    private async Task SendAsync(int count, bool last, CancellationToken cancellationToken)
    {
        await _sink.WriteChunkAsync(_path, _buffer.AsMemory(0, count), last, cancellationToken);
        _buffer.AsSpan(count, _buffered - count).CopyTo(_buffer);
        _buffered -= count;
    }
}
