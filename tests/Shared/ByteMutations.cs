using FsCheck;
using FsCheck.Fluent;

namespace Transmission.Testing.Properties;

/// <summary>
/// Random damage to a byte string, as a network, a disk or an attacker might do it: one byte changed, cut short,
/// bytes inserted, bytes deleted, two bytes swapped. Every mutation differs from the original.
/// </summary>
internal static class ByteMutations
{
    /// <summary>A generator of mutated copies of <paramref name="original"/> (which must not be empty), with the kind of damage.</summary>
    public static Gen<(byte[] Bytes, string Kind)> Of(byte[] original)
    {
        ArgumentNullException.ThrowIfNull(original);
        ArgumentOutOfRangeException.ThrowIfZero(original.Length);
        var last = original.Length - 1;
        var randomBytes = Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b)).Where(a => a.Length > 0);
        var distinctPair = from a in Gen.Choose(0, last)
                           from b in Gen.Choose(0, last)
                           where original[a] != original[b]
                           select (a, b);
        var mutations = new List<Gen<(byte[] Bytes, string Kind)>>
        {
            from position in Gen.Choose(0, last)
            from xor in Gen.Choose(1, 255)
            select (Flip(original, position, (byte)xor), $"byte {position} ^ 0x{xor:x2}"),
            from length in Gen.Choose(0, last)
            select (original[..length], $"cut to {length} bytes"),
            from position in Gen.Choose(0, original.Length)
            from extra in randomBytes
            select (Concat(original[..position], extra, original[position..]), $"{extra.Length} bytes inserted at {position}"),
            from position in Gen.Choose(0, last)
            from count in Gen.Choose(1, 16)
            select (Concat(original[..position], original[Math.Min(original.Length, position + count)..]), $"{count} bytes deleted at {position}"),
        };
        if (original.Distinct().Skip(1).Any())
        {
            mutations.Add(from pair in distinctPair select (Swap(original, pair.a, pair.b), $"bytes {pair.a} and {pair.b} swapped"));
        }

        return Gen.OneOf(mutations);
    }

    private static byte[] Flip(byte[] bytes, int position, byte xor)
    {
        var copy = (byte[])bytes.Clone();
        copy[position] ^= xor;
        return copy;
    }

    private static byte[] Swap(byte[] bytes, int a, int b)
    {
        var copy = (byte[])bytes.Clone();
        (copy[a], copy[b]) = (copy[b], copy[a]);
        return copy;
    }

    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();
}
