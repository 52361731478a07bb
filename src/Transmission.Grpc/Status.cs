namespace Transmission.Grpc;

/// <summary>The outcome of a call: a code and a human-readable detail.</summary>
/// <param name="Code">The status code.</param>
/// <param name="Detail">The message sent as <c>grpc-message</c>; empty for none.</param>
public readonly record struct Status(StatusCode Code, string Detail)
{
    /// <summary>The OK status with no detail.</summary>
    public static readonly Status DefaultSuccess = new(StatusCode.OK, string.Empty);

    /// <summary>The status used when the peer cancelled the call.</summary>
    public static readonly Status DefaultCancelled = new(StatusCode.Cancelled, string.Empty);

    /// <inheritdoc />
    public override string ToString() => $"Status(StatusCode=\"{Code}\", Detail=\"{Detail}\")";
}
