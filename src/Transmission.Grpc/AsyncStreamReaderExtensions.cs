using System.Runtime.CompilerServices;

namespace Transmission.Grpc;

/// <summary>Helpers for <see cref="IAsyncStreamReader{T}"/>.</summary>
public static class AsyncStreamReaderExtensions
{
    /// <summary>Exposes <paramref name="reader"/> as an async enumerable for <c>await foreach</c>.</summary>
    public static IAsyncEnumerable<T> ReadAllAsync<T>(this IAsyncStreamReader<T> reader, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return ReadAllCoreAsync(reader, cancellationToken);
    }

    private static async IAsyncEnumerable<T> ReadAllCoreAsync<T>(IAsyncStreamReader<T> reader, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (await reader.MoveNext(cancellationToken))
        {
            yield return reader.Current;
        }
    }
}
