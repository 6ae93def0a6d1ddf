using Gosuslugi.Health.Appointments.Data;
using Gosuslugi.Health.Appointments.Domain;
using Gosuslugi.Health.Contracts.Appointments;
using Gosuslugi.Health.Contracts.Audit;
using Gosuslugi.Health.ServiceDefaults;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Appointments.Attachments;

public enum SubmitOutcome
{
    /// <summary>Submitted now, or before with the same Idempotency-Key to the same organization.</summary>
    Submitted,

    /// <summary>The Idempotency-Key was used for a request to another organization.</summary>
    KeyReused,
    OrganizationNotFound,
    AlreadyAttached,

    /// <summary>Another request of the patient waits for its answer.</summary>
    RequestOpen,
}

public sealed record SubmitResult(SubmitOutcome Outcome, AttachmentRequestResponse? Request = null);

public enum RequestAnswerOutcome
{
    Done,
    NotFound,

    /// <summary>The answer itself is wrong: <see cref="RequestAnswerResult{T}.Error"/> says how.</summary>
    Invalid,

    /// <summary>Answered (or withdrawn) already: <see cref="RequestAnswerResult{T}.CurrentStatus"/> says how.</summary>
    Closed,

    /// <summary>The patient's attachment changed through another request meanwhile.</summary>
    AttachmentChanged,
}

public sealed record RequestAnswerResult<T>(RequestAnswerOutcome Outcome, T? Request = null, string? CurrentStatus = null,
    string? Error = null) where T : class;

