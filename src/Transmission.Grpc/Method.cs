using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Transmission.Grpc;

/// <summary>
/// A gRPC method bound from a generated protobuf <see cref="MethodDescriptor"/>:
/// its path, its kind and how to parse its messages all come from the descriptor,
/// never from hand-typed strings.
/// </summary>
/// <typeparam name="TRequest">The request message type.</typeparam>
/// <typeparam name="TResponse">The response message type.</typeparam>
public sealed class Method<TRequest, TResponse>
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    private Method(MethodDescriptor descriptor)
    {
        Descriptor = descriptor;
        Type = GetMethodType(descriptor);
        RequestParser = (MessageParser<TRequest>)descriptor.InputType.Parser;
        ResponseParser = (MessageParser<TResponse>)descriptor.OutputType.Parser;
        FullName = GetPath(descriptor);
    }

    /// <summary>The protobuf descriptor of the method.</summary>
    public MethodDescriptor Descriptor { get; }

    /// <summary>The kind of call.</summary>
    public MethodType Type { get; }

    /// <summary>The fully qualified service name, for example <c>transmission.v1.Transmission</c>.</summary>
    public string ServiceName => Descriptor.Service.FullName;

    /// <summary>The method name, for example <c>Submit</c>.</summary>
    public string Name => Descriptor.Name;

    /// <summary>The HTTP/2 <c>:path</c>: <c>/{service}/{method}</c>.</summary>
    public string FullName { get; }

    /// <summary>Parses request messages.</summary>
    public MessageParser<TRequest> RequestParser { get; }

    /// <summary>Parses response messages.</summary>
    public MessageParser<TResponse> ResponseParser { get; }

    /// <summary>
    /// Binds <paramref name="descriptor"/>; throws if its input or output type is not
    /// <typeparamref name="TRequest"/> / <typeparamref name="TResponse"/>.
    /// </summary>
    public static Method<TRequest, TResponse> FromDescriptor(MethodDescriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        if (descriptor.InputType.ClrType != typeof(TRequest) || descriptor.OutputType.ClrType != typeof(TResponse))
        {
            throw new ArgumentException(
                $"Method {GetPath(descriptor)} takes {descriptor.InputType.ClrType?.Name} and returns {descriptor.OutputType.ClrType?.Name}, " +
                $"not {typeof(TRequest).Name} and {typeof(TResponse).Name}.",
                nameof(descriptor));
        }

        return new Method<TRequest, TResponse>(descriptor);
    }

    /// <summary>The kind of call <paramref name="descriptor"/> describes.</summary>
    public static MethodType GetMethodType(MethodDescriptor descriptor) =>
        (descriptor.IsClientStreaming, descriptor.IsServerStreaming) switch
        {
            (false, false) => MethodType.Unary,
            (true, false) => MethodType.ClientStreaming,
            (false, true) => MethodType.ServerStreaming,
            (true, true) => MethodType.DuplexStreaming,
        };

    /// <summary>The HTTP/2 path of <paramref name="descriptor"/>.</summary>
    public static string GetPath(MethodDescriptor descriptor) => $"/{descriptor.Service.FullName}/{descriptor.Name}";

    /// <inheritdoc />
    public override string ToString() => FullName;
}
