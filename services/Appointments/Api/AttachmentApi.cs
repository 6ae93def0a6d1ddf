using System.Security.Claims;
using Gosuslugi.Health.Appointments.Attachments;
using Gosuslugi.Health.Contracts.Audit;
using Gosuslugi.Health.ServiceDefaults;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Gosuslugi.Health.Appointments.Api;

public sealed record SubmitAttachmentRequest(Guid? OrganizationId, string? Reason, string? ResidenceAddress) : IJsonRequest<SubmitAttachmentRequest>
{
    static IReadOnlyDictionary<string, string> IJsonRequest<SubmitAttachmentRequest>.FormatMessages => FieldFormats;

    private static readonly Dictionary<string, string> FieldFormats = new()
    {
        ["organizationId"] = "Идентификатор поликлиники должен быть GUID.",
        ["reason"] = "Причина должна быть строкой.",
        ["residenceAddress"] = "Адрес должен быть строкой.",
    };
}

/// <summary>The patient's polyclinic and their requests to change it.</summary>
public static class AttachmentApi
{
    public const string Route = "/api/v1/appointments";

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

    public static async Task<Results<Ok<MyAttachmentResponse>, ProblemHttpResult>> GetMyAttachment(ClaimsPrincipal user,
        PatientAttachmentRequests attachments, PatientAccessLog access, CancellationToken ct)
    {
        var patientId = user.GetSubjectId();
        if (!user.CanManageAppointments())
        {
            return await access.RefuseAsync(patientId, AccessActions.Read, PatientAttachmentRequests.ReadPurpose, null, ct);
        }

        return await attachments.GetAttachmentAsync(patientId, ct) is { } attachment
            ? TypedResults.Ok(attachment)
            : AppointmentProblems.WithReason(StatusCodes.Status404NotFound, "Прикрепление не найдено",
                "Вы не прикреплены к поликлинике. Подайте заявление о прикреплении в выбранную поликлинику.", "not_attached");
    }

    public static async Task<Results<Created<AttachmentRequestResponse>, ValidationProblem, ProblemHttpResult>>
        SubmitAttachmentRequest(HttpContext http, Json<SubmitAttachmentRequest> body, ClaimsPrincipal user,
            PatientAttachmentRequests attachments, PatientAccessLog access, CancellationToken ct)
    {
        var patientId = user.GetSubjectId();
        if (!user.CanManageAppointments())
        {
            return await access.RefuseAsync(patientId, AccessActions.Create, PatientAttachmentRequests.SubmitPurpose, null, ct);
        }

        if (IdempotencyKeys.Read(http.Request, PatientAttachments.IdempotencyKeyLength, out var key) is { } badKey)
        {
            return badKey;
        }

        var submitted = body.Value;
        var reason = RequestText.Trimmed(submitted.Reason);
        var address = RequestText.Trimmed(submitted.ResidenceAddress);
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

        var result = await attachments.SubmitAsync(patientId, user.ActorId().ToString(), submitted.OrganizationId!.Value, reason,
            address, key.Length > 0 ? key : null, ct);
        return result switch
        {
            { Outcome: SubmitOutcome.Submitted, Request: { } request } =>
                TypedResults.Created($"{Route}/attachment-requests/{request.Id}", request),
            { Outcome: SubmitOutcome.OrganizationNotFound } => Problems.Validation("organizationId", "Такая поликлиника не найдена."),
            { Outcome: SubmitOutcome.AlreadyAttached } => AppointmentProblems.BusinessRule("already_attached",
                "Вы уже прикреплены к этой поликлинике."),
            { Outcome: SubmitOutcome.RequestOpen } => AppointmentProblems.Conflict("Заявление уже подано",
                "У вас уже есть заявление о прикреплении на рассмотрении. Дождитесь ответа поликлиники.", "request_open"),
            _ => AppointmentProblems.BusinessRule("idempotency_key_reused",
                "Этот ключ идемпотентности уже использован для другого заявления. Для нового заявления нужен новый ключ."),
        };
    }

    /// <summary>Newest first.</summary>
    public static async Task<Results<Ok<AttachmentRequestListResponse>, ProblemHttpResult>> ListMyAttachmentRequests(
        ClaimsPrincipal user, PatientAttachmentRequests attachments, PatientAccessLog access, CancellationToken ct)
    {
        var patientId = user.GetSubjectId();
        if (!user.CanManageAppointments())
        {
            return await access.RefuseAsync(patientId, AccessActions.Read, PatientAttachmentRequests.ReadPurpose, null, ct);
        }

        return TypedResults.Ok(new AttachmentRequestListResponse(await attachments.ListAsync(patientId, ct)));
    }

    public static async Task<Results<Ok<AttachmentRequestResponse>, NotFound, ProblemHttpResult>> GetMyAttachmentRequest(
        Guid id, ClaimsPrincipal user, PatientAttachmentRequests attachments, PatientAccessLog access, CancellationToken ct)
    {
        var patientId = user.GetSubjectId();
        if (!user.CanManageAppointments())
        {
            return await access.RefuseAsync(patientId, AccessActions.Read, PatientAttachmentRequests.ReadPurpose, id, ct);
        }

        return await attachments.GetAsync(patientId, id, ct) is { } request ? TypedResults.Ok(request) : TypedResults.NotFound();
    }

    /// <summary>
    /// The patient takes back a request the organization has not answered yet, so that they may submit another. Sent
    /// again, it changes nothing.
    /// </summary>
    public static async Task<Results<Ok<AttachmentRequestResponse>, NotFound, ProblemHttpResult>> WithdrawMyAttachmentRequest(
        Guid id, ClaimsPrincipal user, PatientAttachmentRequests attachments, PatientAccessLog access, CancellationToken ct)
    {
        var patientId = user.GetSubjectId();
        if (!user.CanManageAppointments())
        {
            return await access.RefuseAsync(patientId, AccessActions.Change, PatientAttachmentRequests.SubmitPurpose, id, ct);
        }

        var withdrawn = await attachments.WithdrawAsync(patientId, id, ct);
        return withdrawn switch
        {
            { Outcome: RequestAnswerOutcome.Done, Request: { } request } => TypedResults.Ok(request),
            { Outcome: RequestAnswerOutcome.NotFound } => TypedResults.NotFound(),
            _ => AppointmentProblems.Conflict("Заявление уже рассмотрено",
                $"Поликлиника уже ответила на заявление: «{PatientAttachments.RequestStatusTitle(withdrawn.CurrentStatus!)}».",
                "request_closed", withdrawn.CurrentStatus),
        };
    }
}
