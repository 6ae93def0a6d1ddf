namespace Gosuslugi.Health.Prescriptions.Domain;

/// <summary>A patient as identity announced them (PatientRegistered): organizations name patients by SNILS.</summary>
public sealed class KnownPatient
{
    public Guid PatientId { get; init; }

    /// <summary>Eleven digits, no separators.</summary>
    public required string Snils { get; init; }

    public DateOnly BirthDate { get; set; }

    public DateTimeOffset RegisteredAt { get; init; }
}
