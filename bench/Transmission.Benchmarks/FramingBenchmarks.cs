using System.Buffers;
using BenchmarkDotNet.Attributes;
using Transmission.Grpc.Internal;

namespace Transmission.Benchmarks;

/// <summary>
/// Our gRPC Length-Prefixed-Message code (src/Transmission.Grpc/Internal/MessageFraming.cs): writing a prefix, and
/// taking 1.5 KB frames off a buffer that holds 64 of them, contiguous and split into 4 KB segments as Kestrel's pipe
/// delivers them.
/// </summary>
public class FramingBenchmarks
{
    private const int MessageSize = 1536;
    private const int Frames = 64;
    private readonly byte[] _header = new byte[MessageFraming.HeaderSize];
    private ReadOnlySequence<byte> _contiguous;
    private ReadOnlySequence<byte> _segmented;

    [GlobalSetup]
    public void Setup()
    {
        var frame = new byte[MessageFraming.HeaderSize + MessageSize];
        MessageFraming.WriteHeader(frame, compressed: false, MessageSize);
        Random.Shared.NextBytes(frame.AsSpan(MessageFraming.HeaderSize));
        var all = Enumerable.Repeat(frame, Frames).SelectMany(f => f).ToArray();
        _contiguous = new ReadOnlySequence<byte>(all);
        _segmented = Segments.Split(all, 4096);
    }

    [Benchmark]
    public int WriteHeader()
    {
        MessageFraming.WriteHeader(_header, compressed: false, MessageSize);
        return _header[4];
    }

    /// <summary>64 frames read from one contiguous buffer; the figure is per 64 frames.</summary>
    [Benchmark(OperationsPerInvoke = Frames)]
    public long ReadFrames_Contiguous() => ReadAll(_contiguous);

    /// <summary>64 frames read from 4 KB segments (frames straddle segment ends); per frame.</summary>
    [Benchmark(OperationsPerInvoke = Frames)]
    public long ReadFrames_Segmented() => ReadAll(_segmented);

    private static long ReadAll(ReadOnlySequence<byte> buffer)
    {
        long total = 0;
        while (MessageFraming.TryReadFrame(ref buffer, 4 * 1024 * 1024, out _, out var message, out _) == FrameReadResult.Frame)
        {
            total += message.Length;
        }

        return total;
    }

    private sealed class Segments : ReadOnlySequenceSegment<byte>
    {
        private Segments(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public static ReadOnlySequence<byte> Split(byte[] data, int size)
        {
            var first = new Segments(data.AsMemory(0, Math.Min(size, data.Length)), 0);
            var last = first;
            for (var offset = size; offset < data.Length; offset += size)
            {
                var next = new Segments(data.AsMemory(offset, Math.Min(size, data.Length - offset)), offset);
                last.Next = next;
                last = next;
            }

            return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
        }
    }
}
