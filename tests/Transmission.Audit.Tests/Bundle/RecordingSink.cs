using Transmission.Audit.Bundle;

namespace Transmission.Audit.Tests.Bundle;

/// <summary>A sink that keeps every chunk, as a gRPC BundleChunk stream would carry it.</summary>
internal sealed class RecordingSink : IBundleSink
{
    public List<(string Path, byte[] Data, bool Last)> Chunks { get; } = [];

    public ValueTask WriteChunkAsync(string path, ReadOnlyMemory<byte> data, bool last, CancellationToken cancellationToken)
    {
        Chunks.Add((path, data.ToArray(), last));
        return ValueTask.CompletedTask;
    }

    /// <summary>The files reassembled from the chunks, in the order they were sent.</summary>
    public List<(string Path, byte[] Bytes)> Files()
    {
        var files = new List<(string, byte[])>();
        var current = new List<byte>();
        foreach (var (path, data, last) in Chunks)
        {
            current.AddRange(data);
            if (last)
            {
                files.Add((path, current.ToArray()));
                current.Clear();
            }
        }

        return files;
    }
}
