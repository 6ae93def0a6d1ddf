using System.Security.Claims;
using Gosuslugi.Health.Appointments.Attachments;
using Gosuslugi.Health.Appointments.Data;
using Gosuslugi.Health.Appointments.Domain;
using Gosuslugi.Health.Contracts.Appointments;
using Gosuslugi.Health.Contracts.Audit;
using Gosuslugi.Health.ServiceDefaults;
using Gosuslugi.Health.ServiceDefaults.Audit;
using Gosuslugi.Health.ServiceDefaults.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Appointments.Api;

public sealed record AttachmentServices(AppointmentsDb Db, TimeProvider Time, ILogger<AttachmentServices> Logger);

public sealed record PutOrganizationAttachment(string? Snils, DateOnly? AttachedOn) : IJsonRequest<PutOrganizationAttachment>
{
    static IReadOnlyDictionary<string, string> IJsonRequest<PutOrganizationAttachment>.FormatMessages => OrganizationAttachmentApi.FormatMessages;
}

public sealed record DetachOrganizationAttachment(DateOnly? DetachedOn) : IJsonRequest<DetachOrganizationAttachment>
{
    static IReadOnlyDictionary<string, string> IJsonRequest<DetachOrganizationAttachment>.FormatMessages => OrganizationAttachmentApi.FormatMessages;
}

public sealed record ApproveAttachmentRequest(DateOnly? AttachedOn) : IJsonRequest<ApproveAttachmentRequest>
{
    static IReadOnlyDictionary<string, string> IJsonRequest<ApproveAttachmentRequest>.FormatMessages => OrganizationAttachmentApi.FormatMessages;
}

public sealed record RefuseAttachmentRequest(string? Answer) : IJsonRequest<RefuseAttachmentRequest>
{
    static IReadOnlyDictionary<string, string> IJsonRequest<RefuseAttachmentRequest>.FormatMessages => OrganizationAttachmentApi.FormatMessages;
}

public sealed record OrganizationAttachmentResponse(
    Guid Id,
    string? ExternalId,
    Guid PatientId,
    Guid OrganizationId,
    DateOnly AttachedOn,
    DateOnly? DetachedOn,
    Guid? RequestId)
{
    public static OrganizationAttachmentResponse From(Attachment a) =>
        new(a.Id, a.ExternalId, a.PatientId, a.OrganizationId, a.AttachedOn, a.DetachedOn, a.RequestId);
}

/// <summary>Who asks: what the organization needs to identify the patient (it knows people by SNILS).</summary>
public sealed record AttachmentRequestPatient(Guid Id, string? Snils, string? Name, DateOnly? BirthDate);

public sealed record OrganizationAttachmentRequestResponse(
    Guid Id,
    AttachmentRequestPatient Patient,
    string? Reason,
    string? ResidenceAddress,
    string Status,
    string? Answer,
    DateTimeOffset SubmittedAt,
    DateTimeOffset? AnsweredAt,
    Guid? AttachmentId)
{
    public static OrganizationAttachmentRequestResponse From(AttachmentRequest r, KnownPatient? patient, Guid? attachmentId) =>
        new(r.Id, new AttachmentRequestPatient(r.PatientId, patient?.Snils, patient?.FullName, patient?.BirthDate), r.Reason,
            r.ResidenceAddress, r.Status, r.Answer, r.SubmittedAt, r.AnsweredAt, attachmentId);
}

public sealed record OrganizationAttachmentRequestListResponse(IReadOnlyList<OrganizationAttachmentRequestResponse> Items);

/// <summary>
/// A polyclinic's side of attachment: it attaches and detaches patients by its own ids (resent unchanged, they change
/// nothing) and answers the patients' requests addressed to it.
/// </summary>
public static class OrganizationAttachmentApi
{
    public const string Route = "/api/v1/appointments/org";

    private const string AttachPurpose = "прикрепление пациента к медицинской организации";
    private const string DetachPurpose = "открепление пациента от медицинской организации";
    private const string ReadRequestsPurpose = "рассмотрение заявления о прикреплении";
    private const string AnswerPurpose = "ответ на заявление о прикреплении";

    public static RouteGroupBuilder MapOrganizationAttachmentApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup(Route).WithTags("Attachment (organizations)").RequireAuthorization(Policies.MedicalOrganization);

