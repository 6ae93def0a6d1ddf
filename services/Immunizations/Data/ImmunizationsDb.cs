using Gosuslugi.Health.Immunizations.Domain;
using Gosuslugi.Health.ServiceDefaults;
using Gosuslugi.Health.ServiceDefaults.Consents;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Immunizations.Data;

public sealed class ImmunizationsDb(DbContextOptions<ImmunizationsDb> options) : DbContext(options)
{
    public DbSet<Immunization> Immunizations => Set<Immunization>();

    public DbSet<KnownPatient> KnownPatients => Set<KnownPatient>();

    public DbSet<VaccinationPlan> VaccinationPlans => Set<VaccinationPlan>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.AddOutboxAndInbox();
        // The patient's restrictions (identity's AccessRestrictionChanged), enforced on organizations' reads.
        modelBuilder.AddPatientAccessRestrictions();

        modelBuilder.Entity<KnownPatient>(patient =>
        {
            patient.ToTable("known_patients");
            patient.HasKey(p => p.PatientId);
            patient.Property(p => p.PatientId).ValueGeneratedNever();
            patient.Property(p => p.Snils).HasMaxLength(11).IsRequired();
            patient.HasIndex(p => p.Snils).IsUnique();
        });

        modelBuilder.Entity<Immunization>(immunization =>
        {
            immunization.ToTable("immunizations");
            immunization.HasKey(i => i.Id);
            immunization.Property(i => i.Id).ValueGeneratedNever();
            immunization.Property(i => i.OrganizationName).HasMaxLength(ImmunizationLimits.OrganizationName).IsRequired();
            immunization.Property(i => i.ExternalId).HasMaxLength(ImmunizationLimits.ExternalId);
            immunization.Property(i => i.VaccineCode).HasMaxLength(ImmunizationLimits.VaccineCode).IsRequired();
            immunization.Property(i => i.VaccineName).HasMaxLength(ImmunizationLimits.VaccineName).IsRequired();
            immunization.Property(i => i.Disease).HasMaxLength(ImmunizationLimits.Disease).IsRequired();
            immunization.Property(i => i.Stage).HasMaxLength(ImmunizationLimits.Stage);
            immunization.Property(i => i.LotNumber).HasMaxLength(ImmunizationLimits.LotNumber);
            immunization.Property(i => i.Route).HasMaxLength(ImmunizationLimits.Route);
            immunization.Property(i => i.Site).HasMaxLength(ImmunizationLimits.Site);
            immunization.Property(i => i.PerformerName).HasMaxLength(ImmunizationLimits.PerformerName);

            // The patient's list is read newest first.
            immunization.HasIndex(i => new { i.PatientId, i.AdministeredOn });
            // PostgreSQL treats NULLs as distinct, so records sent without an external id never collide.
            immunization.HasIndex(i => new { i.OrganizationId, i.ExternalId }).IsUnique();
        });

        modelBuilder.Entity<VaccinationPlan>(plan =>
        {
            plan.ToTable("vaccination_plans");
            plan.HasKey(p => p.Id);
            plan.Property(p => p.Id).ValueGeneratedNever();
            plan.Property(p => p.OrganizationName).HasMaxLength(ImmunizationLimits.OrganizationName).IsRequired();
            plan.Property(p => p.ExternalId).HasMaxLength(ImmunizationLimits.ExternalId).IsRequired();
            plan.Property(p => p.Disease).HasMaxLength(ImmunizationLimits.Disease).IsRequired();
            plan.Property(p => p.VaccineName).HasMaxLength(ImmunizationLimits.VaccineName);
            plan.Property(p => p.Stage).HasMaxLength(ImmunizationLimits.Stage);
            plan.Ignore(p => p.IsOpen);

            // The organization's upserts and cancellations find the item by its own id.
            plan.HasIndex(p => new { p.OrganizationId, p.ExternalId }).IsUnique();
            // The patient's plan, soonest first, and the recording's search for the item it fulfils.
            plan.HasIndex(p => new { p.PatientId, p.DueOn });
            // The reminder sweep reads only the items still waiting for their reminder, by due date.
            plan.HasIndex(p => p.DueOn)
                .HasDatabaseName("ix_vaccination_plans_due_on_awaiting_reminder")
                .HasFilter("notified_at IS NULL AND done_at IS NULL AND cancelled_at IS NULL");
        });
    }
}
