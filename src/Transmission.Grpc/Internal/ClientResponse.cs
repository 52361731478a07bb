using System.Globalization;
using System.Net;
using System.Net.Http.Headers;

namespace Transmission.Grpc.Internal;

/// <summary>
/// How the client reads an HTTP/2 response as a gRPC response (PROTOCOL-HTTP2.md, "Responses";
/// doc/http-grpc-status-mapping.md).
/// </summary>
internal static class ClientResponse
{
    /// <summary>
    /// The detail used when the trailers carry no grpc-status. The code is UNKNOWN, as in
    /// grpc-java ("missing GRPC status in response") and connect-go: the server said nothing
    /// about the outcome. grpc-dotnet uses CANCELLED with this text, which wrongly suggests
    /// the client cancelled.
    /// </summary>
    public const string NoStatus = "No grpc-status found on response.";

    public const string NoMessage = "No message returned for unary call.";
    public const string TooManyMessages = "More than one message returned for unary call.";

    /// <summary>What the response headers say about the call.</summary>
    /// <param name="EndStatus">Non-null when the call ends here: Trailers-Only, or not a gRPC response.</param>
    /// <param name="Headers">The custom metadata of the headers (for Trailers-Only: the trailers).</param>
    /// <param name="Encoding">The grpc-encoding of response messages; null for identity.</param>
    /// <param name="IsTrailersOnly">True when grpc-status came in the headers.</param>
    public readonly record struct HeadersOutcome(Status? EndStatus, Metadata Headers, string? Encoding, bool IsTrailersOnly);

    /// <summary>
    /// Checks the response headers. A grpc-status in the headers is a Trailers-Only response and
    /// is used whatever the HTTP status (the mapping table applies only without grpc-status);
    /// otherwise the HTTP status must be 200 and the content type application/grpc[+proto].
    /// </summary>
    public static HeadersOutcome ReadHeaders(HttpResponseMessage response)
    {
        var headers = ToMetadata(response.Headers);
        if (TryGetStatus(response.Headers, out var trailersOnlyStatus))
        {
            return new HeadersOutcome(trailersOnlyStatus, headers, null, IsTrailersOnly: true);
        }

        if (response.StatusCode != HttpStatusCode.OK)
        {
            var code = (int)response.StatusCode;
            return Fail(FromHttpStatus(code), "Bad gRPC response. HTTP status code: " + code.ToString(CultureInfo.InvariantCulture));
        }

        var contentType = FirstValue(response.Content.Headers, "Content-Type");
        if (!GrpcProtocolConstants.IsGrpcContentType(contentType))
        {
            // Not a gRPC server at all (a proxy page, a web server): UNKNOWN, as grpc-go
            // maps HTTP 200 with a foreign content type.
            return Fail(StatusCode.Unknown, contentType is null
                ? "Bad gRPC response. Response did not have a content-type header."
                : "Bad gRPC response. Invalid content-type value: " + contentType);
        }

        if (!GrpcProtocolConstants.IsGrpcProtoContentType(contentType))
        {
            // A gRPC server speaking another codec (application/grpc+json): a broken contract, INTERNAL.
            return Fail(StatusCode.Internal, "Bad gRPC response. Unsupported content-type value: " + contentType);
        }

        var encoding = FirstValue(response.Headers, GrpcProtocolConstants.EncodingHeader);
        if (encoding is null || string.Equals(encoding, GrpcProtocolConstants.IdentityEncoding, StringComparison.OrdinalIgnoreCase))
        {
            encoding = null;
        }
        else if (!string.Equals(encoding, GrpcProtocolConstants.GzipEncoding, StringComparison.OrdinalIgnoreCase))
        {
            // We only advertised identity and gzip in grpc-accept-encoding.
            return Fail(StatusCode.Internal,
                $"Unsupported grpc-encoding value '{encoding}'. Supported encodings: {GrpcProtocolConstants.SupportedEncodings}.");
        }

        return new HeadersOutcome(null, headers, encoding, IsTrailersOnly: false);

        HeadersOutcome Fail(StatusCode code, string detail) => new(new Status(code, detail), headers, null, IsTrailersOnly: false);
    }