        api.MapPut("/attachments/{externalId}", PutOrganizationAttachment)
            .Accepts<PutOrganizationAttachment>("application/json").WithName(nameof(PutOrganizationAttachment));
        api.MapPost("/attachments/{externalId}/detach", DetachOrganizationAttachment)
            .Accepts<DetachOrganizationAttachment>("application/json").WithName(nameof(DetachOrganizationAttachment));
        api.MapGet("/attachment-requests", ListOrganizationAttachmentRequests).WithName(nameof(ListOrganizationAttachmentRequests));
        api.MapPost("/attachment-requests/{id:guid}/approve", ApproveAttachmentRequest)
            .Accepts<ApproveAttachmentRequest>("application/json").WithName(nameof(ApproveAttachmentRequest));
        api.MapPost("/attachment-requests/{id:guid}/refuse", RefuseAttachmentRequest)
            .Accepts<RefuseAttachmentRequest>("application/json").WithName(nameof(RefuseAttachmentRequest));

        return api;
    }

    public static async Task<Results<Ok<OrganizationAttachmentResponse>, ValidationProblem, ProblemHttpResult>>
        PutOrganizationAttachment(string externalId, HttpContext http, Json<PutOrganizationAttachment> body, ClaimsPrincipal user,
            [AsParameters] AttachmentServices services, CancellationToken ct)
    {
        var organizationId = user.GetOrganizationId()!.Value;
        var request = body.Value;

        var errors = new Dictionary<string, string[]>();
        if (externalId.Length > PatientAttachments.ExternalIdLength)
        {
            errors["externalId"] = [$"Идентификатор прикрепления должен быть не длиннее {PatientAttachments.ExternalIdLength} символов."];
        }

        var snils = PatientAttachments.NormalizeSnils(request.Snils);
        if (snils is null)
        {
            errors["snils"] = ["Укажите СНИЛС пациента: 11 цифр."];
        }

        if (request.AttachedOn is null)
        {
            errors["attachedOn"] = ["Укажите дату прикрепления (ГГГГ-ММ-ДД)."];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var db = services.Db;
        var existing = await db.Attachments.AsNoTracking()
            .SingleOrDefaultAsync(a => a.OrganizationId == organizationId && a.ExternalId == externalId, ct);
        var patient = await db.KnownPatients.AsNoTracking().SingleOrDefaultAsync(p => p.Snils == snils, ct);
        if (existing is not null)
        {
            return Resent(existing, patient);
        }

        if (patient is null)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status422UnprocessableEntity,
                title: "Пациент не найден",
                detail: "Пациент с таким СНИЛС не зарегистрирован в сервисе.",
                extensions: new Dictionary<string, object?> { ["reason"] = "patient_unknown" });
        }

        var now = services.Time.GetUtcNow();
        var organizationName = await OrganizationNameAsync(db, user, organizationId, ct);
        Attachment attachment;
        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            attachment = await PatientAttachments.AttachAsync(db, patient.PatientId, organizationId, organizationName,
                request.AttachedOn!.Value, externalId, null, now, ct);
            db.AddAccessEvent(http, patient.PatientId, AppointmentAccess.AccessSection, AccessActions.Change, AttachPurpose,
                attachment.Id);
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }
        catch (DbUpdateException e) when (PatientAttachments.IsUniqueViolation(e))
        {
            // A concurrent resend of the same attachment won the race (answered as a resend), or another attachment of
            // the same patient was saved meanwhile (the organization retries).
            db.ChangeTracker.Clear();
            existing = await db.Attachments.AsNoTracking()
                .SingleOrDefaultAsync(a => a.OrganizationId == organizationId && a.ExternalId == externalId, ct);
            return existing is not null ? Resent(existing, patient) : AttachmentConflict();
        }

        services.Logger.LogInformation("Patient {PatientId} attached to organization {OrganizationId} as {AttachmentId}",
            patient.PatientId, organizationId, attachment.Id);
        return TypedResults.Ok(OrganizationAttachmentResponse.From(attachment));
    }

    public static async Task<Results<Ok<OrganizationAttachmentResponse>, NotFound, ValidationProblem, ProblemHttpResult>>
        DetachOrganizationAttachment(string externalId, HttpContext http, Json<DetachOrganizationAttachment> body, ClaimsPrincipal user,
            [AsParameters] AttachmentServices services, CancellationToken ct)
    {
        var organizationId = user.GetOrganizationId()!.Value;
        var db = services.Db;
        var attachment = await db.Attachments
            .SingleOrDefaultAsync(a => a.OrganizationId == organizationId && a.ExternalId == externalId, ct);
        if (attachment is null)
        {
            return TypedResults.NotFound();
        }

        var request = body.Value;

        if (request.DetachedOn is not { } detachedOn)
        {
            return Problems.Validation("detachedOn", "Укажите дату открепления (ГГГГ-ММ-ДД).");
        }

        // Already ended (by this call sent again, or by an attachment elsewhere): nothing changes.
        if (attachment.DetachedOn is not null)
        {
            return TypedResults.Ok(OrganizationAttachmentResponse.From(attachment));
        }

        if (detachedOn < attachment.AttachedOn)
        {
            return Problems.Validation("detachedOn", "Дата открепления не может быть раньше даты прикрепления.");
        }

        var now = services.Time.GetUtcNow();
        await PatientAttachments.DetachAsync(db, attachment, detachedOn, now, ct);
        db.AddAccessEvent(http, attachment.PatientId, AppointmentAccess.AccessSection, AccessActions.Change, DetachPurpose,
            attachment.Id);
        await db.SaveChangesAsync(ct);
        services.Logger.LogInformation("Attachment {AttachmentId} ended by organization {OrganizationId}", attachment.Id,
            organizationId);
        return TypedResults.Ok(OrganizationAttachmentResponse.From(attachment));
    }

    /// <summary>Oldest first: the organization answers requests in the order they came.</summary>
    public static async Task<Results<Ok<OrganizationAttachmentRequestListResponse>, ValidationProblem>>
        ListOrganizationAttachmentRequests(string? status, HttpContext http, ClaimsPrincipal user, AppointmentsDb db,
            CancellationToken ct)
    {
        if (status is not null && !PatientAttachments.RequestStatuses.Contains(status))
        {
            return Problems.Validation("status", $"Допустимые статусы: {string.Join(", ", PatientAttachments.RequestStatuses)}.");
        }

        var organizationId = user.GetOrganizationId()!.Value;
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
            db.AddAccessEvent(http, request.PatientId, AppointmentAccess.AccessSection, AccessActions.Read, ReadRequestsPurpose,
                request.Id);
        }

        if (requests.Count > 0)
        {
            await db.SaveChangesAsync(ct);
        }

        return TypedResults.Ok(new OrganizationAttachmentRequestListResponse(requests
            .Select(r => OrganizationAttachmentRequestResponse.From(r, patients.GetValueOrDefault(r.PatientId),
                attachments.TryGetValue(r.Id, out var a) ? a : null))
            .ToList()));
    }

    public static async Task<Results<Ok<OrganizationAttachmentRequestResponse>, NotFound, ValidationProblem, ProblemHttpResult>>
        ApproveAttachmentRequest(Guid id, HttpContext http, Json<ApproveAttachmentRequest>? body, ClaimsPrincipal user, [AsParameters] AttachmentServices services,
            CancellationToken ct)
    {
        var organizationId = user.GetOrganizationId()!.Value;
        DateOnly? attachedOn = null;
        // The body is optional: without it the patient is attached from today.
        if (body is not null)
        {
            var approve = body.Value;

            attachedOn = approve.AttachedOn;
        }

        var db = services.Db;
        var request = await db.AttachmentRequests.SingleOrDefaultAsync(r => r.Id == id && r.OrganizationId == organizationId, ct);
        if (request is null)
        {
            return TypedResults.NotFound();
        }

        if (request.Status != AttachmentRequestStatuses.Submitted)
        {
            return RequestClosed(request);
        }

        var now = services.Time.GetUtcNow();
        var organizationName = await OrganizationNameAsync(db, user, organizationId, ct);
        Attachment attachment;
        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            request.Status = AttachmentRequestStatuses.Approved;
            request.AnsweredAt = now;
            request.UpdatedAt = now;
            db.AddOutboxEvent(new AttachmentRequestStatusChanged(request.Id, request.PatientId, organizationId,
                organizationName, request.Status, null, now));
            // The request is saved first: a concurrent answer fails here, before the attachment changes.
            await db.SaveChangesAsync(ct);
            attachment = await PatientAttachments.AttachAsync(db, request.PatientId, organizationId, organizationName,
                attachedOn ?? MoscowTime.DateOf(now), null, request.Id, now, ct);
            db.AddAccessEvent(http, request.PatientId, AppointmentAccess.AccessSection, AccessActions.Change, AnswerPurpose,
                request.Id);
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            var current = await db.AttachmentRequests.AsNoTracking().SingleAsync(r => r.Id == id, ct);
            return RequestClosed(current);
        }
        catch (DbUpdateException e) when (PatientAttachments.IsUniqueViolation(e))
        {
            return AttachmentConflict();
        }

        services.Logger.LogInformation("Attachment request {RequestId} approved by organization {OrganizationId}", id,
            organizationId);
        var patient = await db.KnownPatients.AsNoTracking().SingleOrDefaultAsync(p => p.PatientId == request.PatientId, ct);
        return TypedResults.Ok(OrganizationAttachmentRequestResponse.From(request, patient, attachment.Id));
    }

    public static async Task<Results<Ok<OrganizationAttachmentRequestResponse>, NotFound, ValidationProblem, ProblemHttpResult>>
        RefuseAttachmentRequest(Guid id, HttpContext http, Json<RefuseAttachmentRequest> body, ClaimsPrincipal user, [AsParameters] AttachmentServices services,
            CancellationToken ct)
    {
        var organizationId = user.GetOrganizationId()!.Value;
        var db = services.Db;
        var request = await db.AttachmentRequests.SingleOrDefaultAsync(r => r.Id == id && r.OrganizationId == organizationId, ct);
        if (request is null)
        {
            return TypedResults.NotFound();
        }

        var refuse = body.Value;

        var answer = refuse.Answer?.Trim();
        if (string.IsNullOrEmpty(answer))
        {
            return Problems.Validation("answer", "Укажите причину отказа: пациент увидит её.");
        }

        if (answer.Length > PatientAttachments.AnswerLength)
        {
            return Problems.Validation("answer", $"Причина отказа должна быть не длиннее {PatientAttachments.AnswerLength} символов.");
        }

        if (request.Status != AttachmentRequestStatuses.Submitted)
        {
            return RequestClosed(request);
        }

        var now = services.Time.GetUtcNow();
        var organizationName = await OrganizationNameAsync(db, user, organizationId, ct);
        request.Status = AttachmentRequestStatuses.Refused;
        request.Answer = answer;
        request.AnsweredAt = now;
        request.UpdatedAt = now;
        db.AddOutboxEvent(new AttachmentRequestStatusChanged(request.Id, request.PatientId, organizationId, organizationName,
            request.Status, answer, now));
        db.AddAccessEvent(http, request.PatientId, AppointmentAccess.AccessSection, AccessActions.Change, AnswerPurpose, request.Id);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            var current = await db.AttachmentRequests.AsNoTracking().SingleAsync(r => r.Id == id, ct);
            return RequestClosed(current);
        }

        services.Logger.LogInformation("Attachment request {RequestId} refused by organization {OrganizationId}", id, organizationId);
        var patient = await db.KnownPatients.AsNoTracking().SingleOrDefaultAsync(p => p.PatientId == request.PatientId, ct);
        return TypedResults.Ok(OrganizationAttachmentRequestResponse.From(request, patient, null));
    }

    /// <summary>The organization's published name, or the one its token carries when it has not published a profile.</summary>
    internal static async Task<string> OrganizationNameAsync(AppointmentsDb db, ClaimsPrincipal user, Guid organizationId,
        CancellationToken ct) =>
        await db.Organizations.AsNoTracking().Where(o => o.Id == organizationId).Select(o => o.Name).SingleOrDefaultAsync(ct)
        ?? user.GetOrganizationName() ?? "";

    internal static readonly Dictionary<string, string> FormatMessages = new()
    {
        ["attachedOn"] = "Дата прикрепления должна быть в формате ГГГГ-ММ-ДД.",
        ["detachedOn"] = "Дата открепления должна быть в формате ГГГГ-ММ-ДД.",
        ["snils"] = "Укажите СНИЛС строкой из 11 цифр.",
        ["answer"] = "Причина отказа должна быть строкой.",
    };

    /// <summary>The same external id sent again: for the same patient nothing changes; for another it is refused.</summary>
    private static Results<Ok<OrganizationAttachmentResponse>, ValidationProblem, ProblemHttpResult> Resent(Attachment existing,
        KnownPatient? patient) =>
        patient is not null && existing.PatientId == patient.PatientId
            ? TypedResults.Ok(OrganizationAttachmentResponse.From(existing))
            : TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "Идентификатор уже использован",
                detail: "Прикрепление с этим идентификатором уже существует для другого пациента.",
                extensions: new Dictionary<string, object?> { ["reason"] = "external_id_taken" });

    private static ProblemHttpResult AttachmentConflict() =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status409Conflict,
            title: "Прикрепление изменилось",
            detail: "Прикрепление пациента одновременно изменилось другим запросом. Повторите запрос.",
            extensions: new Dictionary<string, object?> { ["reason"] = "attachment_changed" });

    private static ProblemHttpResult RequestClosed(AttachmentRequest request) =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status409Conflict,
            title: "Заявление уже рассмотрено",
            detail: $"Заявление уже в статусе «{PatientAttachments.RequestStatusTitle(request.Status)}».",
            extensions: new Dictionary<string, object?> { ["reason"] = "request_closed", ["currentStatus"] = request.Status });

    internal static ProblemHttpResult UnsupportedMediaType() =>
        TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType,
            detail: "Передайте данные в формате JSON (Content-Type: application/json).");
}
