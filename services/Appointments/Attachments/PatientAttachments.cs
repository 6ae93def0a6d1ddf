using Gosuslugi.Health.Appointments.Data;
using Gosuslugi.Health.Appointments.Domain;
using Gosuslugi.Health.Contracts.Appointments;
using Gosuslugi.Health.ServiceDefaults;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Appointments.Attachments;

/// <summary>Attaching a patient to a polyclinic, for the organization's own attachments and approved requests.</summary>
public static class PatientAttachments
{
    public const int ExternalIdLength = 128;
    public const int AnswerLength = 1000;
    public const int ReasonLength = 1000;
    public const int ResidenceAddressLength = 500;
    public const int IdempotencyKeyLength = 100;
    public const int ByLength = 100;

    /// <summary>"123-456-789 01" or "12345678901" to the 11 digits stored; null when it is not 11 digits.</summary>
    public static string? NormalizeSnils(string? snils)
    {
        if (string.IsNullOrWhiteSpace(snils))
        {
            return null;
        }

        // The number only has to look like one here: an unknown patient is reported by the caller.
        var digits = Contracts.Snils.Normalize(snils);
        return Contracts.Snils.Check(digits) is Contracts.Snils.Problem.Format ? null : digits;
    }

    /// <summary>
    /// Ends the patient's current attachment (if any) on <paramref name="attachedOn"/> and attaches them to
    /// <paramref name="organizationId"/>, with both events in the outbox. Runs inside the caller's transaction and
    /// flushes the end of the old attachment first, because the "one current attachment" index is checked row by row.
    /// The caller saves the new attachment (with whatever else it changed) and commits.
    /// </summary>
    public static async Task<Attachment> AttachAsync(AppointmentsDb db, Guid patientId, Guid organizationId,
        string organizationName, DateOnly attachedOn, string? externalId, Guid? requestId, DateTimeOffset now,
        CancellationToken ct)
    {
        // Locks the current attachment, so that a detach or another attach of the same patient waits for this one.
        var current = await db.Attachments
            .FromSql($"""
                SELECT * FROM attachments
                WHERE patient_id = {patientId} AND detached_on IS NULL
                FOR UPDATE
                """)
            .AsTracking()
            .SingleOrDefaultAsync(ct);
        if (current is not null)
        {
            // An attachment never ends before it began, even when the new one is dated back.
            current.DetachedOn = attachedOn < current.AttachedOn ? current.AttachedOn : attachedOn;
            current.UpdatedAt = now;
            db.AddOutboxEvent(new PatientDetached(current.Id, patientId, current.OrganizationId, current.DetachedOn.Value, now,
                await OrganizationNameAsync(db, current.OrganizationId, ct)));
            await db.SaveChangesAsync(ct);
        }

        var attachment = new Attachment
        {
            Id = Guid.CreateVersion7(),
            PatientId = patientId,
            OrganizationId = organizationId,
            AttachedOn = attachedOn,
            ExternalId = externalId,
            RequestId = requestId,
            UpdatedAt = now,
        };
        db.Attachments.Add(attachment);
        db.AddOutboxEvent(new PatientAttached(attachment.Id, patientId, organizationId, organizationName, attachedOn, now));
        return attachment;
    }

    /// <summary>Ends an attachment and announces it; the caller saves.</summary>
    public static async Task DetachAsync(AppointmentsDb db, Attachment attachment, DateOnly detachedOn, DateTimeOffset now,
        CancellationToken ct)
    {
        attachment.DetachedOn = detachedOn;
        attachment.UpdatedAt = now;
        db.AddOutboxEvent(new PatientDetached(attachment.Id, attachment.PatientId, attachment.OrganizationId, detachedOn, now,
            await OrganizationNameAsync(db, attachment.OrganizationId, ct)));
    }

    /// <summary>The organization's published name (so that the patient's message says which polyclinic it was), or null.</summary>
    public static Task<string?> OrganizationNameAsync(AppointmentsDb db, Guid organizationId, CancellationToken ct) =>
        db.Organizations.Where(o => o.Id == organizationId).Select(o => (string?)o.Name).SingleOrDefaultAsync(ct);

    /// <summary>
    /// Another request answered (or withdrew) the request first: this attempt's changes are forgotten, and the status the
    /// request has now is read.
    /// </summary>
    public static async Task<string> StatusAfterConflictAsync(AppointmentsDb db, Guid requestId, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        return (await db.AttachmentRequests.AsNoTracking().SingleAsync(r => r.Id == requestId, ct)).Status;
    }

    /// <summary>The Russian title of a request's status, as the patient reads it.</summary>
    public static string RequestStatusTitle(string status) => status switch
    {
        AttachmentRequestStatuses.Submitted => "На рассмотрении",
        AttachmentRequestStatuses.Approved => "Одобрено",
        AttachmentRequestStatuses.Refused => "Отказано",
        AttachmentRequestStatuses.Withdrawn => "Отозвано",
        _ => status,
    };

    public static readonly IReadOnlyList<string> RequestStatuses =
    [
        AttachmentRequestStatuses.Submitted, AttachmentRequestStatuses.Approved, AttachmentRequestStatuses.Refused,
        AttachmentRequestStatuses.Withdrawn,
    ];
}
