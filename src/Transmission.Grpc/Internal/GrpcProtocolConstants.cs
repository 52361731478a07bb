namespace Transmission.Grpc.Internal;

/// <summary>Names and values from grpc/grpc doc/PROTOCOL-HTTP2.md.</summary>
internal static class GrpcProtocolConstants
{
    public const string ContentType = "application/grpc";
    public const string ContentTypeProto = "application/grpc+proto";
    public const string StatusTrailer = "grpc-status";
    public const string MessageTrailer = "grpc-message";
    public const string TimeoutHeader = "grpc-timeout";
    public const string EncodingHeader = "grpc-encoding";
    public const string AcceptEncodingHeader = "grpc-accept-encoding";
    public const string MessageTypeHeader = "grpc-message-type";
    public const string TeHeader = "te";
    public const string TeTrailers = "trailers";
    public const string UserAgentHeader = "user-agent";
    public const string IdentityEncoding = "identity";
    public const string GzipEncoding = "gzip";

    /// <summary>What this implementation can decompress, in the form sent in <c>grpc-accept-encoding</c>.</summary>
    public const string SupportedEncodings = "identity,gzip";

    /// <summary>The default limit on a received message: 4,194,304 bytes (4 MiB).</summary>
    public const int DefaultMaxReceiveMessageSize = 4 * 1024 * 1024;

    /// <summary>
    /// True for header names that belong to the transport and never reach
    /// application metadata.
    /// </summary>
    public static bool IsReservedHeader(string name) =>
        name.StartsWith(':')
        || name.StartsWith("grpc-", StringComparison.OrdinalIgnoreCase)
        || string.Equals(name, "content-type", StringComparison.OrdinalIgnoreCase)
        || string.Equals(name, TeHeader, StringComparison.OrdinalIgnoreCase)
        || string.Equals(name, "host", StringComparison.OrdinalIgnoreCase)
        || string.Equals(name, "content-length", StringComparison.OrdinalIgnoreCase)
        || string.Equals(name, "connection", StringComparison.OrdinalIgnoreCase)
        || string.Equals(name, "accept-encoding", StringComparison.OrdinalIgnoreCase);

    /// <summary>True when <paramref name="contentType"/> is <c>application/grpc</c> or <c>application/grpc+proto</c>, optionally with parameters.</summary>
    public static bool IsGrpcProtoContentType(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType))
        {
            return false;
        }

        var semicolon = contentType.IndexOf(';', StringComparison.Ordinal);
        var mediaType = (semicolon >= 0 ? contentType[..semicolon] : contentType).Trim();
        return string.Equals(mediaType, ContentType, StringComparison.OrdinalIgnoreCase)
            || string.Equals(mediaType, ContentTypeProto, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>True when <paramref name="contentType"/> starts with <c>application/grpc</c> (any subtype).</summary>
    public static bool IsGrpcContentType(string? contentType) =>
        contentType is not null && contentType.StartsWith(ContentType, StringComparison.OrdinalIgnoreCase);
}
