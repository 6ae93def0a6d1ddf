namespace Gosuslugi.Health.Contracts.Immunizations;

/// <summary>A vaccination of the national calendar (or a revaccination) is due for the patient on <paramref name="DueOn"/>.</summary>
public sealed record VaccinationDue(
    Guid PatientId,
    string Disease,
    string? VaccineName,
    DateOnly DueOn,
    DateTimeOffset OccurredAt) : IPatientEvent;
