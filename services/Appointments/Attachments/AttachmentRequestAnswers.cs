using Gosuslugi.Health.Appointments.Data;
using Gosuslugi.Health.Appointments.Domain;
using Gosuslugi.Health.Contracts.Appointments;
using Gosuslugi.Health.Contracts.Audit;
using Gosuslugi.Health.ServiceDefaults;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Appointments.Attachments;

/// <summary>A polyclinic's answers to the attachment requests addressed to it.</summary>
public sealed class AttachmentRequestAnswers(
    AppointmentsDb db,
    PatientAccessLog access,
    TimeProvider time,
    ILogger<AttachmentRequestAnswers> logger)
{
    public const string ReadPurpose = "рассмотрение заявления о прикреплении";
    public const string AnswerPurpose = "ответ на заявление о прикреплении";

    /// <summary>Oldest first: the organization answers requests in the order they came.</summary>
    public async Task<List<OrganizationAttachmentRequestResponse>> ListAsync(Guid organizationId, string? status,
        CancellationToken ct)
    {
        var query = db.AttachmentRequests.AsNoTracking().Where(r => r.OrganizationId == organizationId);
        if (status is not null)
        {
            query = query.Where(r => r.Status == status);
        }

        var requests = await query.OrderBy(r => r.SubmittedAt).ThenBy(r => r.Id).Take(500).ToListAsync(ct);
        var patientIds = requests.Select(r => r.PatientId).Distinct().ToList();
        var requestIds = requests.Select(r => r.Id).ToList();
        var patients = await db.KnownPatients.AsNoTracking().Where(p => patientIds.Contains(p.PatientId))
            .ToDictionaryAsync(p => p.PatientId, ct);
        var attachments = await db.Attachments.AsNoTracking()
            .Where(a => a.RequestId != null && requestIds.Contains(a.RequestId.Value))
            .ToDictionaryAsync(a => a.RequestId!.Value, a => a.Id, ct);

        foreach (var request in requests)
        {
            access.Add(request.PatientId, AccessActions.Read, ReadPurpose, request.Id);
        }

        if (requests.Count > 0)
        {
            await db.SaveChangesAsync(ct);
        }

        return requests
            .Select(r => OrganizationAttachmentRequestResponse.From(r, patients.GetValueOrDefault(r.PatientId),
                attachments.TryGetValue(r.Id, out var a) ? a : null))
            .ToList();
    }

    /// <param name="attachedOn">From when; today (in Moscow) when not said.</param>
    public async Task<RequestAnswerResult<OrganizationAttachmentRequestResponse>> ApproveAsync(ActingOrganization organization,
        Guid id, DateOnly? attachedOn, CancellationToken ct)
    {
        var request = await db.AttachmentRequests.SingleOrDefaultAsync(r => r.Id == id && r.OrganizationId == organization.Id, ct);
        if (request is null)
        {
            return new(RequestAnswerOutcome.NotFound);
        }

        if (request.Status != AttachmentRequestStatuses.Submitted)
        {
            return new(RequestAnswerOutcome.Closed, CurrentStatus: request.Status);
        }

        var now = time.GetUtcNow();
        var organizationName = await organization.NameAsync(db, ct);
        Attachment attachment;
        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            request.Status = AttachmentRequestStatuses.Approved;
            request.AnsweredAt = now;
            request.UpdatedAt = now;
            db.AddOutboxEvent(new AttachmentRequestStatusChanged(request.Id, request.PatientId, organization.Id,
                organizationName, request.Status, null, now));
            // The request is saved first: a concurrent answer fails here, before the attachment changes.
            await db.SaveChangesAsync(ct);
            attachment = await PatientAttachments.AttachAsync(db, request.PatientId, organization.Id, organizationName,
                attachedOn ?? MoscowTime.DateOf(now), null, request.Id, now, ct);
            access.Add(request.PatientId, AccessActions.Change, AnswerPurpose, request.Id);
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return new(RequestAnswerOutcome.Closed, CurrentStatus: await PatientAttachments.StatusAfterConflictAsync(db, id, ct));
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation())
        {
            return new(RequestAnswerOutcome.AttachmentChanged);
        }

        logger.LogInformation("Attachment request {RequestId} approved by organization {OrganizationId}", id, organization.Id);
        return new(RequestAnswerOutcome.Done, await DescribeAsync(request, attachment.Id, ct));
    }

    /// <param name="answer">Why not, as the patient reads it.</param>
    public async Task<RequestAnswerResult<OrganizationAttachmentRequestResponse>> RefuseAsync(ActingOrganization organization,
        Guid id, string? answer, CancellationToken ct)
    {
        var request = await db.AttachmentRequests.SingleOrDefaultAsync(r => r.Id == id && r.OrganizationId == organization.Id, ct);
        if (request is null)
        {
            return new(RequestAnswerOutcome.NotFound);
        }

        answer = answer?.Trim();
        if (string.IsNullOrEmpty(answer))
        {
            return new(RequestAnswerOutcome.Invalid, Error: "Укажите причину отказа: пациент увидит её.");
        }

        if (answer.Length > PatientAttachments.AnswerLength)
        {
            return new(RequestAnswerOutcome.Invalid,
                Error: $"Причина отказа должна быть не длиннее {PatientAttachments.AnswerLength} символов.");
        }

        if (request.Status != AttachmentRequestStatuses.Submitted)
        {
            return new(RequestAnswerOutcome.Closed, CurrentStatus: request.Status);
        }

        var now = time.GetUtcNow();
        var organizationName = await organization.NameAsync(db, ct);
        request.Status = AttachmentRequestStatuses.Refused;
        request.Answer = answer;
        request.AnsweredAt = now;
        request.UpdatedAt = now;
        db.AddOutboxEvent(new AttachmentRequestStatusChanged(request.Id, request.PatientId, organization.Id, organizationName,
            request.Status, answer, now));
        access.Add(request.PatientId, AccessActions.Change, AnswerPurpose, request.Id);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return new(RequestAnswerOutcome.Closed, CurrentStatus: await PatientAttachments.StatusAfterConflictAsync(db, id, ct));
        }

        logger.LogInformation("Attachment request {RequestId} refused by organization {OrganizationId}", id, organization.Id);
        return new(RequestAnswerOutcome.Done, await DescribeAsync(request, null, ct));
    }

    private async Task<OrganizationAttachmentRequestResponse> DescribeAsync(AttachmentRequest request, Guid? attachmentId,
        CancellationToken ct)
    {
        var patient = await db.KnownPatients.AsNoTracking().SingleOrDefaultAsync(p => p.PatientId == request.PatientId, ct);
        return OrganizationAttachmentRequestResponse.From(request, patient, attachmentId);
    }
}
