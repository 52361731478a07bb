namespace Transmission.Grpc;

/// <summary>
/// Thrown by service code to end a call with a specific status, and by the client
/// when a call ends with a status other than OK.
/// </summary>
public sealed class RpcException : Exception
{
    /// <summary>Creates an exception carrying <paramref name="status"/> and optional trailers.</summary>
    public RpcException(Status status, Metadata? trailers = null)
        : base(status.ToString())
    {
        Status = status;
        Trailers = trailers ?? Metadata.Empty;
    }

    /// <summary>Creates an exception carrying <paramref name="status"/> with an inner exception.</summary>
    public RpcException(Status status, Exception innerException)
        : base(status.ToString(), innerException)
    {
        Status = status;
        Trailers = Metadata.Empty;
    }

    /// <summary>The status of the call.</summary>
    public Status Status { get; }

    /// <summary>The status code of the call.</summary>
    public StatusCode StatusCode => Status.Code;

    /// <summary>Trailers sent with the status (server) or received with it (client).</summary>
    public Metadata Trailers { get; }
}
