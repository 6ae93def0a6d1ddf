namespace Gosuslugi.Health.Contracts.Identity;

/// <summary>
/// A person's patient account exists in identity, with the SNILS that medical organizations use to
/// name them. Services that receive data by SNILS keep this mapping.
/// </summary>
public sealed record PatientRegistered(
    Guid PatientId,
    string Snils,
    string FamilyName,
    string GivenName,
    string? MiddleName,
    DateOnly BirthDate,
    DateTimeOffset OccurredAt) : IPatientEvent;
