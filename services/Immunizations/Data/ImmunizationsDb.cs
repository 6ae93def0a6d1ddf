using Gosuslugi.Health.Immunizations.Domain;
using Gosuslugi.Health.ServiceDefaults;
using Gosuslugi.Health.ServiceDefaults.Consents;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Immunizations.Data;

public sealed class ImmunizationsDb(DbContextOptions<ImmunizationsDb> options) : DbContext(options)
{
    public DbSet<Immunization> Immunizations => Set<Immunization>();

    public DbSet<KnownPatient> KnownPatients => Set<KnownPatient>();

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
    }
}
