namespace Gosuslugi.Health.Contracts.Identity;

/// <summary>
/// A person gave or withdrew consent to the processing of their personal data. Without it no service
/// shows or accepts their medical data for them.
/// </summary>
public sealed record PersonalDataConsentChanged(
    Guid PatientId,
    bool Given,
    string Version,
    DateTimeOffset OccurredAt) : IPatientEvent;
