using System.Globalization;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Microsoft.EntityFrameworkCore;
using Transmission.Audit.Bundle;
using Transmission.Central.Storage;
using Transmission.Contracts.V1;
using Transmission.Grpc;
using SecurityEventRow = Transmission.Central.Storage.SecurityEvent;

namespace Transmission.Central.Audit;

/// <summary>
/// The auditor-facing <c>transmission.v1.Audit</c> service (auditor certificates only; the role check runs before any
/// method): the latest signed checkpoint, inclusion and consistency proofs from the stored tree, the security events,
/// and the audit bundle. Everything it answers can be checked against a signed checkpoint; nothing here writes.
/// </summary>
public sealed class AuditService(LogProofs proofs, DbContextOptions<CentralDbContext> dbOptions, BundleExport bundles)
{
    /// <summary>Security events per page when the caller does not say: 100.</summary>
    public const int DefaultPageSize = 100;

    /// <summary>The largest page of security events: 1,000.</summary>
    public const int MaxPageSize = 1000;

    private const int Sha256Length = 32;

    /// <summary>The latest checkpoint Central signed (it covers the whole log: one is signed at every commit).</summary>
    public async Task<SignedCheckpoint> GetCheckpoint(GetCheckpointRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var latest = await proofs.LatestCheckpointAsync(context.CancellationToken)
            ?? throw new RpcException(new Status(StatusCode.FailedPrecondition, "The log has no signed checkpoint yet."));
        return new SignedCheckpoint { Note = ByteString.CopyFromUtf8(latest.Note) };
    }

    /// <summary>The inclusion proof of an entry (by index or leaf hash) in a tree up to the latest checkpoint's size.</summary>
    public async Task<InclusionProof> GetInclusionProof(GetInclusionProofRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var treeSize = ToLong(request.TreeSize, "tree_size");
        var result = request.LeafCase switch
        {
            GetInclusionProofRequest.LeafOneofCase.Index => await proofs.InclusionProofAsync(ToLong(request.Index, "index"), treeSize, context.CancellationToken),
            GetInclusionProofRequest.LeafOneofCase.EntrySha256 when request.EntrySha256.Length == Sha256Length =>
                await proofs.InclusionProofAsync(request.EntrySha256.ToByteArray(), treeSize, context.CancellationToken),
            GetInclusionProofRequest.LeafOneofCase.EntrySha256 => throw Invalid("entry_sha256 must be the 32-byte leaf hash SHA-256(0x00 || entry)."),
            _ => throw Invalid("name the entry: index or entry_sha256."),
        };
        var ok = Checked(result);
        var response = new InclusionProof { Index = (ulong)ok.First, TreeSize = (ulong)ok.Size };
        response.Hashes.AddRange(ok.Hashes.Select(ByteString.CopyFrom));
        return response;
    }

    /// <summary>The consistency proof between two tree sizes, the second at most the latest checkpoint's (0: that one).</summary>
    public async Task<ConsistencyProof> GetConsistencyProof(GetConsistencyProofRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var ok = Checked(await proofs.ConsistencyProofAsync(ToLong(request.FirstSize, "first_size"), ToLong(request.SecondSize, "second_size"), context.CancellationToken));
        var response = new ConsistencyProof { FirstSize = (ulong)ok.First, SecondSize = (ulong)ok.Size };
        response.Hashes.AddRange(ok.Hashes.Select(ByteString.CopyFrom));
        return response;
    }

    /// <summary>Security events, oldest first, paged by an opaque token.</summary>
    public async Task<ListSecurityEventsResponse> ListSecurityEvents(ListSecurityEventsRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var pageSize = request.PageSize == 0 ? DefaultPageSize : (int)Math.Min(request.PageSize, int.MaxValue);
        if (pageSize > MaxPageSize)
        {
            throw Invalid($"page_size {request.PageSize} is above the limit of {MaxPageSize}.");
        }

        long after = 0;
        if (request.PageToken.Length > 0 && (!long.TryParse(request.PageToken, NumberStyles.None, CultureInfo.InvariantCulture, out after) || after < 0))
        {
            throw Invalid("page_token is not one this service gave out.");
        }

        List<SecurityEventRow> rows;
        await using (var db = new CentralDbContext(dbOptions))
        {
            rows = await db.SecurityEvents.AsNoTracking().Where(e => e.Id > after).OrderBy(e => e.Id).Take(pageSize + 1).ToListAsync(context.CancellationToken);
        }

        var response = new ListSecurityEventsResponse();
        foreach (var row in rows.Take(pageSize))
        {
            response.Events.Add(new Contracts.V1.SecurityEvent
            {
                At = Timestamp.FromDateTimeOffset(row.At),
                Kind = row.Kind,
                Peer = row.Peer ?? string.Empty,
                CallerUri = row.CallerUri ?? string.Empty,
                Detail = row.Detail,
            });
        }

        if (rows.Count > pageSize)
        {
            response.NextPageToken = rows[pageSize - 1].Id.ToString(CultureInfo.InvariantCulture);
        }

        return response;
    }

    /// <summary>
    /// The audit bundle (docs/audit-bundle.md) of the log at the review board's current size, file by file: every chunk of
    /// a file in order, its last one marked, then the next file; MANIFEST.json last.
    /// </summary>
    public async Task ExportBundle(ExportBundleRequest request, IServerStreamWriter<BundleChunk> responseStream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(responseStream);
        ArgumentNullException.ThrowIfNull(context);
        var content = await bundles.CaptureAsync(request.IncludeAttachments, context.CancellationToken)
            ?? throw new RpcException(new Status(StatusCode.Unavailable, "The log grew while the bundle was being prepared; ask again."));
        await BundleWriter.WriteAsync(content, new ChunkSink(responseStream, context.CancellationToken), cancellationToken: context.CancellationToken);
    }

    /// <summary>The proof, or the refusal as a gRPC status: OUT_OF_RANGE for sizes and indexes, NOT_FOUND for an unknown entry.</summary>
    internal static LogProofResult Checked(LogProofResult result) => result.Failure switch
    {
        null => result,
        LogProofFailure.EntryUnknown => throw new RpcException(new Status(StatusCode.NotFound, result.Detail)),
        _ => throw new RpcException(new Status(StatusCode.OutOfRange, result.Detail)),
    };

    private static long ToLong(ulong value, string field) =>
        value <= long.MaxValue ? (long)value : throw Invalid($"{field} {value} is too large.");

    private static RpcException Invalid(string message) => new(new Status(StatusCode.InvalidArgument, message));

    /// <summary>Sends each piece of a bundle file as one <see cref="BundleChunk"/>.</summary>
    private sealed class ChunkSink(IServerStreamWriter<BundleChunk> stream, CancellationToken cancellationToken) : IBundleSink
    {
        public async ValueTask WriteChunkAsync(string path, ReadOnlyMemory<byte> data, bool last, CancellationToken token) =>
            await stream.WriteAsync(new BundleChunk { Path = path, Data = ByteString.CopyFrom(data.Span), Last = last }, cancellationToken);
    }
}
