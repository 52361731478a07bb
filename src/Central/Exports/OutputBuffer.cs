using System.Buffers;

namespace Transmission.Central.Exports;

/// <summary>
/// The bytes written but not yet sent: the writers fill <see cref="Writer"/> and call <see cref="FlushIfFullAsync"/>
/// after each station (or area), so at most about <see cref="FlushThreshold"/> bytes plus one station's rows are held.
/// Every write to the stream is asynchronous: a Kestrel response body refuses synchronous I/O.
/// </summary>
internal sealed class OutputBuffer(Stream output)
{
    /// <summary>Buffered bytes are written out once there are at least this many: 65,536 (64 KiB).</summary>
    public const int FlushThreshold = 64 * 1024;

    private readonly ArrayBufferWriter<byte> _buffer = new(2 * FlushThreshold);

    /// <summary>Where the writers put bytes.</summary>
    public IBufferWriter<byte> Writer => _buffer;

    /// <summary>Stops if <paramref name="cancellationToken"/> is cancelled; writes the buffer out once it is full.</summary>
    public ValueTask FlushIfFullAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return _buffer.WrittenCount >= FlushThreshold ? WriteOutAsync(cancellationToken) : ValueTask.CompletedTask;
    }

    /// <summary>Writes out what is left and flushes the stream.</summary>
    public async ValueTask CompleteAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_buffer.WrittenCount > 0)
        {
            await WriteOutAsync(cancellationToken);
        }

        await output.FlushAsync(cancellationToken);
    }

    private async ValueTask WriteOutAsync(CancellationToken cancellationToken)
    {
        await output.WriteAsync(_buffer.WrittenMemory, cancellationToken);
        _buffer.ResetWrittenCount();
    }
}
