using Gosuslugi.Health.Records.Domain;
using Gosuslugi.Health.ServiceDefaults;
using Gosuslugi.Health.ServiceDefaults.Care;
using Gosuslugi.Health.ServiceDefaults.Consents;
using Gosuslugi.Health.ServiceDefaults.Encryption;
using Gosuslugi.Health.ServiceDefaults.Patients;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Records.Data;

public sealed class RecordsDb(DbContextOptions<RecordsDb> options) : DbContext(options), IPatientDataKeyStore
{
    public DbSet<RecordItem> Items => Set<RecordItem>();

    public DbSet<Observation> Observations => Set<Observation>();

    public DbSet<RecordDocument> Documents => Set<RecordDocument>();

    public DbSet<AnalyteThreshold> Thresholds => Set<AnalyteThreshold>();

    public DbSet<CareRelationship> CareRelationships => Set<CareRelationship>();

    public DbSet<KnownPatient> KnownPatients => Set<KnownPatient>();

    public DbSet<PatientDataKey> PatientDataKeys => Set<PatientDataKey>();

    // Medical content (titles, details, values, documents) is sealed with the patient's data key; see Domain.
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder) =>
        configurationBuilder.StoreSealedValues();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.AddOutboxAndInbox();
        // The patient's restrictions (identity's AccessRestrictionChanged), enforced on doctors' reads.
        modelBuilder.AddPatientAccessRestrictions();
        modelBuilder.AddPatientDataKeys();
        // Which organizations have the patient in their care (Appointments' events), for doctors' reads.
        modelBuilder.AddCareRelationships();
        modelBuilder.AddKnownPatients();

        modelBuilder.Entity<RecordItem>(item =>
        {
            item.ToTable("record_items");
            item.HasKey(i => i.Id);
            item.Property(i => i.Id).ValueGeneratedNever();
            item.Property(i => i.OrganizationName).HasMaxLength(300);
            item.Property(i => i.ExternalId).HasMaxLength(128);
            item.Property(i => i.Kind).HasMaxLength(32);
            item.Property(i => i.ResourceType).HasMaxLength(32);
            item.Property(i => i.Status).HasMaxLength(32);
            item.Property(i => i.DepartmentName).HasMaxLength(300);
            item.Property(i => i.DoctorId).HasMaxLength(64);
            item.Property(i => i.DoctorName).HasMaxLength(300);
            item.Property(i => i.Specialty).HasMaxLength(200);
            item.Property(i => i.ContentHash).HasMaxLength(64).IsFixedLength();
            item.Property(i => i.SubmittedBy).HasMaxLength(100);

            // Every version of an organization's item, numbered; exactly one current version.
            item.HasIndex(i => new { i.OrganizationId, i.ExternalId, i.Version }).IsUnique();
            item.HasIndex(i => new { i.OrganizationId, i.ExternalId }).IsUnique()
                .HasFilter("is_current").HasDatabaseName("ix_record_items_current_external_id");
            // The history: a patient's current items, newest first (keyset paging on effective_at, id).
            item.HasIndex(i => new { i.PatientId, i.EffectiveAt, i.Id }).IsDescending(false, true, true)
                .HasFilter("is_current").HasDatabaseName("ix_record_items_history");
            item.HasIndex(i => i.RecordId);
        });

        modelBuilder.Entity<Observation>(observation =>
        {
            observation.ToTable("observations");
            observation.HasKey(o => o.Id);
            observation.Property(o => o.Id).ValueGeneratedNever();
            observation.Property(o => o.AnalyteCode).HasMaxLength(64);
            observation.Property(o => o.Unit).HasMaxLength(50);
            observation.Property(o => o.Interpretation).HasMaxLength(16);
            observation.HasOne<RecordItem>().WithMany().HasForeignKey(o => o.ItemId).OnDelete(DeleteBehavior.Restrict);
            // A trend: one patient's current values of one analyte in time order.
            observation.HasIndex(o => new { o.PatientId, o.AnalyteCode, o.TakenAt })
                .HasFilter("is_current").HasDatabaseName("ix_observations_trend");
        });

        modelBuilder.Entity<RecordDocument>(document =>
        {
            document.ToTable("record_documents");
            document.HasKey(d => d.Id);
            document.Property(d => d.Id).ValueGeneratedNever();
            document.Property(d => d.ContentType).HasMaxLength(100);
            document.Property(d => d.Sha256).HasMaxLength(64).IsFixedLength();
            document.HasOne<RecordItem>().WithMany().HasForeignKey(d => d.ItemId).OnDelete(DeleteBehavior.Restrict);
        });

        modelBuilder.Entity<AnalyteThreshold>(threshold =>
        {
            threshold.ToTable("analyte_thresholds");
            threshold.HasKey(t => new { t.PatientId, t.AnalyteCode });
            threshold.Property(t => t.AnalyteCode).HasMaxLength(64);
            threshold.Property(t => t.Low).HasPrecision(18, 6);
            threshold.Property(t => t.High).HasPrecision(18, 6);
        });
    }
}
