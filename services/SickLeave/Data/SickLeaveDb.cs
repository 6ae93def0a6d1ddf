using Gosuslugi.Health.ServiceDefaults;
using Gosuslugi.Health.ServiceDefaults.Care;
using Gosuslugi.Health.ServiceDefaults.Consents;
using Gosuslugi.Health.ServiceDefaults.Encryption;
using Gosuslugi.Health.ServiceDefaults.Patients;
using Gosuslugi.Health.SickLeave.Domain;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.SickLeave.Data;

public sealed class SickLeaveDb(DbContextOptions<SickLeaveDb> options) : DbContext(options), IPatientDataKeyStore
{
    public DbSet<SickLeaveCertificate> Certificates => Set<SickLeaveCertificate>();

    public DbSet<CertificateVersion> CertificateVersions => Set<CertificateVersion>();

    public DbSet<MissingCertificateRequest> Requests => Set<MissingCertificateRequest>();

    public DbSet<KnownPatient> KnownPatients => Set<KnownPatient>();

    public DbSet<PatientDataKey> PatientDataKeys => Set<PatientDataKey>();

    // Medical content (reason, doctor, regime, periods; patients' comments and refusals) is sealed with the patient's key.
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder) =>
        configurationBuilder.StoreSealedValues();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.AddOutboxAndInbox();
        modelBuilder.AddPatientDataKeys();
        // Doctors read a patient's certificates while the patient is in their organization's care, unless restricted.
        modelBuilder.AddCareRelationships();
        modelBuilder.AddPatientAccessRestrictions();
        // Organizations name patients by SNILS; the certificate and the organizations' queue show the name.
        modelBuilder.AddKnownPatients();

        modelBuilder.Entity<SickLeaveCertificate>(certificate =>
        {
            certificate.ToTable("certificates");
            certificate.HasKey(c => c.Id);
            certificate.Property(c => c.Id).ValueGeneratedNever();
            certificate.Property(c => c.Number).HasMaxLength(SickLeaveRules.NumberLength).IsFixedLength();
            certificate.Property(c => c.OrganizationName).HasMaxLength(SickLeaveRules.OrganizationNameLength);
            certificate.Property(c => c.Status).HasMaxLength(16);
            certificate.Property(c => c.ContentHash).HasMaxLength(64).IsFixedLength();
            certificate.Property(c => c.UpdatedAt).IsConcurrencyToken();
            // A number is issued once in the country: a resend finds its certificate by it.
            certificate.HasIndex(c => c.Number).IsUnique();
            // The patient's list by period, newest first.
            certificate.HasIndex(c => new { c.PatientId, c.StartsOn });
        });

        modelBuilder.Entity<CertificateVersion>(version =>
        {
            version.ToTable("certificate_versions");
            version.HasKey(v => v.Id);
            version.Property(v => v.Id).ValueGeneratedNever();
            version.Property(v => v.Status).HasMaxLength(16);
            version.Property(v => v.ContentHash).HasMaxLength(64).IsFixedLength();
            version.Property(v => v.SubmittedBy).HasMaxLength(SickLeaveRules.ByLength);
            version.HasOne<SickLeaveCertificate>().WithMany().HasForeignKey(v => v.CertificateId).OnDelete(DeleteBehavior.Restrict);
            version.HasIndex(v => new { v.CertificateId, v.Version }).IsUnique();
        });

        modelBuilder.Entity<MissingCertificateRequest>(request =>
        {
            request.ToTable("missing_certificate_requests");
            request.HasKey(r => r.Id);
            request.Property(r => r.Id).ValueGeneratedNever();
            request.Property(r => r.OrganizationName).HasMaxLength(SickLeaveRules.OrganizationNameLength);
            request.Property(r => r.Number).HasMaxLength(SickLeaveRules.NumberLength);
            request.Property(r => r.IdempotencyKey).HasMaxLength(SickLeaveRules.IdempotencyKeyLength);
            request.Property(r => r.Status).HasMaxLength(16);
            request.Property(r => r.AnsweredBy).HasMaxLength(SickLeaveRules.ByLength);
            request.Property(r => r.CertificateNumber).HasMaxLength(SickLeaveRules.NumberLength);
            request.Property(r => r.UpdatedAt).IsConcurrencyToken();
            request.Ignore(r => r.IsFinal);
            request.Ignore(r => r.WasOverdue);
            request.HasIndex(r => new { r.PatientId, r.SubmittedAt });
            // NULL keys never collide.
            request.HasIndex(r => new { r.PatientId, r.IdempotencyKey }).IsUnique();
            // The organization's queue, soonest due first.
            request.HasIndex(r => new { r.OrganizationId, r.DueAt });
            // The overdue sweep reads only unanswered requests, by due time.
            request.HasIndex(r => r.DueAt).HasDatabaseName("ix_missing_certificate_requests_awaiting_answer")
                .HasFilter("status = 'submitted'");
        });
    }
}
