namespace Gosuslugi.Health.Contracts.SickLeave;

// Published by SickLeave; Notifications tells the patient. They carry what a notice says (number, dates, status) and
// nothing of the medical content (the reason code, the doctor, the regime stay in SickLeave, sealed).

/// <summary>
/// A medical organization published a sick-leave certificate or a new version of it: opened, extended, closed or
/// annulled (<paramref name="Status"/>, one of <see cref="SickLeaveStatuses"/>).
/// </summary>
/// <param name="Version">1 for the first publication; every accepted change adds one.</param>
/// <param name="StartsOn">First day of incapacity.</param>
/// <param name="EndsOn">Last day of incapacity so far (the last period's end).</param>
/// <param name="ReturnToWorkOn">Set once the certificate is closed: the day to return to work.</param>
public sealed record SickLeaveCertificateChanged(
    Guid CertificateId,
    Guid PatientId,
    Guid OrganizationId,
    string OrganizationName,
    string Number,
    string Status,
    int Version,
    DateOnly StartsOn,
    DateOnly EndsOn,
    DateOnly? ReturnToWorkOn,
    DateTimeOffset OccurredAt) : IPatientEvent;

/// <summary>The patient asked an organization for a sick-leave certificate missing from their record.</summary>
/// <param name="DueAt">When the answer is due (24 hours after the request).</param>
public sealed record SickLeaveRequestSubmitted(
    Guid RequestId,
    Guid PatientId,
    Guid OrganizationId,
    string OrganizationName,
    DateOnly PeriodFrom,
    DateOnly PeriodTo,
    DateTimeOffset DueAt,
    DateTimeOffset OccurredAt) : IPatientEvent;

/// <summary>
/// A missing-certificate request was answered with a certificate, refused (with a reason), or became overdue.
/// </summary>
/// <param name="Status">One of <see cref="SickLeaveRequestStatuses"/>.</param>
/// <param name="CertificateId">For an answer: the certificate the organization sent.</param>
/// <param name="RefusalReason">For a refusal: why, shown to the patient.</param>
public sealed record SickLeaveRequestStatusChanged(
    Guid RequestId,
    Guid PatientId,
    Guid OrganizationId,
    string OrganizationName,
    string Status,
    Guid? CertificateId,
    string? CertificateNumber,
    string? RefusalReason,
    DateTimeOffset OccurredAt) : IPatientEvent;

public static class SickLeaveStatuses
{
    public const string Open = "open";
    public const string Extended = "extended";
    public const string Closed = "closed";
    public const string Annulled = "annulled";

    public static readonly IReadOnlyList<string> All = [Open, Extended, Closed, Annulled];
}

public static class SickLeaveRequestStatuses
{
    public const string Submitted = "submitted";
    public const string Answered = "answered";
    public const string Refused = "refused";
    public const string Overdue = "overdue";

    public static readonly IReadOnlyList<string> All = [Submitted, Answered, Refused, Overdue];
}
