using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Testing;
using Microsoft.AspNetCore.Http;
using Transmission.Grpc.Internal;

namespace Transmission.Grpc.Tests.Client;

/// <summary>Bounded awaits: no test waits forever.</summary>
internal static class ClientTestTimeouts
{
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(10);

    public static Task DefaultTimeout(this Task task) => task.WaitAsync(Default);

    public static Task<T> DefaultTimeout<T>(this Task<T> task) => task.WaitAsync(Default);
}

/// <summary>The grpc.testing.TestService methods, bound from the generated descriptor.</summary>
internal static class TestMethods
{
    private static readonly ServiceDescriptor Service = TestReflection.Descriptor.Services.Single(s => s.FullName == "grpc.testing.TestService");

    public static readonly Method<SimpleRequest, SimpleResponse> Unary =
        Method<SimpleRequest, SimpleResponse>.FromDescriptor(Service.FindMethodByName("UnaryCall"));

    public static readonly Method<StreamingOutputCallRequest, StreamingOutputCallResponse> ServerStreaming =
        Method<StreamingOutputCallRequest, StreamingOutputCallResponse>.FromDescriptor(Service.FindMethodByName("StreamingOutputCall"));

    public static readonly Method<StreamingInputCallRequest, StreamingInputCallResponse> ClientStreaming =
        Method<StreamingInputCallRequest, StreamingInputCallResponse>.FromDescriptor(Service.FindMethodByName("StreamingInputCall"));

    public static readonly Method<StreamingOutputCallRequest, StreamingOutputCallResponse> Duplex =
        Method<StreamingOutputCallRequest, StreamingOutputCallResponse>.FromDescriptor(Service.FindMethodByName("FullDuplexCall"));

    public static SimpleRequest Request(string body) => new() { Payload = new Payload { Body = ByteString.CopyFromUtf8(body) } };

    public static SimpleResponse Response(string body) => new() { Payload = new Payload { Body = ByteString.CopyFromUtf8(body) } };
}

/// <summary>What a hand-written gRPC response is made of, written straight onto Kestrel's response.</summary>
internal static class RawGrpc
{
    public static void StartResponse(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = GrpcProtocolConstants.ContentType;
    }

    public static async Task WriteMessageAsync(HttpContext context, IMessage message)
    {
        await context.Response.BodyWriter.WriteAsync(MessageCodec.Frame(message), context.RequestAborted);
    }

    public static async Task<T?> ReadMessageAsync<T>(HttpContext context, MessageParser<T> parser)
        where T : IMessage<T> =>
        await MessageCodec.ReadMessageAsync(context.Request.BodyReader, parser, int.MaxValue, encoding: null, context.RequestAborted);

    public static void Trailers(HttpContext context, int status, string? message = null)
    {
        context.Response.AppendTrailer(GrpcProtocolConstants.StatusTrailer, status.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (message is not null)
        {
            context.Response.AppendTrailer(GrpcProtocolConstants.MessageTrailer, PercentEncoding.Encode(message));
        }
    }

    /// <summary>A Trailers-Only response: one HEADERS frame with END_STREAM carrying the status.</summary>
    public static void TrailersOnly(HttpContext context, int status, string? message = null)
    {
        StartResponse(context);
        context.Response.Headers[GrpcProtocolConstants.StatusTrailer] = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (message is not null)
        {
            context.Response.Headers[GrpcProtocolConstants.MessageTrailer] = PercentEncoding.Encode(message);
        }
    }
}
