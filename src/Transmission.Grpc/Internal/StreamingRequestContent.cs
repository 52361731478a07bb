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
        using var registration = cancellationToken.Register(static state => ((StreamingRequestContent)state!).OnHandlerAborted(), this);
        await _completed.Task;
    }

    /// <summary>
    /// SocketsHttpHandler cancels the request body when the stream or the connection is gone (RST_STREAM, GOAWAY, a
    /// reset TCP connection): returning normally lets the handler report that cause (an IOException or
    /// HttpProtocolException with the error code) from the response side. Throwing here instead would replace it with
    /// a bare TaskCanceledException, which says nothing about why and would end the call INTERNAL, not UNAVAILABLE.
    /// When the call itself ended first, <see cref="Abort"/> has already cancelled the body and this changes nothing.
    /// </summary>
    private void OnHandlerAborted()
    {
        _stream.TrySetCanceled();
        _completed.TrySetResult();
    }

    protected override bool TryComputeLength(out long length)
    {
        length = -1;
        return false;
    }
}
