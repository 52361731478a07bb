using System.Net;

namespace Transmission.Grpc.Internal;

/// <summary>
/// The body of a call with a request stream. SocketsHttpHandler calls
/// <see cref="SerializeToStreamAsync(Stream, TransportContext?, CancellationToken)"/> once and,
/// over HTTP/2, returns the response while it is still running: that is what makes the call
/// full duplex. The method hands the request stream to the writer and returns only when the
/// writer completes (END_STREAM) or the call is aborted (RST_STREAM).
/// </summary>
internal sealed class StreamingRequestContent : HttpContent
{
    private readonly TaskCompletionSource<Stream> _stream = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _completed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public StreamingRequestContent()
    {
        Headers.TryAddWithoutValidation("Content-Type", GrpcProtocolConstants.ContentType);
    }

    /// <summary>The request stream, once the handler has opened it.</summary>
    public Task<Stream> GetStreamAsync() => _stream.Task;

    /// <summary>Ends the request stream normally (END_STREAM).</summary>
    public void Complete() => _completed.TrySetResult();

    /// <summary>Ends the request stream abnormally; the handler resets the HTTP/2 stream.</summary>
    public void Abort()
    {
        _stream.TrySetCanceled();
        _completed.TrySetCanceled();
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        // SocketsHttpHandler holds the HEADERS frame back until the first DATA frame; flushing
        // sends it now, so the server sees the call before the first message (grpc-dotnet does
        // the same for its streaming content).
        await stream.FlushAsync(cancellationToken);
        _stream.TrySetResult(stream);
        using var registration = cancellationToken.Register(static state => ((StreamingRequestContent)state!).Abort(), this);
        await _completed.Task;
    }

    protected override bool TryComputeLength(out long length)
    {
        length = -1;
        return false;
    }
}
