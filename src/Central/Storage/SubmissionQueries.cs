using Microsoft.EntityFrameworkCore;

namespace Transmission.Central.Storage;

/// <summary>Read side of storage; each call uses its own short-lived context (WAL: never blocks the writer).</summary>
public sealed class SubmissionQueries
{
    private readonly DbContextOptions<CentralDbContext> _dbOptions;

    /// <summary>Reads through <paramref name="dbOptions"/>.</summary>
    public SubmissionQueries(DbContextOptions<CentralDbContext> dbOptions)
    {
        ArgumentNullException.ThrowIfNull(dbOptions);
        _dbOptions = dbOptions;
    }

    /// <summary>The submission whose envelope has this SHA-256 (with its attachments), or null.</summary>
    public async Task<Submission?> FindByEnvelopeAsync(byte[] envelopeSha256, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(envelopeSha256);
        await using var db = new CentralDbContext(_dbOptions);
        return await db.Submissions.AsNoTracking()
            .Include(s => s.Attachments.OrderBy(a => a.Index))
            .SingleOrDefaultAsync(s => s.EnvelopeSha256 == envelopeSha256, cancellationToken);
    }

    /// <summary>
    /// The receipt stored for the envelope with this SHA-256, only when it is an accepted submission of
    /// <paramref name="stationCode"/> in <paramref name="electionId"/>; otherwise null (the caller cannot tell why).
    /// </summary>
    public async Task<byte[]?> FindReceiptAsync(byte[] envelopeSha256, string electionId, string stationCode, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(envelopeSha256);
        await using var db = new CentralDbContext(_dbOptions);
        return await db.Submissions.AsNoTracking()
            .Where(s => s.EnvelopeSha256 == envelopeSha256 && s.ElectionId == electionId && s.StationCode == stationCode && s.Status == SubmissionStatus.Accepted)
            .Select(s => s.ReceiptBytes)
            .SingleOrDefaultAsync(cancellationToken);
    }

    /// <summary>The station's highest accepted revision in the election, or null when it has none.</summary>
    public async Task<int?> GetLatestAcceptedRevisionAsync(string electionId, string stationCode, CancellationToken cancellationToken)
    {
        await using var db = new CentralDbContext(_dbOptions);
        return await db.Submissions.AsNoTracking()
            .Where(s => s.ElectionId == electionId && s.StationCode == stationCode && s.Status == SubmissionStatus.Accepted)
            .MaxAsync(s => (int?)s.Revision, cancellationToken);
    }

    /// <summary>The stored bytes with this SHA-256 (an envelope or attachment), or null.</summary>
    public async Task<byte[]?> GetBlobAsync(byte[] sha256, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sha256);
        await using var db = new CentralDbContext(_dbOptions);
        return await db.Blobs.AsNoTracking()
            .Where(b => b.Sha256 == sha256)
            .Select(b => b.Bytes)
            .SingleOrDefaultAsync(cancellationToken);
    }
}
