using System.Reflection;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Transmission.Grpc.Internal;

/// <summary>
/// Binds the methods of a protobuf <see cref="ServiceDescriptor"/> to the public instance
/// methods of a service class, once at start-up, as typed delegates (no reflection per call).
/// </summary>
internal static class ServiceMethodBinder
{
    /// <summary>One handler per descriptor method, keyed by its path.</summary>
    public static IReadOnlyList<(string Path, ServerCallHandlerBase Handler)> Bind<TService>(
        ServiceDescriptor descriptor,
        ServerCallHandlerSettings settings)
        where TService : class
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        var handlers = new List<(string, ServerCallHandlerBase)>();
        foreach (var method in descriptor.Methods)
        {
            var path = $"/{descriptor.FullName}/{method.Name}";
            var candidates = typeof(TService)
                .GetMethods(BindingFlags.Public | BindingFlags.Instance)
                .Where(m => string.Equals(m.Name, method.Name, StringComparison.Ordinal))
                .ToArray();
            if (candidates.Length == 0)
            {
                handlers.Add((path, new UnimplementedCallHandler(settings, path, UnimplementedCallHandler.MethodUnimplemented)));
                continue;
            }

            var requestType = method.InputType.ClrType;
            var responseType = method.OutputType.ClrType;
            var kind = (method.IsClientStreaming, method.IsServerStreaming) switch
            {
                (false, false) => MethodType.Unary,
                (true, false) => MethodType.ClientStreaming,
                (false, true) => MethodType.ServerStreaming,
                (true, true) => MethodType.DuplexStreaming,
            };
            var (parameters, returnType) = ExpectedSignature(kind, requestType, responseType);
            var match = candidates.FirstOrDefault(m =>
                m.ReturnType == returnType && m.GetParameters().Select(p => p.ParameterType).SequenceEqual(parameters));
            if (match is null)
            {
                throw new InvalidOperationException(
                    $"{typeof(TService).FullName}.{method.Name} does not have the signature of a {kind} gRPC method for {path}: " +
                    $"expected {FormatType(returnType)} {method.Name}({string.Join(", ", parameters.Select(FormatType))}).");
            }

            var factory = typeof(ServiceMethodBinder)
                .GetMethod(nameof(CreateHandler), BindingFlags.NonPublic | BindingFlags.Static)!
                .MakeGenericMethod(typeof(TService), requestType, responseType);
            var handler = (ServerCallHandlerBase)factory.Invoke(null, [kind, method, match, settings])!;
            handlers.Add((path, handler));
        }

        return handlers;
    }

    private static (Type[] Parameters, Type ReturnType) ExpectedSignature(MethodType kind, Type request, Type response)
    {
        var context = typeof(ServerCallContext);
        var reader = typeof(IAsyncStreamReader<>).MakeGenericType(request);
        var writer = typeof(IServerStreamWriter<>).MakeGenericType(response);
        var responseTask = typeof(Task<>).MakeGenericType(response);
        return kind switch
        {
            MethodType.Unary => ([request, context], responseTask),
            MethodType.ClientStreaming => ([reader, context], responseTask),
            MethodType.ServerStreaming => ([request, writer, context], typeof(Task)),
            MethodType.DuplexStreaming => ([reader, writer, context], typeof(Task)),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
    }

    private static ServerCallHandlerBase CreateHandler<TService, TRequest, TResponse>(
        MethodType kind,
        MethodDescriptor descriptor,
        MethodInfo target,
        ServerCallHandlerSettings settings)
        where TService : class
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>
    {
        var method = Method<TRequest, TResponse>.FromDescriptor(descriptor);

        // Open-instance delegates: the service instance is the first argument.
        return kind switch
        {
            MethodType.Unary => new UnaryServerCallHandler<TService, TRequest, TResponse>(
                settings, method, target.CreateDelegate<Func<TService, TRequest, ServerCallContext, Task<TResponse>>>()),
            MethodType.ClientStreaming => new ClientStreamingServerCallHandler<TService, TRequest, TResponse>(
                settings, method, target.CreateDelegate<Func<TService, IAsyncStreamReader<TRequest>, ServerCallContext, Task<TResponse>>>()),
            MethodType.ServerStreaming => new ServerStreamingServerCallHandler<TService, TRequest, TResponse>(
                settings, method, target.CreateDelegate<Func<TService, TRequest, IServerStreamWriter<TResponse>, ServerCallContext, Task>>()),
            MethodType.DuplexStreaming => new DuplexStreamingServerCallHandler<TService, TRequest, TResponse>(
                settings, method, target.CreateDelegate<Func<TService, IAsyncStreamReader<TRequest>, IServerStreamWriter<TResponse>, ServerCallContext, Task>>()),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
    }

    private static string FormatType(Type type) =>
        type.IsGenericType
            ? $"{type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)]}<{string.Join(", ", type.GetGenericArguments().Select(FormatType))}>"
            : type.Name;
}
