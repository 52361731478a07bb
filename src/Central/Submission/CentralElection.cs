using Transmission.Core.Election;

namespace Transmission.Central.Submission;

/// <summary>The election Central serves: its definition, parsed once at start-up from the exact file bytes.</summary>
public sealed class CentralElection
{
    private CentralElection(ElectionDefinition definition, string path, ReadOnlyMemory<byte> bytes)
    {
        Definition = definition;
        Path = path;
        Bytes = bytes;
    }

    /// <summary>The definition file's bytes exactly as read (their SHA-256 is the definition hash); the audit bundle carries them.</summary>
    public ReadOnlyMemory<byte> Bytes { get; }

    /// <summary>The parsed definition; its SHA-256 is of the file bytes.</summary>
    public ElectionDefinition Definition { get; }

    /// <summary>Where the definition was read from.</summary>
    public string Path { get; }

    /// <summary>
    /// Reads and parses the definition at <paramref name="path"/>. Throws <see cref="InvalidOperationException"/> with one
    /// line naming the first definition error (and how many more there are) when the file is unreadable or invalid.
    /// </summary>
    public static CentralElection Load(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"Central:Election:Definition '{path}' cannot be read: {e.Message}", e);
        }

        var parsed = ElectionDefinition.Parse(bytes);
        if (parsed.Definition is not { } definition)
        {
            var more = parsed.Errors.Count > 1 ? $" (and {parsed.Errors.Count - 1} more)" : string.Empty;
            var first = parsed.Errors.Count > 0 ? parsed.Errors[0].ToString() : "no definition";
            throw new InvalidOperationException($"Central:Election:Definition '{path}' is not a valid election definition: {first}{more}");
        }

        return new CentralElection(definition, path, bytes);
    }
}
