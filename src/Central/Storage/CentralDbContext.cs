using Microsoft.EntityFrameworkCore;

namespace Transmission.Central.Storage;

/// <summary>
/// Central's database. The model is provider-neutral (byte arrays, strings, integers, DateTimeOffset);
/// only the DateTimeOffset storage is adapted: for SQLite, which has no native type to order by, and for PostgreSQL,
/// whose timestamptz takes only UTC values from Npgsql.
/// </summary>
/// <remarks>Not sealed only for <see cref="PostgreSqlCentralDbContext"/>, which keeps the PostgreSQL migrations apart.</remarks>
public class CentralDbContext : DbContext
{
    /// <summary>Creates the context with the given options (see <see cref="CentralDatabase"/>).</summary>
    public CentralDbContext(DbContextOptions<CentralDbContext> options)
        : base(options)
    {
    }

    /// <summary>Content-addressed bytes.</summary>
    public DbSet<Blob> Blobs => Set<Blob>();

    /// <summary>Received submissions (accepted and conflicting).</summary>
    public DbSet<Submission> Submissions => Set<Submission>();

    /// <summary>Attachments of submissions.</summary>
    public DbSet<SubmissionAttachment> SubmissionAttachments => Set<SubmissionAttachment>();

    /// <summary>The transparency log.</summary>
    public DbSet<LogEntry> LogEntries => Set<LogEntry>();

    /// <summary>Review decisions (append-only).</summary>
    public DbSet<ReviewDecisionRow> ReviewDecisions => Set<ReviewDecisionRow>();

    /// <summary>Stored Merkle tree nodes of the log (levels 1 and up).</summary>
    public DbSet<MerkleNode> MerkleNodes => Set<MerkleNode>();

    /// <summary>Signed checkpoints of the log.</summary>
    public DbSet<CheckpointRow> Checkpoints => Set<CheckpointRow>();

    /// <summary>Security events.</summary>
    public DbSet<SecurityEvent> SecurityEvents => Set<SecurityEvent>();

    /// <summary>Every CRL put in force (append-only).</summary>
    public DbSet<RevocationListRow> RevocationLists => Set<RevocationListRow>();

    /// <summary>Logged certificate revocations (append-only).</summary>
    public DbSet<RevocationRow> Revocations => Set<RevocationRow>();

