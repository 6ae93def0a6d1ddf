namespace Gosuslugi.Health.Records.Domain;

/// <summary>
/// A patient as identity announced them (PatientRegistered): organizations name patients by SNILS, and exports print
/// the patient's name.
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
