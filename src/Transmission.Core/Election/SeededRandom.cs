namespace Transmission.Core.Election;

// SplitMix64 (Steele, Lea, Flood 2014): tiny, fast and fully specified here, so the same seed gives the same
// bytes on every runtime (System.Random's seeded algorithm is an implementation detail of .NET).
internal sealed class SeededRandom
{
    private ulong _state;

    public SeededRandom(long seed) => _state = unchecked((ulong)seed);

    public ulong NextUInt64()
    {
        unchecked
        {
            var z = _state += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }

    /// <summary>A value in [<paramref name="min"/>, <paramref name="maxExclusive"/>); the modulo bias is irrelevant for test data.</summary>
    public long Next(long min, long maxExclusive)
    {
        if (maxExclusive <= min)
        {
            return min;
        }

        var range = (ulong)(maxExclusive - min);
        return min + (long)(NextUInt64() % range);
    }

    public int Next(int min, int maxExclusive) => (int)Next((long)min, maxExclusive);

    /// <summary>A value in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));
}
