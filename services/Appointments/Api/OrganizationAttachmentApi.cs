using System.Security.Claims;
using Gosuslugi.Health.Appointments.Attachments;
using Gosuslugi.Health.ServiceDefaults;
using Gosuslugi.Health.ServiceDefaults.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Gosuslugi.Health.Appointments.Api;

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

/// <summary>
/// A polyclinic's side of attachment: it attaches and detaches patients by its own ids (resent unchanged, they change
/// nothing), and answers the patients' requests addressed to it (<see cref="OrganizationAttachmentRequestsApi"/>).
/// </summary>
public static class OrganizationAttachmentApi
{
    public const string Route = "/api/v1/appointments/org";

    public static RouteGroupBuilder MapOrganizationAttachmentApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup(Route).WithTags("Attachment (organizations)").RequireAuthorization(Policies.MedicalOrganization);

        api.MapPut("/attachments/{externalId}", PutOrganizationAttachment)
            .Accepts<PutOrganizationAttachment>("application/json").WithName(nameof(PutOrganizationAttachment));
        api.MapPost("/attachments/{externalId}/detach", DetachOrganizationAttachment)
            .Accepts<DetachOrganizationAttachment>("application/json").WithName(nameof(DetachOrganizationAttachment));

        return api;
    }

    public static async Task<Results<Ok<OrganizationAttachmentResponse>, ValidationProblem, ProblemHttpResult>>
        PutOrganizationAttachment(string externalId, Json<PutOrganizationAttachment> body, ClaimsPrincipal user,
            OrganizationAttachments attachments, CancellationToken ct)
    {
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

        var attached = await attachments.AttachAsync(user.ActingOrganization(), externalId, snils!, request.AttachedOn!.Value, ct);
        return attached switch
        {
            { Outcome: OrganizationAttachOutcome.Attached, Attachment: { } attachment } => TypedResults.Ok(attachment),
            { Outcome: OrganizationAttachOutcome.ExternalIdTaken } => AppointmentProblems.Conflict("Идентификатор уже использован",
                "Прикрепление с этим идентификатором уже существует для другого пациента.", "external_id_taken"),
            { Outcome: OrganizationAttachOutcome.PatientUnknown } => AppointmentProblems.WithReason(
                StatusCodes.Status422UnprocessableEntity, "Пациент не найден",
                "Пациент с таким СНИЛС не зарегистрирован в сервисе.", "patient_unknown"),
            _ => AttachmentChanged(),
        };
    }

    public static async Task<Results<Ok<OrganizationAttachmentResponse>, NotFound, ValidationProblem, ProblemHttpResult>>
        DetachOrganizationAttachment(string externalId, Json<DetachOrganizationAttachment> body, ClaimsPrincipal user,
            OrganizationAttachments attachments, CancellationToken ct)
    {
        var detached = await attachments.DetachAsync(user.GetOrganizationId()!.Value, externalId, body.Value.DetachedOn, ct);
        return detached switch
        {
            { Outcome: DetachOutcome.Detached, Attachment: { } attachment } => TypedResults.Ok(attachment),
            { Outcome: DetachOutcome.NotFound } => TypedResults.NotFound(),
            _ => Problems.Validation("detachedOn", detached.Error!),
        };
    }

    internal static ProblemHttpResult AttachmentChanged() => AppointmentProblems.Conflict("Прикрепление изменилось",
        "Прикрепление пациента одновременно изменилось другим запросом. Повторите запрос.", "attachment_changed");

    internal static readonly Dictionary<string, string> FormatMessages = new()
    {
        ["attachedOn"] = "Дата прикрепления должна быть в формате ГГГГ-ММ-ДД.",
        ["detachedOn"] = "Дата открепления должна быть в формате ГГГГ-ММ-ДД.",
        ["snils"] = "Укажите СНИЛС строкой из 11 цифр.",
        ["answer"] = "Причина отказа должна быть строкой.",
    };
}