/// <summary>The patient's polyclinic and their requests to change it.</summary>
public sealed class PatientAttachmentRequests(
    AppointmentsDb db,
    PatientAccessLog access,
    TimeProvider time,
    ILogger<PatientAttachmentRequests> logger)
{
    public const string ReadPurpose = "просмотр прикрепления к поликлинике";
    public const string SubmitPurpose = "заявление о прикреплении к поликлинике";

    /// <returns>Null when the patient is attached nowhere.</returns>
    public async Task<MyAttachmentResponse?> GetAttachmentAsync(Guid patientId, CancellationToken ct)
    {
        var attachment = await db.Attachments.AsNoTracking()
            .Where(a => a.PatientId == patientId && a.DetachedOn == null)
            .SingleOrDefaultAsync(ct);
        await access.LogAsync(patientId, AccessActions.Read, ReadPurpose, attachment?.Id, ct);
        if (attachment is null)
        {
            return null;
        }

        return new MyAttachmentResponse(
            AttachmentOrganization.From(attachment.OrganizationId, await FindOrganizationAsync(attachment.OrganizationId, ct)),
            attachment.AttachedOn);
    }

    /// <param name="submittedBy">The acting person: the patient or their representative.</param>
    /// <param name="idempotencyKey">With a key, a retry gets the first request again instead of a second one.</param>
    public async Task<SubmitResult> SubmitAsync(Guid patientId, string submittedBy, Guid organizationId, string? reason,
        string? residenceAddress, string? idempotencyKey, CancellationToken ct)
    {
        if (idempotencyKey is not null && await FindByKeyAsync(patientId, idempotencyKey, ct) is { } earlier)
        {
            return await RepeatedAsync(earlier, organizationId, ct);
        }

        var organization = await FindOrganizationAsync(organizationId, ct);
        if (organization is null)
        {
            return new SubmitResult(SubmitOutcome.OrganizationNotFound);
        }

        var now = time.GetUtcNow();
        var request = new AttachmentRequest
        {
            Id = Guid.CreateVersion7(),
            PatientId = patientId,
            OrganizationId = organizationId,
            Reason = reason,
            ResidenceAddress = residenceAddress,
            Status = AttachmentRequestStatuses.Submitted,
            SubmittedAt = now,
            SubmittedBy = submittedBy,
            IdempotencyKey = idempotencyKey,
            UpdatedAt = now,
        };

        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            // One open request at a time, whatever the number of instances: the patient's submissions take turns.
            await db.LockPatientAsync(patientId, ct);
            if (await db.Attachments.AnyAsync(a => a.PatientId == patientId && a.DetachedOn == null
                                                   && a.OrganizationId == organizationId, ct))
            {
                return new SubmitResult(SubmitOutcome.AlreadyAttached);
            }

            if (await db.AttachmentRequests.AnyAsync(r => r.PatientId == patientId
                                                          && r.Status == AttachmentRequestStatuses.Submitted, ct))
            {
                return new SubmitResult(SubmitOutcome.RequestOpen);
            }

            db.AttachmentRequests.Add(request);
            db.AddOutboxEvent(new AttachmentRequestStatusChanged(request.Id, patientId, organizationId, organization.Name,
                request.Status, null, now));
            access.Add(patientId, AccessActions.Create, SubmitPurpose, request.Id);
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation() && idempotencyKey is not null)
        {
            // A concurrent retry with the same key won the race; answer as for any repeat.
            db.ChangeTracker.Clear();
            earlier = await FindByKeyAsync(patientId, idempotencyKey, ct);
            if (earlier is null)
            {
                throw;
            }

            return await RepeatedAsync(earlier, organizationId, ct);
        }

        logger.LogInformation("Attachment request {RequestId} submitted to organization {OrganizationId}", request.Id,
            organizationId);
        return new SubmitResult(SubmitOutcome.Submitted, AttachmentRequestResponse.From(request, organization));
    }

    /// <summary>Newest first.</summary>
    public async Task<List<AttachmentRequestResponse>> ListAsync(Guid patientId, CancellationToken ct)
    {
        var requests = await db.AttachmentRequests.AsNoTracking().Where(r => r.PatientId == patientId)
            .OrderByDescending(r => r.SubmittedAt).ThenByDescending(r => r.Id).ToListAsync(ct);
        var organizationIds = requests.Select(r => r.OrganizationId).Distinct().ToList();
        var organizations = await db.Organizations.AsNoTracking().Where(o => organizationIds.Contains(o.Id))
            .ToDictionaryAsync(o => o.Id, ct);
        await access.LogAsync(patientId, AccessActions.Read, ReadPurpose, null, ct);
        return requests.Select(r => AttachmentRequestResponse.From(r, organizations.GetValueOrDefault(r.OrganizationId))).ToList();
    }

    /// <returns>Null when the patient has no such request: someone else's answers exactly like a missing one.</returns>
    public async Task<AttachmentRequestResponse?> GetAsync(Guid patientId, Guid id, CancellationToken ct)
    {
        var request = await db.AttachmentRequests.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id && r.PatientId == patientId, ct);
        if (request is null)
        {
            return null;
        }

        var organization = await FindOrganizationAsync(request.OrganizationId, ct);
        await access.LogAsync(patientId, AccessActions.Read, ReadPurpose, id, ct);
        return AttachmentRequestResponse.From(request, organization);
    }

    /// <summary>
    /// The patient takes back a request the organization has not answered yet (sent to the wrong polyclinic, moved
    /// again), so that they may submit another. Sent again, it changes nothing.
    /// </summary>
    public async Task<RequestAnswerResult<AttachmentRequestResponse>> WithdrawAsync(Guid patientId, Guid id, CancellationToken ct)
    {
        var request = await db.AttachmentRequests.SingleOrDefaultAsync(r => r.Id == id && r.PatientId == patientId, ct);
        if (request is null)
        {
            return new(RequestAnswerOutcome.NotFound);
        }

        var organization = await FindOrganizationAsync(request.OrganizationId, ct);
        if (request.Status == AttachmentRequestStatuses.Withdrawn)
        {
            return new(RequestAnswerOutcome.Done, AttachmentRequestResponse.From(request, organization));
        }

        if (request.Status != AttachmentRequestStatuses.Submitted)
        {
            return new(RequestAnswerOutcome.Closed, CurrentStatus: request.Status);
        }

        var now = time.GetUtcNow();
        request.Status = AttachmentRequestStatuses.Withdrawn;
        request.UpdatedAt = now;
        db.AddOutboxEvent(new AttachmentRequestStatusChanged(request.Id, patientId, request.OrganizationId,
            organization?.Name ?? "", request.Status, null, now));
        access.Add(patientId, AccessActions.Change, SubmitPurpose, request.Id);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            // The organization answered meanwhile.
            return new(RequestAnswerOutcome.Closed, CurrentStatus: await PatientAttachments.StatusAfterConflictAsync(db, id, ct));
        }

        logger.LogInformation("Attachment request {RequestId} withdrawn by the patient", id);
        return new(RequestAnswerOutcome.Done, AttachmentRequestResponse.From(request, organization));
    }

    private Task<Organization?> FindOrganizationAsync(Guid organizationId, CancellationToken ct) =>
        db.Organizations.AsNoTracking().SingleOrDefaultAsync(o => o.Id == organizationId, ct);

    private Task<AttachmentRequest?> FindByKeyAsync(Guid patientId, string key, CancellationToken ct) =>
        db.AttachmentRequests.AsNoTracking().SingleOrDefaultAsync(r => r.PatientId == patientId && r.IdempotencyKey == key, ct);

    /// <summary>The same key for the same organization answers as the first time; for another it is refused.</summary>
    private async Task<SubmitResult> RepeatedAsync(AttachmentRequest earlier, Guid organizationId, CancellationToken ct) =>
        earlier.OrganizationId != organizationId
            ? new SubmitResult(SubmitOutcome.KeyReused)
            : new SubmitResult(SubmitOutcome.Submitted,
                AttachmentRequestResponse.From(earlier, await FindOrganizationAsync(earlier.OrganizationId, ct)));
}
