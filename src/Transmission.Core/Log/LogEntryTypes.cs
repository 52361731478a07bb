namespace Transmission.Core.Log;

/// <summary>
/// What the transparency log's entries are (docs/protocol.md, section 10.1): the exact bytes hashed into each leaf. A submission's
/// entry is its envelope as received; every other kind is a DSSE pre-authentication encoding
/// <c>PAE(type, protobuf body)</c> with one of the types below, so no entry of one kind can be read as another.
/// </summary>
public static class LogEntryTypes
{
    /// <summary>A review decision: <c>PAE(Decision, LoggedDecision)</c> (proto/transmission/v1/review.proto).</summary>
    public const string Decision = "application/vnd.transmission.decision.v1+protobuf";

    /// <summary>A certificate revocation Central put in force: <c>PAE(Revocation, LoggedRevocation)</c> (audit.proto).</summary>
    public const string Revocation = "application/vnd.transmission.revocation.v1+protobuf";

    /// <summary>The log's origin line and checkpoint key name for <paramref name="electionId"/>: <c>transmission/&lt;election id&gt;</c>.</summary>
    public static string Origin(string electionId)
    {
        ArgumentException.ThrowIfNullOrEmpty(electionId);
        return "transmission/" + electionId;
    }
}