    /// <summary>The status in the trailers; UNKNOWN <see cref="NoStatus"/> when there is none.</summary>
    public static Status StatusFromTrailers(HttpHeaders trailers) =>
        TryGetStatus(trailers, out var status) ? status : new Status(StatusCode.Unknown, NoStatus);

    /// <summary>Reads grpc-status and grpc-message (percent-decoded); false when grpc-status is absent.</summary>
    public static bool TryGetStatus(HttpHeaders headers, out Status status)
    {
        var value = FirstValue(headers, GrpcProtocolConstants.StatusTrailer);
        if (value is null)
        {
            status = default;
            return false;
        }

        var message = FirstValue(headers, GrpcProtocolConstants.MessageTrailer);
        var detail = message is null ? string.Empty : PercentEncoding.Decode(message);
        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var code))
        {
            status = new Status(StatusCode.Unknown, $"Invalid grpc-status value '{value}'. {detail}".TrimEnd());
            return true;
        }

        // statuscodes.md: a code this client does not know is treated as UNKNOWN.
        status = code <= (int)StatusCode.Unauthenticated
            ? new Status((StatusCode)code, detail)
            : new Status(StatusCode.Unknown, detail);
        return true;
    }

    /// <summary>The http-grpc-status-mapping.md table, for responses without grpc-status.</summary>
    public static StatusCode FromHttpStatus(int httpStatus) => httpStatus switch
    {
        400 => StatusCode.Internal,
        401 => StatusCode.Unauthenticated,
        403 => StatusCode.PermissionDenied,
        404 => StatusCode.Unimplemented,
        429 or 502 or 503 or 504 => StatusCode.Unavailable,
        _ => StatusCode.Unknown,
    };

    /// <summary>
    /// The custom metadata in <paramref name="headers"/>: reserved transport headers are left out,
    /// <c>-bin</c> values are base64-decoded (padded or not, comma-separated values split), and an
    /// entry that is not valid metadata is skipped rather than failing the call.
    /// </summary>
    public static Metadata ToMetadata(HttpHeaders headers)
    {
        var metadata = new Metadata();
        foreach (var (name, values) in headers.NonValidated)
        {
            if (GrpcProtocolConstants.IsReservedHeader(name))
            {
                continue;
            }

            var isBinary = name.EndsWith(Metadata.BinaryHeaderSuffix, StringComparison.OrdinalIgnoreCase);
            foreach (var value in values)
            {
                try
                {
                    if (!isBinary)
                    {
                        metadata.Add(name, value);
                        continue;
                    }

                    foreach (var part in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                    {
                        if (TryDecodeBase64(part, out var bytes))
                        {
                            metadata.Add(name, bytes);
                        }
                    }
                }
                catch (ArgumentException)
                {
                    // A header that is not valid gRPC metadata (odd key or value characters): not ours to fail on.
                }
            }
        }

        return metadata;
    }

    /// <summary>Base64 without padding, as PROTOCOL-HTTP2.md asks senders to emit for -bin values.</summary>
    public static string EncodeBase64(byte[] value) => Convert.ToBase64String(value).TrimEnd('=');

    /// <summary>Decodes base64 with or without padding (receivers must accept both).</summary>
    public static bool TryDecodeBase64(string value, out byte[] bytes)
    {
        var padded = (value.Length % 4) switch
        {
            2 => value + "==",
            3 => value + "=",
            _ => value,
        };
        var buffer = new byte[padded.Length / 4 * 3];
        if (Convert.TryFromBase64String(padded, buffer, out var written))
        {
            bytes = buffer.AsSpan(0, written).ToArray();
            return true;
        }

        bytes = [];
        return false;
    }

    private static string? FirstValue(HttpHeaders headers, string name) =>
        headers.NonValidated.TryGetValues(name, out var values) && values.Count > 0 ? values.First() : null;
}
