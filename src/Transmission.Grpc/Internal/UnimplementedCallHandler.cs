namespace Transmission.Grpc.Internal;

/// <summary>Answers UNIMPLEMENTED for a path with no bound method.</summary>
internal sealed class UnimplementedCallHandler : ServerCallHandlerBase
{
    /// <summary>The detail for a service that is not mapped at all.</summary>
    public const string ServiceUnimplemented = "Service is unimplemented.";

    /// <summary>The detail for a method the service does not have or does not implement.</summary>
    public const string MethodUnimplemented = "Method is unimplemented.";

    private readonly string _detail;

    public UnimplementedCallHandler(ServerCallHandlerSettings settings, string method, string detail)
        : base(settings, method)
    {
        _detail = detail;
    }

    protected override Task HandleCallCoreAsync(HttpContextServerCallContext call)
    {
        GrpcServerLog.UnimplementedPath(Logger, call.GetHttpContext().Request.Path);
        call.Status = new Status(StatusCode.Unimplemented, _detail);
        return Task.CompletedTask;
    }
}
