namespace Gosuslugi.Health.Contracts.Appointments;

// Published by Appointments (issue 5). Records learns from them which organizations have the patient in their care:
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
    DateTimeOffset OccurredAt) : IPatientEvent;

/// <summary>An appointment was booked (or moved: same id, new time).</summary>
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
    DateTimeOffset OccurredAt) : IPatientEvent;

/// <summary>An appointment was cancelled by the patient or the organization.</summary>
public sealed record AppointmentCancelled(
    Guid AppointmentId,
    Guid PatientId,
    Guid OrganizationId,
    string? Reason,
    DateTimeOffset OccurredAt) : IPatientEvent;
