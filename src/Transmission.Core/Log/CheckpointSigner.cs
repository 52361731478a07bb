using System.Security.Cryptography;

namespace Transmission.Core.Log;

/// <summary>
/// Central's checkpoint signer: it never signs a checkpoint that is smaller than, or not provably consistent with,
/// the last one it signed (tlog-checkpoint: "A log MUST not sign any checkpoint which is inconsistent with any
/// checkpoint it previously signed"). Not thread-safe; one instance per log key.
/// </summary>
/// <remarks>
/// The guard is only as good as <see cref="LastSigned"/>: after a restart, construct it with the last checkpoint
/// that was signed and persisted. A refused checkpoint changes nothing.
/// </remarks>
public sealed class CheckpointSigner
{
    private readonly ECDsa _privateKey;

    /// <summary>A signer for the log <paramref name="origin"/> (also the key name), resuming after <paramref name="lastSigned"/>.</summary>
    public CheckpointSigner(string origin, ECDsa privateKey, Checkpoint? lastSigned = null)
    {
        ArgumentNullException.ThrowIfNull(privateKey);
        Key = new CheckpointKey(origin, privateKey);
        if (lastSigned is not null && lastSigned.Origin != origin)
        {
            throw new ArgumentException("The last signed checkpoint belongs to another log.", nameof(lastSigned));
        }

        _privateKey = privateKey;
        LastSigned = lastSigned;
    }

    /// <summary>The public side of the signing key (name = origin, key ID).</summary>
    public CheckpointKey Key { get; }

    /// <summary>The last checkpoint this signer signed, or the one it resumed from.</summary>
    public Checkpoint? LastSigned { get; private set; }

    /// <summary>
    /// Signs <paramref name="next"/> if its origin is this log's, its size is not smaller than the last signed one, and
    /// <paramref name="consistencyProof"/> proves the last signed tree a prefix of it (RFC 9162 §2.1.4.2; empty for
    /// the same size, which then needs the same root). The first checkpoint needs no proof.
    /// </summary>
    public CheckpointResult Sign(Checkpoint next, IReadOnlyList<byte[]> consistencyProof)
    {
        ArgumentNullException.ThrowIfNull(next);
        ArgumentNullException.ThrowIfNull(consistencyProof);
        if (next.Origin != Key.Name)
        {
            return CheckpointResult.Fail(CheckpointFailure.OriginMismatch, $"The origin is not {Key.Name}.");
        }

        if (LastSigned is { } last)
        {
            if (next.TreeSize < last.TreeSize)
            {
                return CheckpointResult.Fail(CheckpointFailure.SizeDecreased, $"Size {next.TreeSize} is below the last signed {last.TreeSize}.");
            }

            var proof = MerkleProofs.VerifyConsistency(last.TreeSize, next.TreeSize, consistencyProof, last.RootHash, next.RootHash);
            if (!proof.IsValid)
            {
                return CheckpointResult.Fail(CheckpointFailure.Inconsistent, $"Not consistent with the last signed size {last.TreeSize}: {proof}.");
            }
        }

        var note = CheckpointNote.Sign(next, Key.Name, _privateKey);
        LastSigned = next;
        return CheckpointResult.Ok(next, note);
    }
}
