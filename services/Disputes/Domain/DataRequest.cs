using Gosuslugi.Health.Contracts.Disputes;

namespace Gosuslugi.Health.Disputes.Domain;

/// <summary>
/// A patient's request to a medical organization for data missing from their record ("Запросить недостающие данные"):
/// which organization, what kind of data, for which period. The organization takes it into work and answers or
/// refuses; unanswered by <see cref="DueAt"/> it becomes overdue. Every status change is kept in
/// <see cref="History"/>, so the patient follows the request.
/// </summary>
public sealed class DataRequest
{
    private readonly List<DataRequestStatusChange> _history = [];

    private DataRequest()
    {
        OrganizationName = DataKind = Status = null!;
    }

    public DataRequest(Guid patientId, Guid organizationId, string organizationName, string dataKind,
        DateOnly periodFrom, DateOnly periodTo, string? comment, string? idempotencyKey, string submittedBy,
        DateTimeOffset now)
    {
        Id = Guid.CreateVersion7(now);
        PatientId = patientId;
        OrganizationId = organizationId;
        OrganizationName = organizationName;
        DataKind = dataKind;
        PeriodFrom = periodFrom;
        PeriodTo = periodTo;
        Comment = comment;
        IdempotencyKey = idempotencyKey;
        Status = DataRequestStatuses.Submitted;
        SubmittedAt = now;
        DueAt = now + DataRequestRules.AnswerTime;
        UpdatedAt = now;
        _history.Add(new DataRequestStatusChange(Id, Status, now, submittedBy, DataRequestActors.Patient, null));
    }

    public Guid Id { get; private set; }

    public Guid PatientId { get; private set; }

    /// <summary>
    /// The organization the patient named. Stopgap until Appointments publishes the organization directory (issue 5):
    /// the id and name come from the patient's request as given, and the organization sees the request by its org_id.
    /// </summary>
    public Guid OrganizationId { get; private set; }

    public string OrganizationName { get; private set; }

    /// <summary>One of <c>RecordItemKinds</c> or <see cref="DataRequestRules.OtherKind"/>.</summary>
    public string DataKind { get; private set; }

    public DateOnly PeriodFrom { get; private set; }

    public DateOnly PeriodTo { get; private set; }

    public string? Comment { get; private set; }

    /// <summary>The client's Idempotency-Key, unique per patient: a retried submission finds this request.</summary>
    public string? IdempotencyKey { get; private set; }

    /// <summary>One of <see cref="DataRequestStatuses"/>.</summary>
    public string Status { get; private set; }

    public DateTimeOffset SubmittedAt { get; private set; }

    /// <summary>Requests are reviewed within 30 calendar days of submission.</summary>
    public DateTimeOffset DueAt { get; private set; }

    public string? Answer { get; private set; }

    public DateTimeOffset? AnsweredAt { get; private set; }

    /// <summary>The client id of the organization's system that answered or refused.</summary>
    public string? AnsweredBy { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public IReadOnlyList<DataRequestStatusChange> History => _history;

    /// <summary>Answered and refused requests are closed: nothing changes them any more.</summary>
    public bool IsFinal => DataRequestRules.IsFinal(Status);

    /// <summary>
    /// The organization moves the request on. Returns false (and changes nothing) when the transition is not allowed:
    /// the request is closed, or already has that status.
    /// </summary>
    public bool ChangeStatus(string status, string? answer, string by, DateTimeOffset now)
    {
        if (!DataRequestRules.CanChange(Status, status))
        {
            return false;
        }

        Status = status;
        UpdatedAt = now;
        if (DataRequestRules.IsFinal(status))
        {
            Answer = answer;
            AnsweredAt = now;
            AnsweredBy = by;
        }

        _history.Add(new DataRequestStatusChange(Id, status, now, by, DataRequestActors.Organization, answer));
        return true;
    }

    /// <summary>The answer time passed without an answer.</summary>
    public bool MarkOverdue(DateTimeOffset now)
    {
        if (now < DueAt || !DataRequestRules.CanChange(Status, DataRequestStatuses.Overdue))
        {
            return false;
        }

        Status = DataRequestStatuses.Overdue;
        UpdatedAt = now;
        _history.Add(new DataRequestStatusChange(Id, Status, now, DataRequestActors.System, DataRequestActors.System,
            null));
        return true;
    }
}

/// <summary>One step in a request's life, shown to the patient as its status history.</summary>
public sealed class DataRequestStatusChange
{
    private DataRequestStatusChange()
    {
        Status = By = ByRole = null!;
    }

    public DataRequestStatusChange(Guid requestId, string status, DateTimeOffset at, string by, string byRole, string? note)
    {
        Id = Guid.CreateVersion7(at);
        RequestId = requestId;
        Status = status;
        At = at;
        By = by;
        ByRole = byRole;
        Note = note;
    }

    public Guid Id { get; private set; }

    public Guid RequestId { get; private set; }

    public string Status { get; private set; }

    public DateTimeOffset At { get; private set; }

    /// <summary>Who made the change: the person's id, the organization's client id, or "system".</summary>
    public string By { get; private set; }

    /// <summary>One of <see cref="DataRequestActors"/>: what the patient is shown instead of <see cref="By"/>.</summary>
    public string ByRole { get; private set; }

    /// <summary>The answer or the reason for a refusal.</summary>
    public string? Note { get; private set; }
}

public static class DataRequestActors
{
    public const string Patient = "patient";
    public const string Organization = "organization";
    public const string System = "system";
}
