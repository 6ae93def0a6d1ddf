using Gosuslugi.Health.Appointments.Domain;
using Gosuslugi.Health.ServiceDefaults;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Appointments.Data;

public sealed class AppointmentsDb(DbContextOptions<AppointmentsDb> options) : DbContext(options)
{
    public DbSet<Organization> Organizations => Set<Organization>();

    public DbSet<Department> Departments => Set<Department>();

    public DbSet<Doctor> Doctors => Set<Doctor>();

    public DbSet<Slot> Slots => Set<Slot>();

    public DbSet<Appointment> Appointments => Set<Appointment>();

    public DbSet<AppointmentChange> AppointmentChanges => Set<AppointmentChange>();

    public DbSet<IdempotentRequest> IdempotentRequests => Set<IdempotentRequest>();

    public DbSet<KnownPatient> KnownPatients => Set<KnownPatient>();

    public DbSet<Attachment> Attachments => Set<Attachment>();

    public DbSet<AttachmentRequest> AttachmentRequests => Set<AttachmentRequest>();

    public DbSet<WaitlistEntry> WaitlistEntries => Set<WaitlistEntry>();

    public DbSet<SlotOffer> SlotOffers => Set<SlotOffer>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.AddOutboxAndInbox();

        modelBuilder.Entity<Organization>(organization =>
        {
            organization.ToTable("organizations");
            organization.HasKey(o => o.Id);
            organization.Property(o => o.Id).ValueGeneratedNever();
            organization.Property(o => o.Name).HasMaxLength(300);
            organization.Property(o => o.Kind).HasMaxLength(32);
            organization.Property(o => o.Address).HasMaxLength(500);
            organization.Property(o => o.Phone).HasMaxLength(50);
            organization.Property(o => o.Email).HasMaxLength(254);
            organization.Property(o => o.Website).HasMaxLength(300);
        });

        modelBuilder.Entity<Department>(department =>
        {
            department.ToTable("departments");
            department.HasKey(d => d.Id);
            department.Property(d => d.Id).ValueGeneratedNever();
            department.Property(d => d.ExternalId).HasMaxLength(128);
            department.Property(d => d.Name).HasMaxLength(300);
            department.Property(d => d.Address).HasMaxLength(500);
            department.Property(d => d.Phone).HasMaxLength(50);
            department.HasIndex(d => new { d.OrganizationId, d.ExternalId }).IsUnique();
        });

        modelBuilder.Entity<Doctor>(doctor =>
        {
            doctor.ToTable("doctors");
            doctor.HasKey(d => d.Id);
            doctor.Property(d => d.Id).ValueGeneratedNever();
            doctor.Property(d => d.ExternalId).HasMaxLength(128);
            doctor.Property(d => d.FamilyName).HasMaxLength(100);
            doctor.Property(d => d.GivenName).HasMaxLength(100);
            doctor.Property(d => d.MiddleName).HasMaxLength(100);
            doctor.Property(d => d.SpecialtyCode).HasMaxLength(64);
            doctor.Ignore(d => d.FullName);
            doctor.HasIndex(d => new { d.OrganizationId, d.ExternalId }).IsUnique();
            doctor.HasIndex(d => d.AccountId);
        });

        modelBuilder.Entity<Slot>(slot =>
        {
            slot.ToTable("slots");
            slot.HasKey(s => s.Id);
            slot.Property(s => s.Id).ValueGeneratedNever();
            slot.Property(s => s.SpecialtyCode).HasMaxLength(64);
            slot.Property(s => s.Room).HasMaxLength(50);
            // A doctor has one slot at a time: publishing a schedule again creates nothing new.
            slot.HasIndex(s => new { s.DoctorId, s.StartsAt }).IsUnique();
            // The search: open slots of a specialty (optionally at an organization) by time.
            slot.HasIndex(s => new { s.SpecialtyCode, s.StartsAt }).HasFilter("NOT closed");
            slot.HasIndex(s => new { s.OrganizationId, s.StartsAt });
        });

        modelBuilder.Entity<Appointment>(appointment =>
        {
            appointment.ToTable("appointments");
            appointment.HasKey(a => a.Id);
            appointment.Property(a => a.Id).ValueGeneratedNever();
            appointment.Property(a => a.JoinUrl).HasMaxLength(500);
            appointment.Property(a => a.Status).HasMaxLength(32);
            appointment.Property(a => a.CancelledBy).HasMaxLength(32);
            appointment.Property(a => a.CancelReason).HasMaxLength(1000);
            appointment.Property(a => a.UpdatedAt).IsConcurrencyToken();
            appointment.HasMany(a => a.History).WithOne().HasForeignKey(c => c.AppointmentId).OnDelete(DeleteBehavior.Restrict);

            // The rule that no slot is ever booked twice, whatever the number of instances: at most one live
            // appointment per slot. The losing insert of a race fails with a unique violation and answers 409.
            appointment.HasIndex(a => a.SlotId).IsUnique().HasFilter("status = 'booked'")
                .HasDatabaseName("ux_appointments_booked_slot");
            appointment.HasIndex(a => new { a.PatientId, a.StartsAt });
            // The doctor's day.
            appointment.HasIndex(a => new { a.DoctorId, a.StartsAt });
        });

