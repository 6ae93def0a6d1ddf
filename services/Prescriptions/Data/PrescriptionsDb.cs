using Gosuslugi.Health.Prescriptions.Domain;
using Gosuslugi.Health.ServiceDefaults;
using Gosuslugi.Health.ServiceDefaults.Consents;
using Gosuslugi.Health.ServiceDefaults.Encryption;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Prescriptions.Data;

public sealed class PrescriptionsDb(DbContextOptions<PrescriptionsDb> options) : DbContext(options), IPatientDataKeyStore
{
    public DbSet<Prescription> Prescriptions => Set<Prescription>();

    public DbSet<MedicationDispense> Dispenses => Set<MedicationDispense>();

    public DbSet<Pharmacy> Pharmacies => Set<Pharmacy>();

    public DbSet<PharmacyGrant> PharmacyGrants => Set<PharmacyGrant>();

    public DbSet<PharmacySending> Sendings => Set<PharmacySending>();

    public DbSet<KnownPatient> KnownPatients => Set<KnownPatient>();

    public DbSet<PatientDataKey> PatientDataKeys => Set<PatientDataKey>();

    // The medication, dosage and prescriber are sealed with the patient's data key (Domain.PrescriptionContent).
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder) =>
        configurationBuilder.StoreSealedValues();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.AddOutboxAndInbox();
        modelBuilder.AddPatientAccessRestrictions();
        modelBuilder.AddPatientDataKeys();

        modelBuilder.Entity<Prescription>(prescription =>
        {
            prescription.ToTable("prescriptions");
            prescription.HasKey(p => p.Id);
            prescription.Property(p => p.Id).ValueGeneratedNever();
            prescription.Property(p => p.OrganizationName).HasMaxLength(300);
            prescription.Property(p => p.ExternalId).HasMaxLength(128);
            prescription.Property(p => p.ContentHash).HasMaxLength(64).IsFixedLength();
            prescription.Property(p => p.Status).HasMaxLength(16);
            prescription.Property(p => p.Quantity).HasPrecision(12, 3);
            prescription.Property(p => p.DispensedQuantity).HasPrecision(12, 3);
            prescription.Ignore(p => p.RemainingQuantity);
            // Dispensing checks the version it read: a change published meanwhile makes the pharmacy read again.
            prescription.Property(p => p.Version).IsConcurrencyToken();

            prescription.HasIndex(p => new { p.OrganizationId, p.ExternalId }).IsUnique();
            // The patient's list, newest first (keyset paging on issued_at, id).
            prescription.HasIndex(p => new { p.PatientId, p.IssuedAt, p.Id }).IsDescending(false, true, true);
            // A pharmacy's queue.
            prescription.HasIndex(p => new { p.PharmacyId, p.SentAt }).HasFilter("pharmacy_id IS NOT NULL");
            // The sweep: active prescriptions by their last day.
            prescription.HasIndex(p => p.ValidUntil).HasFilter("status = 'active'")
                .HasDatabaseName("ix_prescriptions_active_valid_until");
        });

        modelBuilder.Entity<MedicationDispense>(dispense =>
        {
            dispense.ToTable("medication_dispenses");
            dispense.HasKey(d => d.Id);
            dispense.Property(d => d.Id).ValueGeneratedNever();
            dispense.Property(d => d.Quantity).HasPrecision(12, 3);
            dispense.HasOne<Prescription>().WithMany().HasForeignKey(d => d.PrescriptionId).OnDelete(DeleteBehavior.Restrict);
            dispense.HasIndex(d => d.PrescriptionId);
        });

        modelBuilder.Entity<Pharmacy>(pharmacy =>
        {
            pharmacy.ToTable("pharmacies");
            pharmacy.HasKey(p => p.Id);
            pharmacy.Property(p => p.Id).ValueGeneratedNever();
            pharmacy.Property(p => p.Name).HasMaxLength(300);
            pharmacy.Property(p => p.Address).HasMaxLength(500);
            pharmacy.Property(p => p.Hours).HasMaxLength(200);
        });

        modelBuilder.Entity<PharmacyGrant>(grant =>
        {
            grant.ToTable("pharmacy_grants");
            grant.HasKey(g => new { g.PrescriptionId, g.PharmacyId });
        });

        modelBuilder.Entity<PharmacySending>(sending =>
        {
            sending.ToTable("pharmacy_sendings");
            sending.HasKey(s => s.Id);
            sending.Property(s => s.Id).ValueGeneratedNever();
            sending.Property(s => s.IdempotencyKey).HasMaxLength(PharmacySending.IdempotencyKeyLength);
            sending.HasIndex(s => new { s.PatientId, s.IdempotencyKey }).IsUnique();
            sending.HasIndex(s => s.PrescriptionId);
        });

        modelBuilder.Entity<KnownPatient>(patient =>
        {
            patient.ToTable("known_patients");
            patient.HasKey(p => p.PatientId);
            patient.Property(p => p.PatientId).ValueGeneratedNever();
            patient.Property(p => p.Snils).HasMaxLength(11);
            patient.HasIndex(p => p.Snils).IsUnique();
        });
    }
}
