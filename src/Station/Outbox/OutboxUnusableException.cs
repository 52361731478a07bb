namespace Transmission.Station.Outbox;

/// <summary>
/// The outbox file cannot be used: damaged, written by a newer version, or belonging to another station.
/// The file is left exactly as it was (never recreated or repaired here): it may hold signed protocols.
/// </summary>
internal sealed class OutboxUnusableException : Exception
{
    /// <summary>An exception with a reason code and a message for the chair.</summary>
    public OutboxUnusableException(string reasonCode, string message, Exception? inner = null)
        : base(message, inner)
    {
        ReasonCode = reasonCode;
    }

    /// <summary><c>OUTBOX_DAMAGED</c>: the integrity check failed.</summary>
    public const string Damaged = "OUTBOX_DAMAGED";

    /// <summary><c>OUTBOX_SCHEMA_NEWER</c>: written by a newer station version (schema version above this one's).</summary>
    public const string SchemaNewer = "OUTBOX_SCHEMA_NEWER";

    /// <summary><c>OUTBOX_STATION_MISMATCH</c>: the outbox belongs to another station.</summary>
    public const string StationMismatch = "OUTBOX_STATION_MISMATCH";

    /// <summary>One of the reason codes above.</summary>
    public string ReasonCode { get; }
}
