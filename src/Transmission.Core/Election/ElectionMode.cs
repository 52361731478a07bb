namespace Transmission.Core.Election;

/// <summary>
/// Whether an election is a rehearsal or the real thing (design §2): signed into every protocol so rehearsal
/// data can never be mixed into real results. Values match <c>transmission.v1.ElectionMode</c>.
/// </summary>
public enum ElectionMode
{
    /// <summary>Not set. Never valid in a definition; a protocol carrying it fails <c>MODE_MISMATCH</c>.</summary>
    Unspecified = 0,

    /// <summary><c>"test"</c>: a rehearsal.</summary>
    Test = 1,

    /// <summary><c>"live"</c>: election night.</summary>
    Live = 2,
}

/// <summary>The JSON spelling of <see cref="ElectionMode"/>.</summary>
public static class ElectionModeNames
{
    /// <summary><c>"test"</c>, <c>"live"</c> (or <c>"unspecified"</c>).</summary>
    public static string ToJsonName(this ElectionMode mode) => mode switch
    {
        ElectionMode.Test => "test",
        ElectionMode.Live => "live",
        ElectionMode.Unspecified => "unspecified",
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, null),
    };

    /// <summary>Reads <c>"test"</c> or <c>"live"</c> (case-sensitive); anything else is <see langword="false"/>.</summary>
    public static bool TryParse(string? name, out ElectionMode mode)
    {
        mode = name switch
        {
            "test" => ElectionMode.Test,
            "live" => ElectionMode.Live,
            _ => ElectionMode.Unspecified,
        };
        return mode != ElectionMode.Unspecified;
    }
}
