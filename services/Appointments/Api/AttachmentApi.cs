using System.Security.Claims;
using Gosuslugi.Health.Appointments.Attachments;
using Gosuslugi.Health.Appointments.Data;
using Gosuslugi.Health.Appointments.Domain;
using Gosuslugi.Health.Contracts.Appointments;
using Gosuslugi.Health.Contracts.Audit;
using Gosuslugi.Health.ServiceDefaults;
using Gosuslugi.Health.ServiceDefaults.Audit;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Appointments.Api;

/// <summary>An organization as the patient sees it next to their attachment, request or waitlist entry.</summary>
public sealed record AttachmentOrganization(Guid Id, string? Name, string? Address, string? Phone)
{
    public static AttachmentOrganization From(Guid id, Organization? organization) =>
        new(id, organization?.Name, organization?.Address, organization?.Phone);
}

public sealed record MyAttachmentResponse(AttachmentOrganization Organization, DateOnly AttachedOn);

public sealed record SubmitAttachmentRequest(Guid? OrganizationId, string? Reason, string? ResidenceAddress) : IJsonRequest<SubmitAttachmentRequest>
{
    static IReadOnlyDictionary<string, string> IJsonRequest<SubmitAttachmentRequest>.FormatMessages => AttachmentApi.FormatMessages;
}

public sealed record AttachmentRequestResponse(
    Guid Id,
    AttachmentOrganization Organization,
    string? Reason,
    string? ResidenceAddress,
    string Status,
    string StatusTitle,
    string? Answer,
    DateTimeOffset SubmittedAt,
    DateTimeOffset? AnsweredAt)
{
    public static AttachmentRequestResponse From(AttachmentRequest r, Organization? organization) =>
        new(r.Id, AttachmentOrganization.From(r.OrganizationId, organization), r.Reason, r.ResidenceAddress, r.Status,
            PatientAttachments.RequestStatusTitle(r.Status), r.Answer, r.SubmittedAt, r.AnsweredAt);
}

public sealed record AttachmentRequestListResponse(IReadOnlyList<AttachmentRequestResponse> Items);

/// <summary>The patient's polyclinic and their requests to change it.</summary>
public static class AttachmentApi
{
    public const string Route = "/api/v1/appointments";
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    private const string ReadPurpose = "просмотр прикрепления к поликлинике";
    private const string SubmitPurpose = "заявление о прикреплении к поликлинике";

    public static RouteGroupBuilder MapAttachmentApi(this IEndpointRouteBuilder app)
    {
        // Authenticated here; who may act for the patient (the token's sub) is checked by CanManageAppointments.
        var api = app.MapGroup(Route).WithTags("Attachment").RequireAuthorization();

        api.MapGet("/attachment", GetMyAttachment).WithName(nameof(GetMyAttachment));
        api.MapPost("/attachment-requests", SubmitAttachmentRequest)
            .Accepts<SubmitAttachmentRequest>("application/json").WithName(nameof(SubmitAttachmentRequest));
        api.MapGet("/attachment-requests", ListMyAttachmentRequests).WithName(nameof(ListMyAttachmentRequests));
        api.MapGet("/attachment-requests/{id:guid}", GetMyAttachmentRequest).WithName(nameof(GetMyAttachmentRequest));
        api.MapPost("/attachment-requests/{id:guid}/withdraw", WithdrawMyAttachmentRequest)
            .WithName(nameof(WithdrawMyAttachmentRequest));

        return api;
    }

