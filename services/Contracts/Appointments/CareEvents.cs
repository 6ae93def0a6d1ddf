namespace Gosuslugi.Health.Contracts.Appointments;

// Published by Appointments. Records learns from them which organizations have the patient in their care:
// a doctor of an organization reads a patient's record only while the patient is attached there or has an appointment.

/// <summary>The patient was attached to a polyclinic (an earlier attachment elsewhere ends on <paramref name="AttachedOn"/>).</summary>
public sealed record PatientAttached(
    Guid AttachmentId,
    Guid PatientId,
    Guid OrganizationId,
    string OrganizationName,
    DateOnly AttachedOn,
    DateTimeOffset OccurredAt) : IPatientEvent;

/// <summary>The patient's attachment to the organization ended.</summary>
public sealed record PatientDetached(
    Guid AttachmentId,
    Guid PatientId,
    Guid OrganizationId,
    DateOnly DetachedOn,
    DateTimeOffset OccurredAt,
    string? OrganizationName = null) : IPatientEvent;

/// <summary>
/// An appointment was booked, or moved (same id, new time: <paramref name="PreviousStartsAt"/> is set). Carries what a
/// confirmation and the reminders say, so that Notifications never calls back.
/// </summary>
/// <param name="Specialty">The doctor's specialty as the patient reads it ("Терапевт").</param>
/// <param name="Address">Where to come (the organization's address and the room), null for telemedicine.</param>
/// <param name="JoinUrl">The video consultation's link, for telemedicine.</param>
/// <param name="PreviousStartsAt">Set when the appointment was moved: the time it had before.</param>
/// <param name="ChangedBy">"patient" or "organization": who booked or moved it.</param>
/// <param name="Reason">Why the organization moved it, shown to the patient.</param>
public sealed record AppointmentBooked(
    Guid AppointmentId,
    Guid PatientId,
    Guid OrganizationId,
    string OrganizationName,
    Guid DoctorId,
    string DoctorName,
    string Specialty,
    DateTimeOffset StartsAt,
    bool Telemedicine,
    DateTimeOffset OccurredAt,
    DateTimeOffset? EndsAt = null,
    string? Address = null,
    string? JoinUrl = null,
    DateTimeOffset? PreviousStartsAt = null,
    string? ChangedBy = null,
    string? Reason = null) : IPatientEvent;

/// <summary>An appointment was cancelled by the patient or the organization.</summary>
/// <param name="CancelledBy">"patient" or "organization".</param>
public sealed record AppointmentCancelled(
    Guid AppointmentId,
    Guid PatientId,
    Guid OrganizationId,
    string? Reason,
    DateTimeOffset OccurredAt,
    string? OrganizationName = null,
    string? DoctorName = null,
    string? Specialty = null,
    DateTimeOffset? StartsAt = null,
    string? CancelledBy = null) : IPatientEvent;

/// <summary>Who changed an appointment, in <see cref="AppointmentBooked.ChangedBy"/> and <see cref="AppointmentCancelled.CancelledBy"/>.</summary>
public static class AppointmentChangedBy
{
    public const string Patient = "patient";
    public const string Organization = "organization";
}
