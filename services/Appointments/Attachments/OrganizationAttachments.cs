using Gosuslugi.Health.Appointments.Data;
using Gosuslugi.Health.Appointments.Domain;
using Gosuslugi.Health.Contracts.Audit;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Appointments.Attachments;

/// <summary>The medical organization the request comes from, and the name its token carries.</summary>
public sealed record ActingOrganization(Guid Id, string? NameInToken)
{
    /// <summary>Its published name, or the one its token carries when it has not published a profile.</summary>
    public async Task<string> NameAsync(AppointmentsDb db, CancellationToken ct) =>
        await PatientAttachments.OrganizationNameAsync(db, Id, ct) ?? NameInToken ?? "";
}

public enum OrganizationAttachOutcome
{
    /// <summary>Attached now, or before under the same external id.</summary>
    Attached,

    /// <summary>The external id names another patient's attachment.</summary>
    ExternalIdTaken,

    /// <summary>No patient with this SNILS uses the service.</summary>
    PatientUnknown,

    /// <summary>The patient's attachment changed through another request meanwhile.</summary>
    AttachmentChanged,
}

public sealed record OrganizationAttachResult(OrganizationAttachOutcome Outcome, OrganizationAttachmentResponse? Attachment = null);

public enum DetachOutcome
{
    Detached,
    NotFound,

    /// <summary>The date is wrong: <see cref="DetachResult.Error"/>.</summary>
    InvalidDate,
}

public sealed record DetachResult(DetachOutcome Outcome, OrganizationAttachmentResponse? Attachment = null, string? Error = null);

/// <summary>
/// A polyclinic attaches and detaches patients by its own ids (the external id of the attachment): resent unchanged,
/// they change nothing.
/// </summary>
public sealed class OrganizationAttachments(
    AppointmentsDb db,
    PatientAccessLog access,
    TimeProvider time,
    ILogger<OrganizationAttachments> logger)
{
    public const string AttachPurpose = "прикрепление пациента к медицинской организации";
    public const string DetachPurpose = "открепление пациента от медицинской организации";

    /// <param name="snils">The 11 digits of the patient's SNILS.</param>
    public async Task<OrganizationAttachResult> AttachAsync(ActingOrganization organization, string externalId, string snils,
        DateOnly attachedOn, CancellationToken ct)
    {
        var existing = await FindAsync(organization.Id, externalId, ct);
        var patient = await db.KnownPatients.AsNoTracking().SingleOrDefaultAsync(p => p.Snils == snils, ct);
        if (existing is not null)
        {
            return Resent(existing, patient);
        }

        if (patient is null)
        {
            return new OrganizationAttachResult(OrganizationAttachOutcome.PatientUnknown);
        }

        var now = time.GetUtcNow();
        var organizationName = await organization.NameAsync(db, ct);
        Attachment attachment;
        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            attachment = await PatientAttachments.AttachAsync(db, patient.PatientId, organization.Id, organizationName,
                attachedOn, externalId, null, now, ct);
            access.Add(patient.PatientId, AccessActions.Change, AttachPurpose, attachment.Id);
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation())
        {
            // A concurrent resend of the same attachment won the race (answered as a resend), or another attachment of
            // the same patient was saved meanwhile (the organization retries).
            db.ChangeTracker.Clear();
            existing = await FindAsync(organization.Id, externalId, ct);
            return existing is not null ? Resent(existing, patient) : new(OrganizationAttachOutcome.AttachmentChanged);
        }

        logger.LogInformation("Patient {PatientId} attached to organization {OrganizationId} as {AttachmentId}",
            patient.PatientId, organization.Id, attachment.Id);
        return new(OrganizationAttachOutcome.Attached, OrganizationAttachmentResponse.From(attachment));
    }

    /// <summary>Ends the attachment on <paramref name="detachedOn"/>; one ended already stays as it is.</summary>
    public async Task<DetachResult> DetachAsync(Guid organizationId, string externalId, DateOnly? detachedOn, CancellationToken ct)
    {
        var attachment = await db.Attachments
            .SingleOrDefaultAsync(a => a.OrganizationId == organizationId && a.ExternalId == externalId, ct);
        if (attachment is null)
        {
            return new(DetachOutcome.NotFound);
        }

        if (detachedOn is not { } on)
        {
            return new(DetachOutcome.InvalidDate, Error: "Укажите дату открепления (ГГГГ-ММ-ДД).");
        }

        // Already ended (by this call sent again, or by an attachment elsewhere): nothing changes.
        if (attachment.DetachedOn is not null)
        {
            return new(DetachOutcome.Detached, OrganizationAttachmentResponse.From(attachment));
        }

        if (on < attachment.AttachedOn)
        {
            return new(DetachOutcome.InvalidDate, Error: "Дата открепления не может быть раньше даты прикрепления.");
        }

        var now = time.GetUtcNow();
        await PatientAttachments.DetachAsync(db, attachment, on, now, ct);
        access.Add(attachment.PatientId, AccessActions.Change, DetachPurpose, attachment.Id);
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Attachment {AttachmentId} ended by organization {OrganizationId}", attachment.Id, organizationId);
        return new(DetachOutcome.Detached, OrganizationAttachmentResponse.From(attachment));
    }

    private Task<Attachment?> FindAsync(Guid organizationId, string externalId, CancellationToken ct) =>
        db.Attachments.AsNoTracking().SingleOrDefaultAsync(a => a.OrganizationId == organizationId && a.ExternalId == externalId, ct);

    /// <summary>The same external id sent again: for the same patient nothing changes; for another it is refused.</summary>
    private static OrganizationAttachResult Resent(Attachment existing, KnownPatient? patient) =>
        patient is not null && existing.PatientId == patient.PatientId
            ? new(OrganizationAttachOutcome.Attached, OrganizationAttachmentResponse.From(existing))
            : new(OrganizationAttachOutcome.ExternalIdTaken);
}
