using System.Collections;
using Transmission.Grpc.Internal;

namespace Transmission.Grpc;

/// <summary>
/// Custom metadata: ordered key/value pairs sent as HTTP/2 headers or trailers.
/// Keys are lowercase ASCII; keys ending in <c>-bin</c> carry bytes (sent base64),
/// all others carry printable ASCII strings.
/// </summary>
public sealed class Metadata : IReadOnlyList<Metadata.Entry>
{
    /// <summary>The suffix that marks a binary header.</summary>
    public const string BinaryHeaderSuffix = "-bin";

    /// <summary>An empty, read-only instance.</summary>
    public static readonly Metadata Empty = new() { _readOnly = true };

    private readonly List<Entry> _entries = [];
    private bool _readOnly;

    /// <inheritdoc />
    public int Count => _entries.Count;

    /// <inheritdoc />
    public Entry this[int index] => _entries[index];

    /// <summary>Adds a string entry.</summary>
    public void Add(string key, string value) => Add(new Entry(key, value));

    /// <summary>Adds a binary entry; <paramref name="key"/> must end in <c>-bin</c>.</summary>
    public void Add(string key, byte[] value) => Add(new Entry(key, value));

    /// <summary>Adds an entry.</summary>
    public void Add(Entry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (_readOnly)
        {
            throw new InvalidOperationException("This metadata is read-only.");
        }

        _entries.Add(entry);
    }

    /// <summary>The first entry with <paramref name="key"/>, or null.</summary>
    public Entry? Get(string key)
    {
        foreach (var entry in _entries)
        {
            if (string.Equals(entry.Key, key, StringComparison.OrdinalIgnoreCase))
            {
                return entry;
            }
        }

        return null;
    }

    /// <summary>The string value of the first entry with <paramref name="key"/>, or null.</summary>
    public string? GetValue(string key) => Get(key)?.Value;

    /// <summary>The bytes of the first binary entry with <paramref name="key"/>, or null.</summary>
    public byte[]? GetValueBytes(string key) => Get(key)?.ValueBytes;

    /// <inheritdoc />
    public IEnumerator<Entry> GetEnumerator() => _entries.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>One metadata entry.</summary>
    public sealed class Entry
    {
        private readonly string? _value;
        private readonly byte[]? _valueBytes;

        /// <summary>Creates a string entry.</summary>
        public Entry(string key, string value)
        {
            Key = MetadataKey.Normalize(key);
            ArgumentNullException.ThrowIfNull(value);
            if (IsBinary)
            {
                throw new ArgumentException($"Key '{Key}' ends in '-bin' and needs a byte[] value.", nameof(key));
            }

            if (!MetadataKey.IsValidAsciiValue(value))
            {
                throw new ArgumentException("Metadata string values must be printable ASCII (0x20-0x7E).", nameof(value));
            }

            _value = value;
        }

        /// <summary>Creates a binary entry.</summary>
        public Entry(string key, byte[] value)
        {
            Key = MetadataKey.Normalize(key);
            ArgumentNullException.ThrowIfNull(value);
            if (!IsBinary)
            {
                throw new ArgumentException($"Key '{Key}' must end in '-bin' to carry a byte[] value.", nameof(key));
            }

            _valueBytes = value;
        }

        /// <summary>The lowercase key.</summary>
        public string Key { get; }

        /// <summary>True when the key ends in <c>-bin</c>.</summary>
        public bool IsBinary => Key.EndsWith(BinaryHeaderSuffix, StringComparison.Ordinal);

        /// <summary>The string value; throws for binary entries.</summary>
        public string Value => _value ?? throw new InvalidOperationException($"Entry '{Key}' is binary; use ValueBytes.");

        /// <summary>The byte value; throws for string entries.</summary>
        public byte[] ValueBytes => _valueBytes ?? throw new InvalidOperationException($"Entry '{Key}' is not binary; use Value.");

        /// <inheritdoc />
        public override string ToString() => IsBinary ? $"{Key}: <{_valueBytes!.Length} bytes>" : $"{Key}: {_value}";
    }
}