    /// <inheritdoc />
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        ArgumentNullException.ThrowIfNull(configurationBuilder);
        if (Database.IsSqlite())
        {
            // SQLite would store DateTimeOffset as text that neither orders nor compares reliably;
            // UTC ticks (INTEGER) do both. PostgreSQL keeps its native timestamptz.
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
        }
        else if (Database.IsPostgreSql())
        {
            // Npgsql writes DateTimeOffset to timestamptz only with offset zero; every time Central stores is
            // normalised to UTC (the same instant), so a value from anywhere cannot fail a whole batch.
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcConverter>();
        }
    }

    /// <inheritdoc />
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);

        modelBuilder.Entity<Blob>(blob =>
        {
            blob.HasKey(b => b.Sha256);
            blob.Property(b => b.Sha256).HasMaxLength(32);
            blob.Property(b => b.MediaType).HasMaxLength(200);
        });

        modelBuilder.Entity<Submission>(submission =>
        {
            submission.HasKey(s => s.Id);
            submission.Property(s => s.ElectionId).HasMaxLength(200);
            submission.Property(s => s.StationCode).HasMaxLength(200);
            submission.Property(s => s.PayloadSha256).HasMaxLength(32);
            submission.Property(s => s.EnvelopeSha256).HasMaxLength(32);
            submission.Property(s => s.SignerCertificateSha256).HasMaxLength(32);
            submission.Property(s => s.Flags).HasMaxLength(2000);
            submission.Property(s => s.Status).HasConversion<string>().HasMaxLength(16);
            submission.HasIndex(s => s.EnvelopeSha256).IsUnique();
            submission.HasIndex(s => new { s.ElectionId, s.StationCode, s.Revision });
            submission.HasIndex(s => s.PayloadSha256);
            submission.HasIndex(s => s.ReceivedAt);
            submission.HasIndex(s => s.LogIndex).IsUnique();
            submission.HasOne<Blob>().WithMany().HasForeignKey(s => s.EnvelopeSha256).OnDelete(DeleteBehavior.Restrict);
            submission.HasMany(s => s.Attachments).WithOne().HasForeignKey(a => a.SubmissionId).OnDelete(DeleteBehavior.Restrict);
        });

        modelBuilder.Entity<SubmissionAttachment>(attachment =>
        {
            attachment.HasKey(a => new { a.SubmissionId, a.Index });
            attachment.Property(a => a.Name).HasMaxLength(500);
            attachment.Property(a => a.MediaType).HasMaxLength(200);
            attachment.Property(a => a.BlobSha256).HasMaxLength(32);
            attachment.HasOne<Blob>().WithMany().HasForeignKey(a => a.BlobSha256).OnDelete(DeleteBehavior.Restrict);
        });

        modelBuilder.Entity<LogEntry>(entry =>
        {
            entry.HasKey(e => e.Index);
            entry.Property(e => e.Index).ValueGeneratedNever();
            entry.Property(e => e.Kind).HasConversion<string>().HasMaxLength(16);
            entry.Property(e => e.EntrySha256).HasMaxLength(32);
            entry.Property(e => e.Reference).HasMaxLength(500);
            // Submission.LogIndex points back at the entry as a plain unique column, not a second foreign
            // key: a cycle of foreign keys would need an insert-then-update inside every commit.
            entry.HasOne(e => e.Submission).WithMany().HasForeignKey(e => e.SubmissionId).OnDelete(DeleteBehavior.Restrict);
            entry.HasIndex(e => e.SubmissionId);
            // Inclusion proofs by leaf hash (RFC 9162 get-proof-by-hash).
            entry.HasIndex(e => e.EntrySha256);
        });

        modelBuilder.Entity<ReviewDecisionRow>(decision =>
        {
            decision.ToTable("ReviewDecisions");
            decision.HasKey(d => d.Id);
            decision.Property(d => d.State).HasConversion<string>().HasMaxLength(20);
            decision.Property(d => d.Reason).HasMaxLength(2000);
            decision.Property(d => d.VerifierUri).HasMaxLength(500);
            // One decision per submission: decisions are final per revision (design §6).
            decision.HasIndex(d => d.SubmissionId).IsUnique();
            decision.HasIndex(d => d.LogIndex).IsUnique();
            decision.HasOne<Submission>().WithMany().HasForeignKey(d => d.SubmissionId).OnDelete(DeleteBehavior.Restrict);
        });

        modelBuilder.Entity<MerkleNode>(node =>
        {
            node.HasKey(n => new { n.Level, n.Index });
            node.Property(n => n.Index).ValueGeneratedNever();
            node.Property(n => n.Hash).HasMaxLength(32);
        });

        modelBuilder.Entity<CheckpointRow>(checkpoint =>
        {
            checkpoint.ToTable("Checkpoints");
            checkpoint.HasKey(c => c.TreeSize);
            checkpoint.Property(c => c.TreeSize).ValueGeneratedNever();
            checkpoint.Property(c => c.RootHash).HasMaxLength(32);
            checkpoint.Property(c => c.Note).HasMaxLength(8000);
        });

        modelBuilder.Entity<SecurityEvent>(securityEvent =>
        {
            securityEvent.HasKey(e => e.Id);
            securityEvent.Property(e => e.Kind).HasMaxLength(100);
            securityEvent.Property(e => e.Peer).HasMaxLength(200);
            securityEvent.Property(e => e.CallerUri).HasMaxLength(500);
            securityEvent.HasIndex(e => e.At);
        });

        modelBuilder.Entity<RevocationListRow>(list =>
        {
            list.ToTable("RevocationLists");
            list.HasKey(l => l.Id);
            list.Property(l => l.Sha256).HasMaxLength(32);
            list.HasIndex(l => l.Number).IsUnique();
            list.HasIndex(l => l.Sha256).IsUnique();
        });

        modelBuilder.Entity<RevocationRow>(revocation =>
        {
            revocation.ToTable("Revocations");
            revocation.HasKey(r => r.Id);
            revocation.Property(r => r.SerialNumber).HasMaxLength(64);
            revocation.Property(r => r.SubjectUri).HasMaxLength(500);
            revocation.HasIndex(r => r.SerialNumber).IsUnique();
            revocation.HasIndex(r => r.LogIndex).IsUnique();
            revocation.HasOne(r => r.RevocationList).WithMany().HasForeignKey(r => r.RevocationListId).OnDelete(DeleteBehavior.Restrict);
        });
    }

    private sealed class UtcConverter : Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<DateTimeOffset, DateTimeOffset>
    {
        public UtcConverter()
            : base(v => v.ToUniversalTime(), v => v.ToUniversalTime())
        {
        }
    }

    private sealed class UtcTicksConverter : Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<DateTimeOffset, long>
    {
        public UtcTicksConverter()
            : base(v => v.UtcTicks, v => new DateTimeOffset(v, TimeSpan.Zero))
        {
        }
    }
}
