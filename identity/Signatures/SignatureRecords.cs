using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Identity.Signatures;

/// <summary>
/// The local test CA: its certificate and its current CRL. Its private key is in the HSM under <see cref="HsmLabel"/>
/// and nowhere else; this row holds only public things.
/// </summary>
public sealed class CertificateAuthorityRecord
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required string HsmLabel { get; init; }

    /// <summary>The self-signed CA certificate, DER.</summary>
    public required byte[] Certificate { get; init; }

    /// <summary>SHA-256 of <see cref="Certificate"/>, hex.</summary>
    public required string Thumbprint { get; init; }

    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset NotAfter { get; init; }

    /// <summary>The CRL served at <c>/pki/ca.crl</c>, DER, and its number (monotonic, RFC 5280 §5.2.3).</summary>
    public byte[]? Crl { get; set; }
    public long CrlNumber { get; set; }
    public DateTimeOffset? CrlThisUpdate { get; set; }
    public DateTimeOffset? CrlNextUpdate { get; set; }
}

/// <summary>A certificate the local CA issued; the CRL lists the revoked ones.</summary>
public sealed class IssuedCertificate
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid AuthorityId { get; init; }
    public Guid AccountId { get; init; }

    /// <summary>Serial number, upper-case hex as X509Certificate2.SerialNumber writes it.</summary>
    public required string SerialNumber { get; init; }

    public required string Thumbprint { get; init; }
    public required byte[] Certificate { get; init; }
    public DateTimeOffset NotBefore { get; init; }
    public DateTimeOffset NotAfter { get; init; }
    public DateTimeOffset IssuedAt { get; init; }
    public Guid? IssuedBy { get; init; }
    public DateTimeOffset? RevokedAt { get; set; }
    public Guid? RevokedBy { get; set; }
    public string? RevocationReason { get; set; }
}

/// <summary>
/// A certificate a person linked to their account: it may then sign them in. Unlinking keeps the row (who linked
/// what, when) and stops its use.
/// </summary>
public sealed class LinkedCertificate
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid UserId { get; init; }
    public required string Thumbprint { get; init; }
    public required string SerialNumber { get; init; }
    public required string Issuer { get; init; }
    public required byte[] Certificate { get; init; }
    public DateTimeOffset NotBefore { get; init; }
    public DateTimeOffset NotAfter { get; init; }
    public DateTimeOffset LinkedAt { get; init; }
    public DateTimeOffset? LastUsedAt { get; set; }
    public DateTimeOffset? UnlinkedAt { get; set; }

    /// <summary>Applied by <c>IdentityDb.OnModelCreating</c>.</summary>
    public static void Configure(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<CertificateAuthorityRecord>(ca =>
        {
            ca.ToTable("certificate_authorities");
            ca.HasKey(c => c.Id);
            ca.Property(c => c.HsmLabel).HasMaxLength(64);
            ca.Property(c => c.Thumbprint).HasMaxLength(64);
        });
        modelBuilder.Entity<IssuedCertificate>(issued =>
        {
            issued.ToTable("issued_certificates");
            issued.HasKey(c => c.Id);
            issued.Property(c => c.SerialNumber).HasMaxLength(64);
            issued.HasIndex(c => new { c.AuthorityId, c.SerialNumber }).IsUnique();
            issued.Property(c => c.Thumbprint).HasMaxLength(64);
            issued.HasIndex(c => c.Thumbprint).IsUnique();
            issued.HasIndex(c => c.AccountId);
            issued.Property(c => c.RevocationReason).HasMaxLength(500);
        });
        modelBuilder.Entity<LinkedCertificate>(linked =>
        {
            linked.ToTable("linked_certificates");
            linked.HasKey(c => c.Id);
            linked.HasIndex(c => c.UserId);
            linked.Property(c => c.Thumbprint).HasMaxLength(64);
            // A certificate signs in one account at a time.
            linked.HasIndex(c => c.Thumbprint).IsUnique().HasFilter("unlinked_at IS NULL");
            linked.Property(c => c.SerialNumber).HasMaxLength(64);
            linked.Property(c => c.Issuer).HasMaxLength(1000);
        });
    }
}
