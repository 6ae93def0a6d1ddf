namespace Gosuslugi.Health.Immunizations.Domain;

/// <summary>
/// A patient identity learned from identity's <c>PatientRegistered</c> event: medical organizations
/// name patients by SNILS, the patient API by the account id.
/// </summary>
public sealed class KnownPatient
{
    private KnownPatient()
    {
        Snils = null!;
    }

    public KnownPatient(Guid patientId, string snils, DateOnly birthDate, DateTimeOffset registeredAt)
    {
        PatientId = patientId;
        Snils = snils;
        BirthDate = birthDate;
        RegisteredAt = registeredAt;
    }

    public Guid PatientId { get; private set; }

    /// <summary>Eleven digits, no separators.</summary>
    public string Snils { get; private set; }

    public DateOnly BirthDate { get; private set; }

    public DateTimeOffset RegisteredAt { get; private set; }
}
