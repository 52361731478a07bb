using System.Diagnostics.CodeAnalysis;

namespace Transmission.Core.Log;

/// <summary>Why a checkpoint was not parsed, verified or signed. Reason codes: <see cref="CheckpointFailureCodes"/>.</summary>
public enum CheckpointFailure
{
    /// <summary><c>NOTE_MALFORMED</c>: the text is not a well-formed C2SP signed note.</summary>
    NoteMalformed,

    /// <summary><c>CHECKPOINT_MALFORMED</c>: the note text is not a well-formed checkpoint.</summary>
    CheckpointMalformed,

    /// <summary><c>SIGNATURE_MISSING</c>: no signature line from the expected key (name and key ID).</summary>
    SignatureMissing,

    /// <summary><c>SIGNATURE_INVALID</c>: a signature line from the expected key does not verify.</summary>
    SignatureInvalid,

    /// <summary><c>ORIGIN_MISMATCH</c>: the checkpoint's origin is not the log key's name.</summary>
    OriginMismatch,

    /// <summary><c>SIZE_DECREASED</c>: the signer was asked to sign a smaller tree than it last signed.</summary>
    SizeDecreased,

    /// <summary><c>INCONSISTENT</c>: the consistency proof from the last signed checkpoint does not verify.</summary>
    Inconsistent,
}

/// <summary>Stable reason codes for <see cref="CheckpointFailure"/>.</summary>
public static class CheckpointFailureCodes
{
    /// <summary>The SCREAMING_SNAKE reason code of a failure, e.g. <c>INCONSISTENT</c>.</summary>
    public static string ToReasonCode(this CheckpointFailure failure) => failure switch
    {
        CheckpointFailure.NoteMalformed => "NOTE_MALFORMED",
        CheckpointFailure.CheckpointMalformed => "CHECKPOINT_MALFORMED",
        CheckpointFailure.SignatureMissing => "SIGNATURE_MISSING",
        CheckpointFailure.SignatureInvalid => "SIGNATURE_INVALID",
        CheckpointFailure.OriginMismatch => "ORIGIN_MISMATCH",
        CheckpointFailure.SizeDecreased => "SIZE_DECREASED",
        CheckpointFailure.Inconsistent => "INCONSISTENT",
        _ => throw new ArgumentOutOfRangeException(nameof(failure), failure, null),
    };
}

/// <summary>The outcome of parsing, verifying or signing a checkpoint.</summary>
// Invariant: IsValid == (Failure is null) == (Checkpoint is not null); SignedNote is set only by a successful sign.
public sealed class CheckpointResult
{
    private CheckpointResult(Checkpoint? checkpoint, string? signedNote, CheckpointFailure? failure, string detail)
    {
        Checkpoint = checkpoint;
        SignedNote = signedNote;
        Failure = failure;
        Detail = detail;
    }

    /// <summary>Whether the operation succeeded.</summary>
    [MemberNotNullWhen(true, nameof(Checkpoint))]
    [MemberNotNullWhen(false, nameof(Failure), nameof(ReasonCode))]
    public bool IsValid => Failure is null;

    /// <summary>The parsed, verified or signed checkpoint.</summary>
    public Checkpoint? Checkpoint { get; }

    /// <summary>After signing, the whole signed note (checkpoint text, blank line, signature line).</summary>
    public string? SignedNote { get; }

    /// <summary>Why it failed.</summary>
    public CheckpointFailure? Failure { get; }

    /// <summary>The reason code, e.g. <c>SIGNATURE_INVALID</c>; <see langword="null"/> when valid.</summary>
    public string? ReasonCode => Failure?.ToReasonCode();

    /// <summary>A one-line explanation (empty when valid). Never contains key material.</summary>
    public string Detail { get; }

    /// <summary>A success.</summary>
    public static CheckpointResult Ok(Checkpoint checkpoint, string? signedNote = null)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        return new CheckpointResult(checkpoint, signedNote, null, string.Empty);
    }

    /// <summary>A refusal.</summary>
    public static CheckpointResult Fail(CheckpointFailure failure, string detail) => new(null, null, failure, detail ?? string.Empty);

    /// <inheritdoc/>
    public override string ToString() => IsValid ? $"OK {Checkpoint}" : $"{ReasonCode}: {Detail}";
}
