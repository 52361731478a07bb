using System.Numerics;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Transmission.Audit.Bundle;
using Transmission.Central.Exports;
using Transmission.Central.Pki;
using Transmission.Central.Review;
using Transmission.Central.Storage;
using Transmission.Central.Submission;
using StoredSubmission = Transmission.Central.Storage.Submission;

namespace Transmission.Central.Audit;

/// <summary>
/// What <c>ExportBundle</c> streams: the audit bundle (docs/audit-bundle.md) of the log at one size — the size of the
/// review board's snapshot, for which a signed checkpoint exists because one is signed at every commit — read from
/// storage page by page while it is written.
/// </summary>
public sealed class BundleExport(
    DbContextOptions<CentralDbContext> dbOptions,
    CentralElection election,
    ElectionTlsOptions tls,
    ReceiptIssuer issuer,
    ReviewBoard board,
    SubmissionQueries queries)
{
    private const int PageSize = 500;

    /// <summary>
    /// The bundle's content at the board's current log size, or null when no checkpoint of exactly that size was signed
    /// (only possible while another writer shares the database; the caller answers UNAVAILABLE, try again).
    /// </summary>
    public async Task<BundleContent?> CaptureAsync(bool includeAttachments, CancellationToken cancellationToken)
    {
        await board.RefreshAsync(cancellationToken);
        var data = BoardExport.Capture(board);
        var size = data.LogSize;
        CheckpointRow? checkpoint;
        await using (var db = new CentralDbContext(dbOptions))
        {
            checkpoint = await db.Checkpoints.AsNoTracking().SingleOrDefaultAsync(c => c.TreeSize == size, cancellationToken);
        }

        var crls = (await queries.ListRevocationListsAsync(cancellationToken))
            .Select(l => new BundleCrl(new BigInteger(l.Number), Encoding.ASCII.GetBytes(l.Pem)))
            .ToList();

        if (checkpoint is null)
        {
            return null;
        }

        return new BundleContent
        {
            ElectionId = election.Definition.ElectionId,
            Mode = election.Definition.Mode,
            Definition = election.Bytes,
            RootCertificatePem = await File.ReadAllBytesAsync(tls.RootCertificatePath, cancellationToken),
            CentralSigningCertificatePem = Encoding.ASCII.GetBytes(issuer.Certificate.ExportCertificatePem() + "\n"),
            Crls = crls,
            LogSize = size,
            Entries = token => EntriesAsync(size, token),
            Checkpoint = checkpoint.Note,
            Evidence = EvidenceAsync,
            IncludesAttachments = includeAttachments,
            Attachments = includeAttachments ? token => AttachmentsAsync(size, token) : null,
            WriteTotals = (stream, token) => ResultsExport.WriteAsync(data, ExportKind.Totals, ExportFormat.Json, stream, token),
            WriteStations = (stream, token) => ResultsExport.WriteAsync(data, ExportKind.Stations, ExportFormat.Json, stream, token),
        };
    }

    private async IAsyncEnumerable<BundleEntry> EntriesAsync(long size, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        for (long start = 0; start < size; start += PageSize)
        {
            var end = Math.Min(size, start + PageSize);
            List<BundleEntry> page;
            await using (var db = new CentralDbContext(dbOptions))
            {
                page = await PageAsync(db, start, end, cancellationToken);
            }

            foreach (var entry in page)
            {
                yield return entry;
            }
        }
    }

    private static async Task<List<BundleEntry>> PageAsync(CentralDbContext db, long start, long end, CancellationToken cancellationToken)
    {
        var entries = await db.LogEntries.AsNoTracking().Where(e => e.Index >= start && e.Index < end).OrderBy(e => e.Index).ToListAsync(cancellationToken);
        var submissionIds = entries.Where(e => e.SubmissionId is not null).Select(e => e.SubmissionId!.Value).ToList();
        var submissions = await db.Submissions.AsNoTracking().Include(s => s.Attachments).Where(s => submissionIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, cancellationToken);
        var envelopeKeys = submissions.Values.Select(s => s.EnvelopeSha256).ToList();
        var envelopes = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var chunk in envelopeKeys.Chunk(PageSize))
        {
            foreach (var blob in await db.Blobs.AsNoTracking().Where(b => chunk.Contains(b.Sha256)).ToListAsync(cancellationToken))
            {
                envelopes[Convert.ToHexStringLower(blob.Sha256)] = blob.Bytes;
            }
        }

        var decisions = await db.ReviewDecisions.AsNoTracking().Where(d => d.LogIndex >= start && d.LogIndex < end).ToDictionaryAsync(d => d.LogIndex, d => d.EntryBytes, cancellationToken);
        var revocations = await db.Revocations.AsNoTracking().Where(r => r.LogIndex >= start && r.LogIndex < end).ToDictionaryAsync(r => r.LogIndex, r => r.EntryBytes, cancellationToken);
        var page = new List<BundleEntry>(entries.Count);
        foreach (var entry in entries)
        {
            page.Add(entry.Kind switch
            {
                LogEntryKind.Submission => SubmissionEntry(entry, submissions[entry.SubmissionId!.Value], envelopes),
                LogEntryKind.Decision => new BundleEntry(BundleEntryKind.Decision, decisions[entry.Index], entry.CreatedAt),
                LogEntryKind.Revocation => new BundleEntry(BundleEntryKind.Revocation, revocations[entry.Index], entry.CreatedAt),
                _ => throw new InvalidOperationException($"Log entry {entry.Index} has an unknown kind {entry.Kind}."),
            });
        }

        return page;
    }

    private static BundleEntry SubmissionEntry(LogEntry entry, StoredSubmission submission, Dictionary<string, byte[]> envelopes)
    {
        var attachments = submission.Attachments.OrderBy(a => a.Index).Select(a => new AttachmentFacts
        {
            Name = a.Name,
            MediaType = a.MediaType,
            Size = a.Size,
            Sha256 = Convert.ToHexStringLower(a.BlobSha256),
        }).ToList();
        var facts = new Transmission.Audit.Bundle.SubmissionFacts(
            submission.StationCode,
            submission.Revision,
            submission.Flags.Length == 0 ? [] : submission.Flags.Split(','),
            submission.VerifiedCosignatures,
            attachments);
        return new BundleEntry(BundleEntryKind.Submission, envelopes[Convert.ToHexStringLower(submission.EnvelopeSha256)], submission.ReceivedAt, facts);
    }

    private async IAsyncEnumerable<BundleBlob> EvidenceAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        List<byte[]> keys;
        await using (var db = new CentralDbContext(dbOptions))
        {
            keys = await db.Submissions.AsNoTracking().Where(s => s.Status == SubmissionStatus.Conflict).OrderBy(s => s.Id).Select(s => s.EnvelopeSha256).ToListAsync(cancellationToken);
        }

        await foreach (var blob in BlobsAsync(keys, cancellationToken))
        {
            yield return blob;
        }
    }

    private async IAsyncEnumerable<BundleBlob> AttachmentsAsync(long size, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        List<byte[]> keys;
        await using (var db = new CentralDbContext(dbOptions))
        {
            keys = await db.SubmissionAttachments.AsNoTracking()
                .Join(db.Submissions.AsNoTracking().Where(s => s.Status == SubmissionStatus.Accepted && s.LogIndex < size), a => a.SubmissionId, s => s.Id, (a, _) => a.BlobSha256)
                .Distinct().ToListAsync(cancellationToken);
        }

        await foreach (var blob in BlobsAsync(keys, cancellationToken))
        {
            yield return blob;
        }
    }

    /// <summary>Blobs by key, read one at a time (attachments may be megabytes each).</summary>
    private async IAsyncEnumerable<BundleBlob> BlobsAsync(List<byte[]> keys, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var key in keys)
        {
            byte[] bytes;
            await using (var db = new CentralDbContext(dbOptions))
            {
                bytes = await db.Blobs.AsNoTracking().Where(b => b.Sha256 == key).Select(b => b.Bytes).SingleAsync(cancellationToken);
            }

            yield return new BundleBlob(Convert.ToHexStringLower(key), bytes);
        }
    }
}
