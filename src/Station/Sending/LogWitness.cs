using Transmission.Core.Log;

namespace Transmission.Station.Sending;

/// <summary>
/// The station's check of Central's answer to GetLogConsistency: the latest checkpoint is signed by Central's log key
/// for this election's log, is not smaller than the checkpoint the station holds, and the consistency proof shows the
/// held tree is a prefix of it (RFC 9162 §2.1.4.2).
/// </summary>
internal static class LogWitness
{
    /// <summary>WITNESS_CHECKPOINT_INVALID: Central's latest checkpoint is not a valid note signed by the receipts' key.</summary>
    public const string CheckpointInvalid = "WITNESS_CHECKPOINT_INVALID";

    /// <summary>LOG_SHRANK: Central's latest checkpoint is smaller than one the station holds.</summary>
    public const string Shrank = "LOG_SHRANK";

    /// <summary>LOG_INCONSISTENT: the proof does not show the held checkpoint to be a prefix of the latest.</summary>
    public const string Inconsistent = "LOG_INCONSISTENT";

    /// <summary>Checks Central's <paramref name="note"/> and <paramref name="proof"/> against the held checkpoint <paramref name="held"/>.</summary>
    public static WitnessCheck Check(Checkpoint held, string note, IReadOnlyList<byte[]> proof, CheckpointKey key)
    {
        ArgumentNullException.ThrowIfNull(held);
        ArgumentNullException.ThrowIfNull(proof);
        var verified = CheckpointNote.Verify(note ?? string.Empty, key);
        if (verified.Checkpoint is not { } latest)
        {
            return new WitnessCheck(null, CheckpointInvalid, $"{verified.ReasonCode}: {verified.Detail}");
        }

        if (latest.TreeSize < held.TreeSize)
        {
            return new WitnessCheck(null, Shrank, $"Central's log has {latest.TreeSize} entries, fewer than the {held.TreeSize} of a checkpoint it signed before");
        }

        var consistency = MerkleProofs.VerifyConsistency(held.TreeSize, latest.TreeSize, proof, held.RootHash, latest.RootHash);
        return consistency.IsValid
            ? new WitnessCheck(latest, null, string.Empty)
            : new WitnessCheck(null, Inconsistent, $"the log of {latest.TreeSize} entries does not extend the checkpoint of {held.TreeSize} ({consistency})");
    }
}

/// <summary>The latest checkpoint when Central's answer holds up; otherwise a reason code and plain words.</summary>
internal sealed record WitnessCheck(Checkpoint? Latest, string? ReasonCode, string Detail);
