using Gosuslugi.Health.Notifications.Domain;
using Gosuslugi.Health.ServiceDefaults;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Notifications.Data;

public sealed class NotificationsDb(DbContextOptions<NotificationsDb> options) : DbContext(options)
{
    public DbSet<Notification> Notifications => Set<Notification>();

    public DbSet<Delivery> Deliveries => Set<Delivery>();

    public DbSet<Recipient> Recipients => Set<Recipient>();

    public DbSet<ChannelPreference> ChannelPreferences => Set<ChannelPreference>();

    public DbSet<PushDevice> PushDevices => Set<PushDevice>();

    public DbSet<KnownDelegation> Delegations => Set<KnownDelegation>();

    public DbSet<AppointmentReminder> Reminders => Set<AppointmentReminder>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.AddOutboxAndInbox();

        modelBuilder.Entity<Notification>(notification =>
        {
            notification.ToTable("notifications");
            notification.HasKey(n => n.Id);
            notification.Property(n => n.Id).ValueGeneratedNever();
            notification.Property(n => n.Category).HasMaxLength(50).IsRequired();
            notification.Property(n => n.Title).HasMaxLength(200).IsRequired();
            notification.Property(n => n.Body).HasMaxLength(2000).IsRequired();
            notification.Property(n => n.Link).HasMaxLength(500);

            // The feed is read newest first, page by page, per patient.
            notification.HasIndex(n => new { n.PatientId, n.CreatedAt, n.Id }).IsDescending(false, true, true);
            notification.HasIndex(n => n.PatientId).HasFilter("read_at IS NULL").HasDatabaseName("ix_notifications_unread");
            notification.HasIndex(n => new { n.Category, n.SourceId }).IsUnique();
        });

        modelBuilder.Entity<Delivery>(delivery =>
        {
            delivery.ToTable("deliveries");
            delivery.HasKey(d => d.Id);
            delivery.Property(d => d.Id).ValueGeneratedNever();
            delivery.Property(d => d.Channel).HasMaxLength(16);
            delivery.Property(d => d.Destination).HasMaxLength(500);
            delivery.Property(d => d.Subject).HasMaxLength(200);
            delivery.Property(d => d.Text).HasMaxLength(2000);
            delivery.Property(d => d.Status).HasMaxLength(16);
            delivery.Property(d => d.LastError).HasMaxLength(1000);
            // The dispatcher's queue: pending rows by the time they may go.
            delivery.HasIndex(d => d.NotBefore).HasFilter("status = 'pending'").HasDatabaseName("ix_deliveries_pending");
            delivery.HasIndex(d => d.NotificationId);
            delivery.HasIndex(d => new { d.RecipientId, d.CreatedAt });
        });

        modelBuilder.Entity<Recipient>(recipient =>
        {
            recipient.ToTable("recipients");
            recipient.HasKey(r => r.PersonId);
            recipient.Property(r => r.PersonId).ValueGeneratedNever();
            recipient.Property(r => r.Phone).HasMaxLength(20);
            recipient.Property(r => r.Email).HasMaxLength(254);
        });

        modelBuilder.Entity<ChannelPreference>(preference =>
        {
            preference.ToTable("channel_preferences");
            preference.HasKey(p => new { p.PersonId, p.Category, p.Channel });
            preference.Property(p => p.Category).HasMaxLength(50);
            preference.Property(p => p.Channel).HasMaxLength(16);
        });

        modelBuilder.Entity<PushDevice>(device =>
        {
            device.ToTable("push_devices");
            device.HasKey(d => d.Id);
            device.Property(d => d.Id).ValueGeneratedNever();
            device.Property(d => d.Token).HasMaxLength(500);
            device.Property(d => d.Platform).HasMaxLength(16);
            device.HasIndex(d => new { d.PersonId, d.Token }).IsUnique();
        });

        modelBuilder.Entity<KnownDelegation>(delegation =>
        {
            delegation.ToTable("delegations");
            delegation.HasKey(d => d.DelegationId);
            delegation.Property(d => d.DelegationId).ValueGeneratedNever();
            delegation.Property(d => d.Scope).HasMaxLength(16);
            delegation.HasIndex(d => d.PatientId);
        });

        modelBuilder.Entity<AppointmentReminder>(reminder =>
        {
            reminder.ToTable("appointment_reminders");
            reminder.HasKey(r => r.Id);
            reminder.Property(r => r.Id).ValueGeneratedNever();
            reminder.Property(r => r.Kind).HasMaxLength(8);
            reminder.Property(r => r.Appointment).HasColumnType("jsonb");
            reminder.Property(r => r.Status).HasMaxLength(16);
            reminder.HasIndex(r => new { r.AppointmentId, r.Kind }).IsUnique();
            // The sweeper's queue: pending reminders by due time.
            reminder.HasIndex(r => r.DueAt).HasFilter("status = 'pending'").HasDatabaseName("ix_appointment_reminders_pending");
        });
    }
}
