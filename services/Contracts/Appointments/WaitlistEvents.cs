namespace Gosuslugi.Health.Contracts.Appointments;

/// <summary>
/// A slot freed up and is held for the first patient on the waitlist until <paramref name="ExpiresAt"/>; the patient
/// accepts it (a booking follows) or lets it pass to the next one.
/// </summary>
public sealed record WaitlistSlotOffered(
    Guid OfferId,
    Guid WaitlistEntryId,
    Guid PatientId,
    Guid SlotId,
    Guid OrganizationId,
    string OrganizationName,
    Guid DoctorId,
    string DoctorName,
    string Specialty,
    DateTimeOffset StartsAt,
    bool Telemedicine,
    DateTimeOffset ExpiresAt,
    DateTimeOffset OccurredAt) : IPatientEvent;

/// <summary>The patient's request to change their polyclinic was submitted, approved or refused by the organization.</summary>
/// <param name="Status">One of <see cref="AttachmentRequestStatuses"/>.</param>
/// <param name="Answer">The organization's explanation (a refusal's reason), shown to the patient.</param>
public sealed record AttachmentRequestStatusChanged(
    Guid RequestId,
    Guid PatientId,
    Guid OrganizationId,
    string OrganizationName,
    string Status,
    string? Answer,
    DateTimeOffset OccurredAt) : IPatientEvent;

public static class AttachmentRequestStatuses
{
    public const string Submitted = "submitted";
    public const string Approved = "approved";
    public const string Refused = "refused";
    public const string Withdrawn = "withdrawn";
}
