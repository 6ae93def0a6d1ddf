using Gosuslugi.Health.Audit.Domain;
using Gosuslugi.Health.ServiceDefaults;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Audit.Data;

public sealed class AuditDb(DbContextOptions<AuditDb> options) : DbContext(options)
{
    public DbSet<SecurityEventEntry> SecurityEvents => Set<SecurityEventEntry>();
    public DbSet<AccessEventEntry> AccessEvents => Set<AccessEventEntry>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.AddOutboxAndInbox();

        modelBuilder.Entity<SecurityEventEntry>(e =>
        {
            e.ToTable("security_events");
            e.HasKey(x => x.Sequence);
            e.Property(x => x.Sequence).ValueGeneratedNever();
            e.HasIndex(x => x.EventId).IsUnique().HasDatabaseName("ix_security_events_event_id");
            e.Property(x => x.Kind).HasMaxLength(100);
            e.Property(x => x.ClientId).HasMaxLength(100);
            e.Property(x => x.IpAddress).HasMaxLength(64);
            e.Property(x => x.UserAgent).HasMaxLength(300);
            e.Property(x => x.Outcome).HasMaxLength(20);
            // Text, not jsonb: the stored text is exactly what was hashed (jsonb would reorder and reformat it).
            e.Property(x => x.Details).HasColumnType("text");
            e.Property(x => x.PreviousHash).HasMaxLength(64).IsFixedLength();
            e.Property(x => x.Hash).HasMaxLength(64).IsFixedLength();
            // A second link to the same predecessor would be a fork: impossible by construction, refused here too.
            e.HasIndex(x => x.PreviousHash).IsUnique().HasDatabaseName("ix_security_events_previous_hash");
            // A person's own events, newest first.
            e.HasIndex(x => new { x.SubjectId, x.Sequence }).HasDatabaseName("ix_security_events_subject");
        });

        modelBuilder.Entity<AccessEventEntry>(e =>
        {
            e.ToTable("access_events");
            // The patient's chain position is the key: a second entry at the same place would be a fork.
            e.HasKey(x => new { x.PatientId, x.PatientSequence });
            e.Property(x => x.PatientSequence).ValueGeneratedNever();
            e.HasIndex(x => x.EventId).IsUnique().HasDatabaseName("ix_access_events_event_id");
            e.Property(x => x.ActorRole).HasMaxLength(40);
            e.Property(x => x.ActorName).HasMaxLength(300);
            e.Property(x => x.OrganizationName).HasMaxLength(300);
            e.Property(x => x.ClientId).HasMaxLength(100);
            e.Property(x => x.Service).HasMaxLength(50);
            e.Property(x => x.Section).HasMaxLength(50);
            e.Property(x => x.Action).HasMaxLength(20);
            e.Property(x => x.Purpose).HasMaxLength(300);
            e.Property(x => x.IpAddress).HasMaxLength(64);
            e.Property(x => x.UserAgent).HasMaxLength(300);
            e.Property(x => x.Outcome).HasMaxLength(20);
            e.Property(x => x.PreviousHash).HasMaxLength(64).IsFixedLength();
            e.Property(x => x.Hash).HasMaxLength(64).IsFixedLength();
            // Two entries linking to the same predecessor would be a fork: impossible by construction, refused here too.
            e.HasIndex(x => new { x.PatientId, x.PreviousHash }).IsUnique().HasDatabaseName("ix_access_events_patient_previous_hash");
            // The patient's log, newest first (and its keyset cursor); filters narrow the patient's own rows.
            e.HasIndex(x => new { x.PatientId, x.OccurredAt, x.PatientSequence })
                .IsDescending(false, true, true)
                .HasDatabaseName("ix_access_events_patient_occurred");
            // "Has this organization been here before?", asked on every organization's access.
            e.HasIndex(x => new { x.PatientId, x.OrganizationId }).HasDatabaseName("ix_access_events_patient_organization");
        });
    }
}
