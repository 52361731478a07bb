using Grpc.Testing;
using Transmission.Testing;

namespace Transmission.Grpc.Tests.Server;

/// <summary>What a test service saw, shared with the test through DI.</summary>
public sealed class CallProbe
{
    public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource Cancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource<CallSnapshot> Finished { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource<Exception> WriteAfterDeadline { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>What a handler saw of its context, taken while the call was running.</summary>
public sealed record CallSnapshot(Metadata RequestHeaders, string? ClientCertificateSubject, string Peer, string Method, DateTime Deadline);

/// <summary>grpc.testing.TestService methods that misbehave on purpose.</summary>
public sealed class MisbehavingService
{
    public const string SecretText = "secret connection string Password=hunter2";

    private readonly CallProbe _probe;

    public MisbehavingService(CallProbe probe)
    {
        _probe = probe;
    }

    /// <summary>Throws a plain exception whose text must not reach the client.</summary>
    public Task<Empty> EmptyCall(Empty request, ServerCallContext context) => throw new InvalidOperationException(SecretText);

    /// <summary>Ignores its token and sleeps, then tries to write after the deadline.</summary>
    public async Task<SimpleResponse> UnaryCall(SimpleRequest request, ServerCallContext context)
    {
        _probe.Started.TrySetResult();
        await Task.Delay(TimeSpan.FromSeconds(3), CancellationToken.None);
        return new SimpleResponse();
    }

    /// <summary>Waits for its token to be cancelled by the client.</summary>
    public async Task StreamingOutputCall(StreamingOutputCallRequest request, IServerStreamWriter<StreamingOutputCallResponse> responseStream, ServerCallContext context)
    {
        await responseStream.WriteAsync(new StreamingOutputCallResponse());
        _probe.Started.TrySetResult();
        try
        {
            await Task.Delay(Timeout.Infinite, context.CancellationToken);
        }
        catch (OperationCanceledException)
        {
            _probe.Cancelled.TrySetResult();
            throw;
        }
    }

    /// <summary>Streams, ignoring the token, so a late write meets the completed call.</summary>
    public async Task FullDuplexCall(IAsyncStreamReader<StreamingOutputCallRequest> requestStream, IServerStreamWriter<StreamingOutputCallResponse> responseStream, ServerCallContext context)
    {
        await responseStream.WriteAsync(new StreamingOutputCallResponse());
        _probe.Started.TrySetResult();
        await Task.Delay(TimeSpan.FromSeconds(1), CancellationToken.None);
        try
        {
            await responseStream.WriteAsync(new StreamingOutputCallResponse(), CancellationToken.None);
        }
        catch (Exception ex)
        {
            _probe.WriteAfterDeadline.TrySetResult(ex);
            throw;
        }
    }

    /// <summary>Records the context so the test can look at the request headers.</summary>
    public Task<StreamingInputCallResponse> StreamingInputCall(IAsyncStreamReader<StreamingInputCallRequest> requestStream, ServerCallContext context)
    {
        _probe.Finished.TrySetResult(new CallSnapshot(
            context.RequestHeaders, context.ClientCertificate?.Subject, context.Peer, context.Method, context.Deadline));
        return Task.FromResult(new StreamingInputCallResponse());
    }
}

/// <summary>A unary method with the wrong signature: mapping it must fail at start-up.</summary>
public sealed class WrongSignatureService
{
    public Task<Empty> EmptyCall(Empty request) => Task.FromResult(request);
}
