using System.Security.Claims;
using Gosuslugi.Health.Appointments.Attachments;
using Gosuslugi.Health.ServiceDefaults;
using Gosuslugi.Health.ServiceDefaults.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Gosuslugi.Health.Appointments.Api;

/// <summary>A polyclinic answers the patients' attachment requests addressed to it.</summary>
public static class OrganizationAttachmentRequestsApi
{
    public static RouteGroupBuilder MapOrganizationAttachmentRequestsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup(OrganizationAttachmentApi.Route).WithTags("Attachment (organizations)")
            .RequireAuthorization(Policies.MedicalOrganization);

        api.MapGet("/attachment-requests", ListOrganizationAttachmentRequests).WithName(nameof(ListOrganizationAttachmentRequests));
        api.MapPost("/attachment-requests/{id:guid}/approve", ApproveAttachmentRequest)
            .Accepts<ApproveAttachmentRequest>("application/json").WithName(nameof(ApproveAttachmentRequest));
        api.MapPost("/attachment-requests/{id:guid}/refuse", RefuseAttachmentRequest)
            .Accepts<RefuseAttachmentRequest>("application/json").WithName(nameof(RefuseAttachmentRequest));

        return api;
    }

    /// <summary>Oldest first: the organization answers requests in the order they came.</summary>
    public static async Task<Results<Ok<OrganizationAttachmentRequestListResponse>, ValidationProblem>>
        ListOrganizationAttachmentRequests(string? status, ClaimsPrincipal user, AttachmentRequestAnswers answers,
            CancellationToken ct)
    {
        if (status is not null && !PatientAttachments.RequestStatuses.Contains(status))
        {
            return Problems.Validation("status", $"Допустимые статусы: {string.Join(", ", PatientAttachments.RequestStatuses)}.");
        }

        var requests = await answers.ListAsync(user.GetOrganizationId()!.Value, status, ct);
        return TypedResults.Ok(new OrganizationAttachmentRequestListResponse(requests));
    }

    public static async Task<Results<Ok<OrganizationAttachmentRequestResponse>, NotFound, ValidationProblem, ProblemHttpResult>>
        ApproveAttachmentRequest(Guid id, Json<ApproveAttachmentRequest>? body, ClaimsPrincipal user,
            AttachmentRequestAnswers answers, CancellationToken ct)
    {
        // The body is optional: without it the patient is attached from today.
        var approved = await answers.ApproveAsync(user.ActingOrganization(), id, body?.Value.AttachedOn, ct);
        return Answer(approved);
    }

    public static async Task<Results<Ok<OrganizationAttachmentRequestResponse>, NotFound, ValidationProblem, ProblemHttpResult>>
        RefuseAttachmentRequest(Guid id, Json<RefuseAttachmentRequest> body, ClaimsPrincipal user,
            AttachmentRequestAnswers answers, CancellationToken ct) =>
        Answer(await answers.RefuseAsync(user.ActingOrganization(), id, body.Value.Answer, ct));

    private static Results<Ok<OrganizationAttachmentRequestResponse>, NotFound, ValidationProblem, ProblemHttpResult> Answer(
        RequestAnswerResult<OrganizationAttachmentRequestResponse> answered) => answered switch
    {
        { Outcome: RequestAnswerOutcome.Done, Request: { } request } => TypedResults.Ok(request),
        { Outcome: RequestAnswerOutcome.NotFound } => TypedResults.NotFound(),
        { Outcome: RequestAnswerOutcome.Invalid } => Problems.Validation("answer", answered.Error!),
        { Outcome: RequestAnswerOutcome.AttachmentChanged } => OrganizationAttachmentApi.AttachmentChanged(),
        _ => AppointmentProblems.Conflict("Заявление уже рассмотрено",
            $"Заявление уже в статусе «{PatientAttachments.RequestStatusTitle(answered.CurrentStatus!)}».",
            "request_closed", answered.CurrentStatus),
    };
}
