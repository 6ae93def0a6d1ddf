using Gosuslugi.Health.Notifications.Domain;
using Gosuslugi.Health.ServiceDefaults;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Notifications.Data;

public sealed class NotificationsDb(DbContextOptions<NotificationsDb> options) : DbContext(options)
{
    public DbSet<Notification> Notifications => Set<Notification>();

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
            notification.HasIndex(n => n.PatientId).HasFilter("\"ReadAt\" IS NULL").HasDatabaseName("IX_notifications_unread");
            notification.HasIndex(n => new { n.Category, n.SourceId }).IsUnique();
        });
    }
}
