namespace Gosuslugi.Health.Contracts.Disputes;

/// <summary>A patient asked a medical organization for data missing from their record.</summary>
/// <param name="DataKind">One of the record item kinds (<c>RecordItemKinds</c>) or "other".</param>
public sealed record DataRequestSubmitted(
    Guid RequestId,
    Guid PatientId,
    Guid OrganizationId,
    string OrganizationName,
    string DataKind,
    DateOnly PeriodFrom,
    DateOnly PeriodTo,
    string? Comment,
    DateTimeOffset DueAt,
    DateTimeOffset OccurredAt) : IPatientEvent;

/// <summary>A data request's status changed (taken into work, answered, refused, overdue).</summary>
/// <param name="Status">One of <see cref="DataRequestStatuses"/>.</param>
/// <param name="Answer">The organization's answer, shown to the patient.</param>
public sealed record DataRequestStatusChanged(
    Guid RequestId,
    Guid PatientId,
    Guid OrganizationId,
    string OrganizationName,
    string Status,
    string? Answer,
    DateTimeOffset OccurredAt) : IPatientEvent;

public static class DataRequestStatuses
{
    public const string Submitted = "submitted";
    public const string InProgress = "in_progress";
    public const string Answered = "answered";
    public const string Refused = "refused";
    public const string Overdue = "overdue";
}
