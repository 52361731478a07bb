using System.Runtime.CompilerServices;
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

    /// <summary>
    /// One stored envelope (the first) for each distinct chair signer certificate, accepted or kept as evidence, read
    /// in chunks; used to find which identity a certificate serial names.
    /// </summary>
    public async IAsyncEnumerable<byte[]> EnvelopesPerSignerAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        List<long> firstIds;
        await using (var db = new CentralDbContext(_dbOptions))
        {
            firstIds = await db.Submissions.AsNoTracking()
                .GroupBy(s => s.SignerCertificateSha256)
                .Select(g => g.Min(s => s.Id))
                .OrderBy(id => id)
                .ToListAsync(cancellationToken);
        }

        foreach (var chunk in firstIds.Chunk(500))
        {
            await using var db = new CentralDbContext(_dbOptions);
            var envelopes = await (
                from s in db.Submissions.AsNoTracking()
                join b in db.Blobs.AsNoTracking() on s.EnvelopeSha256 equals b.Sha256
                where chunk.Contains(s.Id)
                orderby s.Id
                select b.Bytes)
                .ToListAsync(cancellationToken);
            foreach (var envelope in envelopes)
            {
                yield return envelope;
            }
        }
    }

    /// <summary>Which of <paramref name="serials"/> (canonical hex) already have a revocation entry in the log.</summary>
    public async Task<HashSet<string>> GetLoggedRevocationSerialsAsync(IReadOnlyCollection<string> serials, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(serials);
        var logged = new HashSet<string>(StringComparer.Ordinal);
        await using var db = new CentralDbContext(_dbOptions);
        foreach (var chunk in serials.Chunk(500))
        {
            logged.UnionWith(await db.Revocations.AsNoTracking().Where(r => chunk.Contains(r.SerialNumber)).Select(r => r.SerialNumber).ToListAsync(cancellationToken));
        }

        return logged;
    }

    /// <summary>The stored CRL with the highest number, or null when none is stored.</summary>
    public async Task<RevocationListRow?> GetLatestRevocationListAsync(CancellationToken cancellationToken)
    {
        await using var db = new CentralDbContext(_dbOptions);
        return await db.RevocationLists.AsNoTracking().OrderByDescending(r => r.Number).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>
    /// Every stored CRL in number order, with its path and PEM text in the audit bundle
    /// (<c>pki/crls/&lt;number&gt;.crl.pem</c>).
    /// </summary>
    public async Task<IReadOnlyList<BundledRevocationList>> ListRevocationListsAsync(CancellationToken cancellationToken)
    {
        await using var db = new CentralDbContext(_dbOptions);
        var rows = await db.RevocationLists.AsNoTracking().OrderBy(r => r.Number).ToListAsync(cancellationToken);
        return [.. rows.Select(r => new BundledRevocationList(r.Number, BundledRevocationList.BundlePath(r.Number), System.Security.Cryptography.PemEncoding.WriteString("X509 CRL", r.Der) + "\n", r.LoadedAt))];
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

/// <summary>A stored CRL as the audit bundle carries it.</summary>
/// <param name="Number">The cRLNumber.</param>
/// <param name="Path">Its path in the bundle, <c>pki/crls/&lt;number&gt;.crl.pem</c>.</param>
/// <param name="Pem">The CRL as PEM (<c>X509 CRL</c>), the DER exactly as Central loaded it.</param>
/// <param name="LoadedAt">When Central put it in force.</param>
public sealed record BundledRevocationList(long Number, string Path, string Pem, DateTimeOffset LoadedAt)
{
    /// <summary>The bundle path of CRL <paramref name="number"/>.</summary>
    public static string BundlePath(long number) => "pki/crls/" + number.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".crl.pem";
}
