using System.Buffers;
using System.Buffers.Binary;
using FsCheck;
using FsCheck.Fluent;
using Transmission.Grpc.Internal;
using Transmission.Testing.Properties;

namespace Transmission.Grpc.Tests.Internal;

/// <summary>
/// Property-based checks of the length-prefixed framing (issue 7, item 3): any run of frames, cut into any segments,
/// reads back message for message; a damaged prefix is refused (bad flag, over the limit) or waits for more data,
/// never throws and never yields bytes that were not sent.
/// </summary>
public sealed class MessageFramingPropertyTests
{
    private const int Limit = 4_096;

    [Fact]
    public void TryReadFrame_FramesCutIntoRandomSegments_ReadBackExactly()
    {
        var property = Prop.ForAll(Arb.From(FramesInSegments()), input =>
        {
            var buffer = SequenceSegments.Of(input.Segments);
            var read = new List<(bool Compressed, byte[] Message)>();
            while (MessageFraming.TryReadFrame(ref buffer, Limit, out var compressed, out var message, out _) == FrameReadResult.Frame)
            {
                read.Add((compressed, message.ToArray()));
            }

            Assert.Equal(0, buffer.Length);
            Assert.Equal(input.Frames.Length, read.Count);
            for (var i = 0; i < read.Count; i++)
            {
                Assert.Equal(input.Frames[i].Compressed, read[i].Compressed);
                Assert.Equal(input.Frames[i].Message, read[i].Message);
            }
        });

        Check.One(PropertyRuns.Config(ciRuns: 1_000), property);
    }

    [Fact]
    public void TryReadFrame_DamagedPrefix_RefusedOrWaitsNeverInventsAMessage()
    {
        var property = Prop.ForAll(Arb.From(DamagedFrame()), input =>
        {
            var buffer = new ReadOnlySequence<byte>(input.Bytes);
            var result = MessageFraming.TryReadFrame(ref buffer, Limit, out _, out var message, out var declared);
            var flag = input.Bytes[0];
            switch (result)
            {
                case FrameReadResult.InvalidFlag:
                    Assert.True(flag > 1);
                    break;
                case FrameReadResult.TooLarge:
                    Assert.True(flag <= 1 && declared > Limit);
                    break;
                case FrameReadResult.NeedMoreData:
                    Assert.True(flag <= 1 && declared <= Limit && declared > input.Bytes.Length - MessageFraming.HeaderSize);
                    Assert.Equal(input.Bytes.Length, buffer.Length);
                    break;
                case FrameReadResult.Frame:
                    // Only a prefix that still fits the bytes may yield a frame, and then exactly those bytes.
                    Assert.True(flag <= 1 && declared <= input.Bytes.Length - MessageFraming.HeaderSize);
                    Assert.Equal(input.Bytes.AsSpan(MessageFraming.HeaderSize, (int)declared).ToArray(), message.ToArray());
                    break;
                default:
                    Assert.Fail($"unexpected result {result}");
                    break;
            }

            Assert.Equal(BinaryPrimitives.ReadUInt32BigEndian(input.Bytes.AsSpan(1, 4)), (uint)declared);
        });

        Check.One(PropertyRuns.Config(ciRuns: 2_000), property);
    }

    private static Gen<byte> Bytes() => Gen.Choose(0, 255).Select(b => (byte)b);

    private static Gen<(bool Compressed, byte[] Message)> Frame() =>
        from compressed in Gen.Elements(false, true)
        from length in Gen.Frequency((4, Gen.Choose(0, 64)), (1, Gen.Choose(65, Limit)))
        from message in Gen.ArrayOf(Bytes(), length)
        select (compressed, message);

    private static Gen<((bool Compressed, byte[] Message)[] Frames, byte[][] Segments)> FramesInSegments() =>
        from frames in Gen.ArrayOf(Frame()).Where(f => f.Length > 0)
        let wire = frames.SelectMany(f => Framed(f.Compressed, f.Message)).ToArray()
        from cuts in Gen.ArrayOf(Gen.Choose(1, wire.Length - 1))
        select (frames, Cut(wire, cuts));

    private static Gen<(byte[] Bytes, string Kind)> DamagedFrame() =>
        from frame in Frame()
        let wire = Framed(frame.Compressed, frame.Message)
        from position in Gen.Choose(0, MessageFraming.HeaderSize - 1)
        from xor in Gen.Choose(1, 255)
        from truncate in Gen.Choose(MessageFraming.HeaderSize, wire.Length)
        select (Damage(wire, position, (byte)xor)[..truncate], $"byte {position} ^ {xor}, {truncate} of {wire.Length} bytes");

    private static byte[] Framed(bool compressed, byte[] message)
    {
        var wire = new byte[MessageFraming.HeaderSize + message.Length];
        MessageFraming.WriteHeader(wire, compressed, message.Length);
        message.CopyTo(wire, MessageFraming.HeaderSize);
        return wire;
    }

    private static byte[][] Cut(byte[] wire, int[] cuts)
    {
        var points = cuts.Distinct().Order().ToList();
        var parts = new List<byte[]>();
        var start = 0;
        foreach (var point in points.Append(wire.Length))
        {
            parts.Add(wire[start..point]);
            start = point;
        }

        return [.. parts];
    }

    private static byte[] Damage(byte[] wire, int position, byte xor)
    {
        var copy = (byte[])wire.Clone();
        copy[position] ^= xor;
        return copy;
    }
}
