using System.Numerics;
using Transmission.Core.Election;

namespace Transmission.Audit.Bundle;

/// <summary>
/// Everything <see cref="BundleWriter"/> writes, taken at one moment (one log size). Large parts are streams of
/// items, so Central can read them from storage while the bundle is written instead of holding them in memory.
/// </summary>
public sealed record BundleContent
{
    /// <summary>The election (the definition's id).</summary>
    public required string ElectionId { get; init; }

    /// <summary>Test or live (the definition's mode).</summary>
    public required ElectionMode Mode { get; init; }

    /// <summary>The election definition, the exact bytes Central loaded.</summary>
    public required ReadOnlyMemory<byte> Definition { get; init; }

    /// <summary>The election root certificate, PEM.</summary>
    public required ReadOnlyMemory<byte> RootCertificatePem { get; init; }

    /// <summary>Central's central-signing certificate (the checkpoint and receipt key), PEM.</summary>
    public required ReadOnlyMemory<byte> CentralSigningCertificatePem { get; init; }

    /// <summary>Every CRL Central put in force, exactly as loaded (PEM), each number once.</summary>
    public required IReadOnlyList<BundleCrl> Crls { get; init; }

    /// <summary>The number of log entries: <see cref="Entries"/> yields exactly this many and the checkpoint is for this size.</summary>
    public required long LogSize { get; init; }

    /// <summary>
    /// The log entries 0..<see cref="LogSize"/>−1 in index order. Called twice (once for <c>log/entries.bin</c>, once
    /// for <c>log/entries.json</c>, which are separate files in the stream); both calls must yield the same entries.
    /// </summary>
    public required Func<CancellationToken, IAsyncEnumerable<BundleEntry>> Entries { get; init; }

    /// <summary>The signed checkpoint note for <see cref="LogSize"/> entries (origin <c>transmission/&lt;election id&gt;</c>).</summary>
    public required string Checkpoint { get; init; }

    /// <summary>Conflicting envelopes kept as evidence, in any order; <see langword="null"/> for none.</summary>
    public Func<CancellationToken, IAsyncEnumerable<BundleBlob>>? Evidence { get; init; }

    /// <summary>Whether the bundle carries the attachments (the scanned forms).</summary>
    public bool IncludesAttachments { get; init; }

    /// <summary>
    /// With <see cref="IncludesAttachments"/>: every attachment the logged protocols declare, each once, in any order.
    /// </summary>
    public Func<CancellationToken, IAsyncEnumerable<BundleBlob>>? Attachments { get; init; }

    /// <summary>Writes <c>published/totals.json</c> at <see cref="LogSize"/> (Central: <c>ResultsExport</c>).</summary>
    public required Func<Stream, CancellationToken, Task> WriteTotals { get; init; }

    /// <summary>Writes <c>published/stations.json</c> at <see cref="LogSize"/> (Central: <c>ResultsExport</c>).</summary>
    public required Func<Stream, CancellationToken, Task> WriteStations { get; init; }
}

/// <summary>One log entry for the writer.</summary>
/// <param name="Kind">What the entry is.</param>
/// <param name="Bytes">The entry bytes exactly as logged (the leaf is their hash).</param>
/// <param name="At">Central's time of the entry: received, decided, or put in force.</param>
/// <param name="Submission">For a submission, what Central recorded about it; <see langword="null"/> for other kinds.</param>
public sealed record BundleEntry(BundleEntryKind Kind, ReadOnlyMemory<byte> Bytes, DateTimeOffset At, SubmissionFacts? Submission = null);

/// <summary>What Central recorded about a stored submission.</summary>
/// <param name="StationCode">The station of the verified payload.</param>
/// <param name="Revision">The revision of the verified payload.</param>
/// <param name="Flags">The Flag-level rule codes assigned when it was stored.</param>
/// <param name="VerifiedCosignatures">How many committee co-signatures verified.</param>
/// <param name="Attachments">The attachments the protocol declares, in protocol order.</param>
public sealed record SubmissionFacts(string StationCode, int Revision, IReadOnlyList<string> Flags, int VerifiedCosignatures, IReadOnlyList<AttachmentFacts> Attachments);

/// <summary>A CRL as Central loaded it.</summary>
/// <param name="Number">Its cRLNumber.</param>
/// <param name="Pem">The PEM bytes exactly as loaded.</param>
public sealed record BundleCrl(BigInteger Number, ReadOnlyMemory<byte> Pem);

/// <summary>A content-addressed file: an evidence envelope or an attachment.</summary>
/// <param name="Sha256Hex">The SHA-256 of <paramref name="Content"/>, lowercase hex (the file name).</param>
/// <param name="Content">The bytes exactly as stored.</param>
public sealed record BundleBlob(string Sha256Hex, ReadOnlyMemory<byte> Content);
