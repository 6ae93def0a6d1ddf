namespace Gosuslugi.Health.Contracts.Identity;

/// <summary>
/// The person's OMS (compulsory medical insurance) policy was entered or changed. Booking a doctor needs a policy in
/// force on the day of the appointment. The number itself stays in identity: nobody else needs it.
/// </summary>
public sealed record OmsPolicyChanged(
    Guid PatientId,
    DateOnly ValidFrom,
    DateOnly? ValidTo,
    DateTimeOffset OccurredAt) : IPatientEvent;

/// <summary>
/// The person's confirmed contacts, where Notifications sends SMS and e-mail (null: none confirmed). Sent whole on
/// every change, so the newest event is the truth.
/// </summary>
public sealed record ContactDetailsChanged(
    Guid PatientId,
    string? Phone,
    string? Email,
    DateTimeOffset OccurredAt) : IPatientEvent;
