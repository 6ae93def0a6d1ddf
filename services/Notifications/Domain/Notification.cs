namespace Gosuslugi.Health.Notifications.Domain;

/// <summary>A message in the patient's in-app feed.</summary>
public sealed class Notification
{
    private Notification()
    {
        Category = Title = Body = null!;
    }

    public Notification(Guid patientId, string category, string title, string body, string? link, Guid? sourceId,
        DateTimeOffset createdAt)
    {
        Id = Guid.CreateVersion7(createdAt);
        PatientId = patientId;
        Category = category;
        Title = title;
        Body = body;
        Link = link;
        SourceId = sourceId;
        CreatedAt = createdAt;
    }

    public Guid Id { get; private set; }

    public Guid PatientId { get; private set; }

    /// <summary>What the notification is about; one of <see cref="NotificationCategories"/>.</summary>
    public string Category { get; private set; }

    public string Title { get; private set; }

    public string Body { get; private set; }

    /// <summary>Where the patient finds the item the notification is about.</summary>
    public string? Link { get; private set; }

    /// <summary>
    /// The id of that item. With the category it is unique, so the same fact never notifies twice,
    /// even when it arrives in two different messages.
    /// </summary>
    public Guid? SourceId { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? ReadAt { get; private set; }

    public void MarkRead(DateTimeOffset at) => ReadAt ??= at;
}

public static class NotificationCategories
{
    public const string Immunization = "immunization";

    /// <summary>A visit, result, protocol, discharge summary or preventive exam added to the record, or corrected.</summary>
    public const string RecordItem = "record_item";

    /// <summary>A new result crossed a threshold the patient set.</summary>
    public const string LabThreshold = "lab_threshold";

    /// <summary>Security: an organization opened the record for the first time.</summary>
    public const string RecordAccess = "record_access";

    /// <summary>The patient's request for missing data: sent, taken into work, answered, refused, overdue.</summary>
    public const string DataRequest = "data_request";

    /// <summary>A sick-leave certificate opened, extended, closed or annulled; a missing-certificate request's answer.</summary>
    public const string SickLeave = "sick_leave";

    /// <summary>An appointment booked, moved or cancelled; a waitlist offer.</summary>
    public const string Appointment = "appointment";

    /// <summary>Reminders 24 hours and 2 hours before an appointment.</summary>
    public const string Reminder = "appointment_reminder";

    /// <summary>Attachment to a polyclinic: attached, detached, a change request answered.</summary>
    public const string Attachment = "attachment";

    /// <summary>A vaccination is due.</summary>
    public const string VaccinationDue = "vaccination_due";

    /// <summary>A planned preventive exam (диспансеризация, профосмотр) is a week away.</summary>
    public const string PreventiveExam = "preventive_exam";

    /// <summary>An e-prescription issued or changed, sent to a pharmacy, reserved, dispensed, expiring or expired.</summary>
    public const string Prescription = "prescription";

    /// <summary>Sign-in from a new device, lockout, password or contact changes: never muted by quiet hours.</summary>
    public const string Security = "security";

    public static readonly IReadOnlyList<string> All =
    [
        Appointment, Reminder, RecordItem, LabThreshold, Immunization, VaccinationDue, PreventiveExam, Prescription, DataRequest,
        SickLeave, Attachment, RecordAccess, Security,
    ];

    /// <summary>Security messages ignore quiet hours and cannot be switched off in the feed.</summary>
    public static bool IsSecurity(string category) => category is Security or RecordAccess;
}
