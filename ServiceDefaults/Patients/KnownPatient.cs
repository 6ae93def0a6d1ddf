using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.ServiceDefaults.Patients;

/// <summary>
/// A patient as identity announced them (PatientRegistered): organizations name patients by SNILS, and what a service
/// prints or shows an organization (Records' exports, a sick-leave certificate and its requests) names the patient.
/// </summary>
public sealed class KnownPatient
{
    public Guid PatientId { get; init; }

    public required string Snils { get; init; }

    public required string FamilyName { get; set; }

    public required string GivenName { get; set; }

    public string? MiddleName { get; set; }

    public DateOnly BirthDate { get; set; }

    public DateTimeOffset RegisteredAt { get; init; }

    public string FullName => string.Join(' ', new[] { FamilyName, GivenName, MiddleName }.Where(p => !string.IsNullOrWhiteSpace(p)));
}

public static class KnownPatients
{
    /// <summary>Maps the table known_patients. Call from OnModelCreating of a service that learns patients from identity.</summary>
    public static ModelBuilder AddKnownPatients(this ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<KnownPatient>(patient =>
        {
            patient.ToTable("known_patients");
            patient.HasKey(p => p.PatientId);
            patient.Property(p => p.PatientId).ValueGeneratedNever();
            patient.Property(p => p.Snils).HasMaxLength(11);
            patient.HasIndex(p => p.Snils).IsUnique();
            patient.Property(p => p.FamilyName).HasMaxLength(100);
            patient.Property(p => p.GivenName).HasMaxLength(100);
            patient.Property(p => p.MiddleName).HasMaxLength(100);
            patient.Ignore(p => p.FullName);
        });
        return modelBuilder;
    }
}
