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
            e.HasKey(x => x.Sequence).HasName("pk_security_events");
            e.Property(x => x.Sequence).HasColumnName("sequence").ValueGeneratedNever();
            e.Property(x => x.EventId).HasColumnName("event_id");
            e.HasIndex(x => x.EventId).IsUnique().HasDatabaseName("ix_security_events_event_id");
            e.Property(x => x.Kind).HasColumnName("kind").HasMaxLength(100);
            e.Property(x => x.SubjectId).HasColumnName("subject_id");
            e.Property(x => x.ActorId).HasColumnName("actor_id");
            e.Property(x => x.ClientId).HasColumnName("client_id").HasMaxLength(100);
            e.Property(x => x.IpAddress).HasColumnName("ip_address").HasMaxLength(64);
            e.Property(x => x.UserAgent).HasColumnName("user_agent").HasMaxLength(300);
            e.Property(x => x.Outcome).HasColumnName("outcome").HasMaxLength(20);
            // Text, not jsonb: the stored text is exactly what was hashed (jsonb would reorder and reformat it).
            e.Property(x => x.Details).HasColumnName("details").HasColumnType("text");
            e.Property(x => x.OccurredAt).HasColumnName("occurred_at");
            e.Property(x => x.RecordedAt).HasColumnName("recorded_at");
            e.Property(x => x.PreviousHash).HasColumnName("previous_hash").HasMaxLength(64).IsFixedLength();
            e.Property(x => x.Hash).HasColumnName("hash").HasMaxLength(64).IsFixedLength();
            // A second link to the same predecessor would be a fork: impossible by construction, refused here too.
            e.HasIndex(x => x.PreviousHash).IsUnique().HasDatabaseName("ix_security_events_previous_hash");
            // A person's own events, newest first.
            e.HasIndex(x => new { x.SubjectId, x.Sequence }).HasDatabaseName("ix_security_events_subject");
        });

        modelBuilder.Entity<AccessEventEntry>(e =>
        {
            e.ToTable("access_events");
            // The patient's chain position is the key: a second entry at the same place would be a fork.
            e.HasKey(x => new { x.PatientId, x.PatientSequence }).HasName("pk_access_events");
            e.Property(x => x.PatientId).HasColumnName("patient_id");
            e.Property(x => x.PatientSequence).HasColumnName("patient_sequence").ValueGeneratedNever();
            e.Property(x => x.EventId).HasColumnName("event_id");
            e.HasIndex(x => x.EventId).IsUnique().HasDatabaseName("ix_access_events_event_id");
            e.Property(x => x.ActorId).HasColumnName("actor_id");
            e.Property(x => x.ActorRole).HasColumnName("actor_role").HasMaxLength(40);
            e.Property(x => x.ActorName).HasColumnName("actor_name").HasMaxLength(300);
            e.Property(x => x.OrganizationId).HasColumnName("organization_id");
            e.Property(x => x.OrganizationName).HasColumnName("organization_name").HasMaxLength(300);
            e.Property(x => x.DelegationId).HasColumnName("delegation_id");
            e.Property(x => x.ClientId).HasColumnName("client_id").HasMaxLength(100);
            e.Property(x => x.Service).HasColumnName("service").HasMaxLength(50);
            e.Property(x => x.Section).HasColumnName("section").HasMaxLength(50);
            e.Property(x => x.ItemId).HasColumnName("item_id");
            e.Property(x => x.Action).HasColumnName("action").HasMaxLength(20);
            e.Property(x => x.Purpose).HasColumnName("purpose").HasMaxLength(300);
            e.Property(x => x.IpAddress).HasColumnName("ip_address").HasMaxLength(64);
            e.Property(x => x.UserAgent).HasColumnName("user_agent").HasMaxLength(300);
            e.Property(x => x.Outcome).HasColumnName("outcome").HasMaxLength(20);
            e.Property(x => x.OccurredAt).HasColumnName("occurred_at");
            e.Property(x => x.RecordedAt).HasColumnName("recorded_at");
            e.Property(x => x.PreviousHash).HasColumnName("previous_hash").HasMaxLength(64).IsFixedLength();
            e.Property(x => x.Hash).HasColumnName("hash").HasMaxLength(64).IsFixedLength();
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