    public static async Task<Results<Ok<MyAttachmentResponse>, ProblemHttpResult>> GetMyAttachment(HttpContext http,
        ClaimsPrincipal user, AppointmentsDb db, CancellationToken ct)
    {
        var patientId = user.GetSubjectId();
        if (!user.CanManageAppointments())
        {
            return await RefusedAsync(db, http, patientId, AccessActions.Read, ReadPurpose, null, ct);
        }

        var attachment = await db.Attachments.AsNoTracking()
            .Where(a => a.PatientId == patientId && a.DetachedOn == null)
            .SingleOrDefaultAsync(ct);
        await db.LogAccessAsync(http, patientId, AppointmentAccess.AccessSection, AccessActions.Read, ReadPurpose,
            attachment?.Id, ct: ct);
        if (attachment is null)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status404NotFound,
                title: "Прикрепление не найдено",
                detail: "Вы не прикреплены к поликлинике. Подайте заявление о прикреплении в выбранную поликлинику.",
                extensions: new Dictionary<string, object?> { ["reason"] = "not_attached" });
        }

        var organization = await db.Organizations.AsNoTracking().SingleOrDefaultAsync(o => o.Id == attachment.OrganizationId, ct);
        return TypedResults.Ok(new MyAttachmentResponse(AttachmentOrganization.From(attachment.OrganizationId, organization),
            attachment.AttachedOn));
    }

    public static async Task<Results<Created<AttachmentRequestResponse>, ValidationProblem, ProblemHttpResult>>
        SubmitAttachmentRequest(HttpContext http, Json<SubmitAttachmentRequest> body, ClaimsPrincipal user, [AsParameters] AttachmentServices services,
            CancellationToken ct)
    {
        var db = services.Db;
        var patientId = user.GetSubjectId();
        if (!user.CanManageAppointments())
        {
            return await RefusedAsync(db, http, patientId, AccessActions.Create, SubmitPurpose, null, ct);
        }

        var key = http.Request.Headers[IdempotencyKeyHeader].ToString().Trim();
        if (key.Length > PatientAttachments.IdempotencyKeyLength)
        {
            return Problems.Validation(IdempotencyKeyHeader,
                $"Ключ идемпотентности должен быть не длиннее {PatientAttachments.IdempotencyKeyLength} символов.");
        }

        var submitted = body.Value;

        var reason = Trimmed(submitted.Reason);
        var address = Trimmed(submitted.ResidenceAddress);
        var errors = new Dictionary<string, string[]>();
        if (submitted.OrganizationId is null)
        {
            errors["organizationId"] = ["Выберите поликлинику."];
        }

        if (reason?.Length > PatientAttachments.ReasonLength)
        {
            errors["reason"] = [$"Причина должна быть не длиннее {PatientAttachments.ReasonLength} символов."];
        }

        if (address?.Length > PatientAttachments.ResidenceAddressLength)
        {
            errors["residenceAddress"] = [$"Адрес должен быть не длиннее {PatientAttachments.ResidenceAddressLength} символов."];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var organizationId = submitted.OrganizationId!.Value;
        var idempotencyKey = key.Length > 0 ? key : null;
        if (idempotencyKey is not null && await FindByKeyAsync(db, patientId, idempotencyKey, ct) is { } earlier)
        {
            return await RepeatedAsync(db, earlier, organizationId, ct);
        }

        var organization = await db.Organizations.AsNoTracking().SingleOrDefaultAsync(o => o.Id == organizationId, ct);
        if (organization is null)
        {
            return Problems.Validation("organizationId", "Такая поликлиника не найдена.");
        }

        var now = services.Time.GetUtcNow();
        var request = new AttachmentRequest
        {
            Id = Guid.CreateVersion7(),
            PatientId = patientId,
            OrganizationId = organizationId,
            Reason = reason,
            ResidenceAddress = address,
            Status = AttachmentRequestStatuses.Submitted,
            SubmittedAt = now,
            SubmittedBy = user.ActorId().ToString(),
            IdempotencyKey = idempotencyKey,
            UpdatedAt = now,
        };

        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            // One open request at a time, whatever the number of instances: the patient's submissions take turns.
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({AdvisoryKey(patientId)})", ct);
            if (await db.Attachments.AnyAsync(a => a.PatientId == patientId && a.DetachedOn == null
                                                   && a.OrganizationId == organizationId, ct))
            {
                return BusinessRule("already_attached", "Вы уже прикреплены к этой поликлинике.");
            }

            if (await db.AttachmentRequests.AnyAsync(r => r.PatientId == patientId
                                                          && r.Status == AttachmentRequestStatuses.Submitted, ct))
            {
                return TypedResults.Problem(
                    statusCode: StatusCodes.Status409Conflict,
                    title: "Заявление уже подано",
                    detail: "У вас уже есть заявление о прикреплении на рассмотрении. Дождитесь ответа поликлиники.",
                    extensions: new Dictionary<string, object?> { ["reason"] = "request_open" });
            }

            db.AttachmentRequests.Add(request);
            db.AddOutboxEvent(new AttachmentRequestStatusChanged(request.Id, patientId, organizationId, organization.Name,
                request.Status, null, now));
            db.AddAccessEvent(http, patientId, AppointmentAccess.AccessSection, AccessActions.Create, SubmitPurpose, request.Id);
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }
        catch (DbUpdateException e) when (PatientAttachments.IsUniqueViolation(e) && idempotencyKey is not null)
        {
            // A concurrent retry with the same key won the race; answer as for any repeat.
            db.ChangeTracker.Clear();
            earlier = await FindByKeyAsync(db, patientId, idempotencyKey, ct);
            if (earlier is null)
            {
                throw;
            }

            return await RepeatedAsync(db, earlier, organizationId, ct);
        }

        services.Logger.LogInformation("Attachment request {RequestId} submitted to organization {OrganizationId}", request.Id,
            organizationId);
        return TypedResults.Created($"{Route}/attachment-requests/{request.Id}", AttachmentRequestResponse.From(request, organization));
    }

    /// <summary>Newest first.</summary>
    public static async Task<Results<Ok<AttachmentRequestListResponse>, ProblemHttpResult>> ListMyAttachmentRequests(
        HttpContext http, ClaimsPrincipal user, AppointmentsDb db, CancellationToken ct)
    {
        var patientId = user.GetSubjectId();
        if (!user.CanManageAppointments())
        {
            return await RefusedAsync(db, http, patientId, AccessActions.Read, ReadPurpose, null, ct);
        }

        var requests = await db.AttachmentRequests.AsNoTracking().Where(r => r.PatientId == patientId)
            .OrderByDescending(r => r.SubmittedAt).ThenByDescending(r => r.Id).ToListAsync(ct);
        var organizationIds = requests.Select(r => r.OrganizationId).Distinct().ToList();
        var organizations = await db.Organizations.AsNoTracking().Where(o => organizationIds.Contains(o.Id))
            .ToDictionaryAsync(o => o.Id, ct);
        await db.LogAccessAsync(http, patientId, AppointmentAccess.AccessSection, AccessActions.Read, ReadPurpose, ct: ct);
        return TypedResults.Ok(new AttachmentRequestListResponse(requests
            .Select(r => AttachmentRequestResponse.From(r, organizations.GetValueOrDefault(r.OrganizationId))).ToList()));
    }

    public static async Task<Results<Ok<AttachmentRequestResponse>, NotFound, ProblemHttpResult>> GetMyAttachmentRequest(
        Guid id, HttpContext http, ClaimsPrincipal user, AppointmentsDb db, CancellationToken ct)
    {
        var patientId = user.GetSubjectId();
        if (!user.CanManageAppointments())
        {
            return await RefusedAsync(db, http, patientId, AccessActions.Read, ReadPurpose, id, ct);
        }

        // Someone else's request answers exactly like a missing one.
        var request = await db.AttachmentRequests.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id && r.PatientId == patientId, ct);
        if (request is null)
        {
            return TypedResults.NotFound();
        }

        var organization = await db.Organizations.AsNoTracking().SingleOrDefaultAsync(o => o.Id == request.OrganizationId, ct);
        await db.LogAccessAsync(http, patientId, AppointmentAccess.AccessSection, AccessActions.Read, ReadPurpose, id, ct: ct);
        return TypedResults.Ok(AttachmentRequestResponse.From(request, organization));
    }

    /// <summary>
    /// The patient takes back a request the organization has not answered yet (sent to the wrong polyclinic, moved
    /// again), so that they may submit another. Sent again, it changes nothing.
    /// </summary>
    public static async Task<Results<Ok<AttachmentRequestResponse>, NotFound, ProblemHttpResult>> WithdrawMyAttachmentRequest(
        Guid id, HttpContext http, ClaimsPrincipal user, [AsParameters] AttachmentServices services, CancellationToken ct)
    {
        var db = services.Db;
        var patientId = user.GetSubjectId();
        if (!user.CanManageAppointments())
        {
            return await RefusedAsync(db, http, patientId, AccessActions.Change, SubmitPurpose, id, ct);
        }

        var request = await db.AttachmentRequests.SingleOrDefaultAsync(r => r.Id == id && r.PatientId == patientId, ct);
        if (request is null)
        {
            return TypedResults.NotFound();
        }

        var organization = await db.Organizations.AsNoTracking().SingleOrDefaultAsync(o => o.Id == request.OrganizationId, ct);
        if (request.Status == AttachmentRequestStatuses.Withdrawn)
        {
            return TypedResults.Ok(AttachmentRequestResponse.From(request, organization));
        }

        if (request.Status != AttachmentRequestStatuses.Submitted)
        {
            return AlreadyAnswered(request);
        }

        var now = services.Time.GetUtcNow();
        request.Status = AttachmentRequestStatuses.Withdrawn;
        request.UpdatedAt = now;
        db.AddOutboxEvent(new AttachmentRequestStatusChanged(request.Id, patientId, request.OrganizationId,
            organization?.Name ?? "", request.Status, null, now));
        db.AddAccessEvent(http, patientId, AppointmentAccess.AccessSection, AccessActions.Change, SubmitPurpose, request.Id);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            // The organization answered meanwhile.
            db.ChangeTracker.Clear();
            return AlreadyAnswered(await db.AttachmentRequests.AsNoTracking().SingleAsync(r => r.Id == id, ct));
        }

        services.Logger.LogInformation("Attachment request {RequestId} withdrawn by the patient", id);
        return TypedResults.Ok(AttachmentRequestResponse.From(request, organization));
    }

    private static ProblemHttpResult AlreadyAnswered(AttachmentRequest request) =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status409Conflict,
            title: "Заявление уже рассмотрено",
            detail: $"Поликлиника уже ответила на заявление: «{PatientAttachments.RequestStatusTitle(request.Status)}».",
            extensions: new Dictionary<string, object?> { ["reason"] = "request_closed", ["currentStatus"] = request.Status });

    /// <summary>Logs the refusal and answers 403: the token may not manage this person's appointments.</summary>
    internal static async Task<ProblemHttpResult> RefusedAsync(AppointmentsDb db, HttpContext http, Guid patientId, string action,
        string purpose, Guid? itemId, CancellationToken ct)
    {
        await db.LogAccessAsync(http, patientId, AppointmentAccess.AccessSection, action, purpose, itemId, AccessOutcomes.Refused, ct);
        return TypedResults.Problem(
            statusCode: StatusCodes.Status403Forbidden,
            title: "Forbidden",
            detail: "Ваши полномочия не позволяют управлять записями к врачу и прикреплением этого человека.",
            extensions: new Dictionary<string, object?> { ["reason"] = "appointments_not_delegated" });
    }

    internal static ProblemHttpResult BusinessRule(string reason, string detail) =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status422UnprocessableEntity,
            title: "Запрос не выполнен",
            detail: detail,
            extensions: new Dictionary<string, object?> { ["reason"] = reason });

    /// <summary>A stable 64-bit key of the patient for a transaction-scoped advisory lock.</summary>
    internal static long AdvisoryKey(Guid patientId) => BitConverter.ToInt64(patientId.ToByteArray(), 8);

    private static string? Trimmed(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static Task<AttachmentRequest?> FindByKeyAsync(AppointmentsDb db, Guid patientId, string key, CancellationToken ct) =>
        db.AttachmentRequests.AsNoTracking().SingleOrDefaultAsync(r => r.PatientId == patientId && r.IdempotencyKey == key, ct);

    /// <summary>The same key for the same organization answers as the first time; for another it is refused.</summary>
    private static async Task<Results<Created<AttachmentRequestResponse>, ValidationProblem, ProblemHttpResult>> RepeatedAsync(
        AppointmentsDb db, AttachmentRequest earlier, Guid organizationId, CancellationToken ct)
    {
        if (earlier.OrganizationId != organizationId)
        {
            return BusinessRule("idempotency_key_reused",
                "Этот ключ идемпотентности уже использован для другого заявления. Для нового заявления нужен новый ключ.");
        }

        var organization = await db.Organizations.AsNoTracking().SingleOrDefaultAsync(o => o.Id == earlier.OrganizationId, ct);
        return TypedResults.Created($"{Route}/attachment-requests/{earlier.Id}", AttachmentRequestResponse.From(earlier, organization));
    }

    internal static readonly Dictionary<string, string> FormatMessages = new()
    {
        ["organizationId"] = "Идентификатор поликлиники должен быть GUID.",
        ["reason"] = "Причина должна быть строкой.",
        ["residenceAddress"] = "Адрес должен быть строкой.",
    };
}
