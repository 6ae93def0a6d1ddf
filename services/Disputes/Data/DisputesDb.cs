using Gosuslugi.Health.Disputes.Domain;
using Gosuslugi.Health.ServiceDefaults;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Disputes.Data;

public sealed class DisputesDb(DbContextOptions<DisputesDb> options) : DbContext(options)
{
    public DbSet<DataRequest> DataRequests => Set<DataRequest>();

    public DbSet<DataRequestStatusChange> DataRequestStatusChanges => Set<DataRequestStatusChange>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.AddOutboxAndInbox();

        modelBuilder.Entity<DataRequest>(request =>
        {
            request.ToTable("data_requests");
            request.HasKey(r => r.Id);
            request.Property(r => r.Id).ValueGeneratedNever();
            request.Property(r => r.OrganizationName).HasMaxLength(DataRequestRules.OrganizationNameLength).IsRequired();
            request.Property(r => r.DataKind).HasMaxLength(50).IsRequired();
            request.Property(r => r.Comment).HasMaxLength(DataRequestRules.CommentLength);
            request.Property(r => r.IdempotencyKey).HasMaxLength(DataRequestRules.IdempotencyKeyLength);
            request.Property(r => r.Status).HasMaxLength(50).IsRequired();
            request.Property(r => r.Answer).HasMaxLength(DataRequestRules.AnswerLength);
            request.Property(r => r.AnsweredBy).HasMaxLength(DataRequestRules.ByLength);
            // Two organization systems answering at once: the second save fails instead of overwriting the first.
            request.Property(r => r.UpdatedAt).IsConcurrencyToken();

            request.HasMany(r => r.History).WithOne().HasForeignKey(c => c.RequestId).OnDelete(DeleteBehavior.Restrict);
            request.Navigation(r => r.History).HasField("_history").UsePropertyAccessMode(PropertyAccessMode.Field);

            // The patient's list, newest first.
            request.HasIndex(r => new { r.PatientId, r.SubmittedAt });
            // The organization's inbox, by status.
            request.HasIndex(r => new { r.OrganizationId, r.Status, r.SubmittedAt });
            // The overdue sweep looks only at open requests.
            request.HasIndex(r => r.DueAt).HasFilter("status IN ('submitted', 'in_progress')")
                .HasDatabaseName("ix_data_requests_open_due");
            // NULLs are distinct in PostgreSQL: requests sent without a key never collide.
            request.HasIndex(r => new { r.PatientId, r.IdempotencyKey }).IsUnique();
        });

        modelBuilder.Entity<DataRequestStatusChange>(change =>
        {
            change.ToTable("data_request_status_changes");
            change.HasKey(c => c.Id);
            change.Property(c => c.Id).ValueGeneratedNever();
            change.Property(c => c.Status).HasMaxLength(50).IsRequired();
            change.Property(c => c.By).HasMaxLength(DataRequestRules.ByLength).IsRequired();
            change.Property(c => c.ByRole).HasMaxLength(50).IsRequired();
            change.Property(c => c.Note).HasMaxLength(DataRequestRules.AnswerLength);
            change.HasIndex(c => new { c.RequestId, c.At });
        });
    }
}
