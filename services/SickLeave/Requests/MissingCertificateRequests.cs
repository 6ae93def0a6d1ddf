using System.Text;
using Gosuslugi.Health.Contracts.SickLeave;
using Gosuslugi.Health.ServiceDefaults;
using Gosuslugi.Health.ServiceDefaults.Encryption;
using Gosuslugi.Health.SickLeave.Data;
using Gosuslugi.Health.SickLeave.Domain;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Gosuslugi.Health.SickLeave.Requests;

public enum AnswerResult { Answered, Refused, NotFound, Closed, UnknownCertificate }

/// <summary>
/// The life of a missing-certificate request: the patient submits it (once per Idempotency-Key), the organization
/// answers with a certificate it published for that patient or refuses with a reason, each step announced to the
/// patient; <see cref="OverdueRequests"/> flags those left unanswered past their 24 hours.
/// </summary>
public sealed class MissingCertificateRequests(SickLeaveDb db, PatientDataKeys<SickLeaveDb> keys, TimeProvider time,
    ILogger<MissingCertificateRequests> logger)
{
    public SickLeaveDb Db => db;

    /// <returns>The request and whether it is new (false: the same Idempotency-Key was used before).</returns>
    public async Task<(MissingCertificateRequest Request, bool Created)> SubmitAsync(Guid patientId, Guid submittedBy,
        SubmitMissingCertificateRequest valid, string? idempotencyKey, Action<MissingCertificateRequest> beforeSave, CancellationToken ct)
    {
        if (idempotencyKey is not null && await FindByKeyAsync(patientId, idempotencyKey, ct) is { } earlier)
        {
            return (earlier, false);
        }

        var now = time.GetUtcNow();
        var comment = string.IsNullOrWhiteSpace(valid.Comment) ? null : valid.Comment.Trim();
        var request = new MissingCertificateRequest
        {
            PatientId = patientId,
            OrganizationId = valid.OrganizationId!.Value,
            OrganizationName = valid.OrganizationName!.Trim(),
            PeriodFrom = valid.PeriodFrom!.Value,
            PeriodTo = valid.PeriodTo!.Value,
            Number = string.IsNullOrWhiteSpace(valid.Number) ? null : valid.Number.Trim(),
            Comment = comment is null ? null : (await keys.ForWritingAsync(patientId, ct)).Seal(Encoding.UTF8.GetBytes(comment)),
            IdempotencyKey = idempotencyKey,
            SubmittedBy = submittedBy,
            Status = SickLeaveRequestStatuses.Submitted,
            SubmittedAt = now,
            DueAt = now + SickLeaveRules.AnswerTime,
            UpdatedAt = now,
        };
        db.Requests.Add(request);
        db.AddOutboxEvent(new SickLeaveRequestSubmitted(request.Id, patientId, request.OrganizationId, request.OrganizationName,
            request.PeriodFrom, request.PeriodTo, request.DueAt, now));
        beforeSave(request);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation }
                                          && idempotencyKey is not null)
        {
            // A concurrent retry with the same key won the race.
            db.ChangeTracker.Clear();
            return (await FindByKeyAsync(patientId, idempotencyKey, ct) ?? throw new InvalidOperationException("The winning request vanished.", e), false);
        }

        logger.LogInformation("Missing-certificate request {RequestId} sent to organization {OrganizationId}", request.Id, request.OrganizationId);
        return (request, true);
    }

    /// <summary>The organization answers its own request: with a certificate number, or a refusal.</summary>
    public async Task<(AnswerResult Result, MissingCertificateRequest? Request)> AnswerAsync(Guid requestId, Guid organizationId,
        string by, AnswerMissingCertificateRequest answer, Action<MissingCertificateRequest> beforeSave, CancellationToken ct)
    {
        var request = await db.Requests.SingleOrDefaultAsync(r => r.Id == requestId && r.OrganizationId == organizationId, ct);
        if (request is null) return (AnswerResult.NotFound, null);
        if (request.IsFinal) return (AnswerResult.Closed, request);

        var now = time.GetUtcNow();
        by = by.Length <= SickLeaveRules.ByLength ? by : by[..SickLeaveRules.ByLength];
        var number = answer.CertificateNumber?.Trim();
        string? refusal = null;
        if (!string.IsNullOrEmpty(number))
        {
            // Only a certificate this organization published for this patient answers the request.
            var certificate = await db.Certificates.AsNoTracking().SingleOrDefaultAsync(c =>
                c.Number == number && c.OrganizationId == organizationId && c.PatientId == request.PatientId, ct);
            if (certificate is null) return (AnswerResult.UnknownCertificate, request);
            request.Answer(certificate, by, now);
        }
        else
        {
            refusal = answer.RefusalReason!.Trim();
            request.Refuse((await keys.ForWritingAsync(request.PatientId, ct)).Seal(Encoding.UTF8.GetBytes(refusal)), by, now);
        }

        db.AddOutboxEvent(new SickLeaveRequestStatusChanged(request.Id, request.PatientId, request.OrganizationId,
            request.OrganizationName, request.Status, request.CertificateId, request.CertificateNumber, refusal, now));
        beforeSave(request);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Another answer (or the overdue sweep) changed it meanwhile: answer against the new state.
            db.ChangeTracker.Clear();
            return await AnswerAsync(requestId, organizationId, by, answer, beforeSave, ct);
        }

        logger.LogInformation("Missing-certificate request {RequestId} {Status} by organization {OrganizationId}",
            request.Id, request.Status, organizationId);
        return (request.Status == SickLeaveRequestStatuses.Answered ? AnswerResult.Answered : AnswerResult.Refused, request);
    }

    /// <summary>The patient's requests, newest first.</summary>
    public async Task<IReadOnlyList<MissingCertificateRequestResponse>> ListAsync(Guid patientId, CancellationToken ct)
    {
        var items = await db.Requests.AsNoTracking().Where(r => r.PatientId == patientId)
            .OrderByDescending(r => r.SubmittedAt).ThenByDescending(r => r.Id).ToListAsync(ct);
        var responses = new List<MissingCertificateRequestResponse>(items.Count);
        foreach (var item in items) responses.Add(await DescribeAsync(item, ct));
        return responses;
    }

    /// <summary>One of the patient's requests, or null (also when it is someone else's).</summary>
    public async Task<MissingCertificateRequestResponse?> FindAsync(Guid requestId, Guid patientId, CancellationToken ct) =>
        await db.Requests.AsNoTracking().SingleOrDefaultAsync(r => r.Id == requestId && r.PatientId == patientId, ct) is { } request
            ? await DescribeAsync(request, ct)
            : null;

    /// <summary>
    /// An organization's queue, soonest due first (overdue ones lead): by default the requests still waiting for an
    /// answer, each with the patient's details; <paramref name="onRead"/> is told of each request read and the reads
    /// are saved.
    /// </summary>
    public async Task<IReadOnlyList<OrganizationRequestResponse>> QueueAsync(Guid organizationId, string? status, int take,
        Action<MissingCertificateRequest> onRead, CancellationToken ct)
    {
        var query = db.Requests.AsNoTracking().Where(r => r.OrganizationId == organizationId);
        query = status is null
            ? query.Where(r => r.Status == SickLeaveRequestStatuses.Submitted || r.Status == SickLeaveRequestStatuses.Overdue)
            : query.Where(r => r.Status == status);
        var items = await query.OrderBy(r => r.DueAt).ThenBy(r => r.Id).Take(take).ToListAsync(ct);

        var patientIds = items.Select(r => r.PatientId).Distinct().ToList();
        var patients = await db.KnownPatients.AsNoTracking().Where(p => patientIds.Contains(p.PatientId))
            .ToDictionaryAsync(p => p.PatientId, ct);
        var queue = new List<OrganizationRequestResponse>(items.Count);
        foreach (var item in items)
        {
            var patient = patients.GetValueOrDefault(item.PatientId);
            queue.Add(new OrganizationRequestResponse(
                patient is null ? null : new RequestPatientDto(patient.PatientId, patient.FullName, patient.BirthDate, patient.Snils),
                await DescribeAsync(item, ct)));
            onRead(item);
        }
        if (items.Count > 0) await db.SaveChangesAsync(ct);
        return queue;
    }

    public async Task<MissingCertificateRequestResponse> DescribeAsync(MissingCertificateRequest r, CancellationToken ct)
    {
        var cipher = r.Comment is null && r.RefusalReason is null ? null : await keys.ForReadingAsync(r.PatientId, ct);
        string? Open(Sealed? value) => value is null ? null : Encoding.UTF8.GetString(cipher!.Open(value));
        return new MissingCertificateRequestResponse(r.Id, new RequestOrganizationDto(r.OrganizationId, r.OrganizationName),
            r.PeriodFrom, r.PeriodTo, r.Number, Open(r.Comment), r.Status, SickLeaveRules.RequestStatusTitle(r.Status),
            r.SubmittedAt, r.DueAt, r.WasOverdue, r.AnsweredAt, r.CertificateId, r.CertificateNumber, Open(r.RefusalReason));
    }

    private Task<MissingCertificateRequest?> FindByKeyAsync(Guid patientId, string key, CancellationToken ct) =>
        db.Requests.AsNoTracking().SingleOrDefaultAsync(r => r.PatientId == patientId && r.IdempotencyKey == key, ct);
}
