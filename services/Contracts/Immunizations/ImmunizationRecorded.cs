namespace Gosuslugi.Health.Contracts.Immunizations;

/// <summary>A medical organization recorded a vaccination given to a patient.</summary>
public sealed record ImmunizationRecorded(
    Guid ImmunizationId,
    Guid PatientId,
    Guid OrganizationId,
    string OrganizationName,
    string VaccineCode,
    string VaccineName,
    string Disease,
    int? DoseNumber,
    DateOnly AdministeredOn,
    DateTimeOffset OccurredAt) : IPatientEvent;