        modelBuilder.Entity<AppointmentChange>(change =>
        {
            change.ToTable("appointment_changes");
            change.HasKey(c => c.Id);
            change.Property(c => c.Id).ValueGeneratedNever();
            change.Property(c => c.Kind).HasMaxLength(32);
            change.Property(c => c.By).HasMaxLength(100);
            change.Property(c => c.ByRole).HasMaxLength(32);
            change.Property(c => c.Reason).HasMaxLength(1000);
            change.HasIndex(c => new { c.AppointmentId, c.At });
        });

        modelBuilder.Entity<IdempotentRequest>(request =>
        {
            request.ToTable("idempotent_requests");
            request.HasKey(r => new { r.OwnerId, r.Key });
            request.Property(r => r.Key).HasMaxLength(100);
            request.Property(r => r.RequestHash).HasMaxLength(64).IsFixedLength();
            request.Property(r => r.Response).HasColumnType("jsonb");
            request.Property(r => r.Location).HasMaxLength(500);
            request.HasIndex(r => r.CreatedAt);
        });

        modelBuilder.Entity<KnownPatient>(patient =>
        {
            patient.ToTable("known_patients");
            patient.HasKey(p => p.PatientId);
            patient.Property(p => p.PatientId).ValueGeneratedNever();
            patient.Property(p => p.Snils).HasMaxLength(11).IsFixedLength();
            patient.Property(p => p.FamilyName).HasMaxLength(100);
            patient.Property(p => p.GivenName).HasMaxLength(100);
            patient.Property(p => p.MiddleName).HasMaxLength(100);
            patient.Property(p => p.AccountLevel).HasMaxLength(32);
            patient.Ignore(p => p.FullName);
            patient.HasIndex(p => p.Snils).IsUnique();
        });

        modelBuilder.Entity<Attachment>(attachment =>
        {
            attachment.ToTable("attachments");
            attachment.HasKey(a => a.Id);
            attachment.Property(a => a.Id).ValueGeneratedNever();
            attachment.Property(a => a.ExternalId).HasMaxLength(128);
            attachment.HasIndex(a => new { a.PatientId, a.AttachedOn });
            attachment.HasIndex(a => new { a.OrganizationId, a.ExternalId }).IsUnique();
            // One open attachment per patient.
            attachment.HasIndex(a => a.PatientId).IsUnique().HasFilter("detached_on IS NULL")
                .HasDatabaseName("ux_attachments_current");
        });

        modelBuilder.Entity<AttachmentRequest>(request =>
        {
            request.ToTable("attachment_requests");
            request.HasKey(r => r.Id);
            request.Property(r => r.Id).ValueGeneratedNever();
            request.Property(r => r.Reason).HasMaxLength(1000);
            request.Property(r => r.ResidenceAddress).HasMaxLength(500);
            request.Property(r => r.Status).HasMaxLength(32);
            request.Property(r => r.Answer).HasMaxLength(1000);
            request.Property(r => r.SubmittedBy).HasMaxLength(100);
            request.Property(r => r.IdempotencyKey).HasMaxLength(100);
            request.Property(r => r.UpdatedAt).IsConcurrencyToken();
            request.HasIndex(r => new { r.PatientId, r.SubmittedAt });
            request.HasIndex(r => new { r.OrganizationId, r.Status, r.SubmittedAt });
            request.HasIndex(r => new { r.PatientId, r.IdempotencyKey }).IsUnique();
        });

        modelBuilder.Entity<WaitlistEntry>(entry =>
        {
            entry.ToTable("waitlist_entries");
            entry.HasKey(e => e.Id);
            entry.Property(e => e.Id).ValueGeneratedNever();
            entry.Property(e => e.SpecialtyCode).HasMaxLength(64);
            entry.Property(e => e.Status).HasMaxLength(32);
            entry.Property(e => e.CreatedBy).HasMaxLength(100);
            entry.Property(e => e.UpdatedAt).IsConcurrencyToken();
            entry.HasIndex(e => new { e.PatientId, e.CreatedAt });
            // Who is first in line for a freed slot.
            entry.HasIndex(e => new { e.OrganizationId, e.SpecialtyCode, e.CreatedAt }).HasFilter("status = 'waiting'")
                .HasDatabaseName("ix_waitlist_entries_waiting");
        });

        modelBuilder.Entity<SlotOffer>(offer =>
        {
            offer.ToTable("slot_offers");
            offer.HasKey(o => o.Id);
            offer.Property(o => o.Id).ValueGeneratedNever();
            offer.Property(o => o.Status).HasMaxLength(32);
            offer.HasIndex(o => new { o.PatientId, o.CreatedAt });
            offer.HasIndex(o => o.ExpiresAt).HasFilter("status = 'open'").HasDatabaseName("ix_slot_offers_open");
            offer.HasIndex(o => o.SlotId);
        });
    }
}
