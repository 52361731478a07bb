namespace Transmission.Core.Envelope;

/// <summary>The DSSE payload types this system signs. A verifier always names the one it expects.</summary>
public static class PayloadTypes
{
    /// <summary>A station's result protocol (proto/transmission/v1/protocol.proto), protobuf-encoded.</summary>
    public const string ResultProtocol = "application/vnd.transmission.result-protocol.v1+protobuf";

    /// <summary>Central's receipt for an accepted submission, protobuf-encoded.</summary>
    public const string Receipt = "application/vnd.transmission.receipt.v1+protobuf";

    /// <summary>The longest payload type accepted in an envelope.</summary>
    public const int MaxLength = 256;

    /// <summary>
    /// Whether <paramref name="payloadType"/> is 1–256 characters of visible ASCII (0x21–0x7E). Media types need
    /// nothing else, and ASCII has exactly one UTF-8 encoding, so the signed bytes and the string cannot diverge.
    /// </summary>
    public static bool IsWellFormed(string? payloadType)
    {
        if (string.IsNullOrEmpty(payloadType) || payloadType.Length > MaxLength)
        {
            return false;
        }

        foreach (var c in payloadType)
        {
            if (c is < '!' or > '~')
            {
                return false;
            }
        }

        return true;
    }
}
