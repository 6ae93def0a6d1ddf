using System.Security.Claims;
using Gosuslugi.Health.Contracts.Audit;
using Gosuslugi.Health.Contracts.Identity;
using Gosuslugi.Health.Contracts.SickLeave;
using Gosuslugi.Health.ServiceDefaults;
using Gosuslugi.Health.ServiceDefaults.Audit;
using Gosuslugi.Health.ServiceDefaults.Auth;
using Gosuslugi.Health.SickLeave.Requests;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Gosuslugi.Health.SickLeave.Api;

/// <summary>A medical organization's queue of missing-certificate requests addressed to it, and its answers.</summary>
public static class OrganizationRequestsApi
{
    public const string Route = CertificatesApi.Route + "/organization/requests";
    public const int MaxLimit = 500;

    private const string ReadPurpose = "рассмотрение запроса недостающего листка нетрудоспособности";
    private const string AnswerPurpose = "ответ на запрос недостающего листка нетрудоспособности";

    public static RouteGroupBuilder MapOrganizationRequestsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup(Route).WithTags("Sick leave requests (organizations)").RequireAuthorization(Policies.MedicalOrganization);

        api.MapGet("/", ListOrganizationRequests).WithName(nameof(ListOrganizationRequests));
        api.MapPost("/{id:guid}/answer", AnswerMissingCertificateRequest).Accepts<AnswerMissingCertificateRequest>("application/json")
            .WithName(nameof(AnswerMissingCertificateRequest));

        return api;
    }

    /// <summary>Soonest due first (overdue ones lead); by default only the requests still waiting for an answer.</summary>
    public static async Task<Results<Ok<OrganizationRequestListResponse>, ValidationProblem>> ListOrganizationRequests(
        string? status, int? limit, HttpContext http, ClaimsPrincipal user, MissingCertificateRequests requests, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (status is not null && !SickLeaveRequestStatuses.All.Contains(status))
            errors["status"] = ["Статус запроса: " + string.Join(", ", SickLeaveRequestStatuses.All) + "."];
        var take = limit ?? 100;
        if (take is < 1 or > MaxLimit) errors["limit"] = [$"Размер страницы должен быть от 1 до {MaxLimit}."];
        if (errors.Count > 0) return Problems.Validation(errors);

        var organizationId = user.GetOrganizationId()!.Value;
        // The organization reads each patient's details and request: the patient sees it in the access log.
        var queue = await requests.QueueAsync(organizationId, status, take,
            r => requests.Db.AddAccessEvent(http, r.PatientId, RecordSections.SickLeave, AccessActions.Read, ReadPurpose, r.Id), ct);
        return TypedResults.Ok(new OrganizationRequestListResponse(queue));
    }

    public static async Task<Results<Ok<MissingCertificateRequestResponse>, NotFound, ValidationProblem, ProblemHttpResult>>
        AnswerMissingCertificateRequest(Guid id, HttpContext http, Json<AnswerMissingCertificateRequest> body, ClaimsPrincipal user,
            MissingCertificateRequests requests, CancellationToken ct)
    {
        var errors = RequestValidator.Validate(body.Value);
        if (errors.Count > 0) return Problems.Validation(errors);

        var organizationId = user.GetOrganizationId()!.Value;
        var (result, request) = await requests.AnswerAsync(id, organizationId, user.GetClientId() ?? organizationId.ToString(), body.Value,
            r => requests.Db.AddAccessEvent(http, r.PatientId, RecordSections.SickLeave, AccessActions.Change, AnswerPurpose, r.Id), ct);
        return result switch
        {
            // Another organization's request answers exactly like a missing one.
            AnswerResult.NotFound => TypedResults.NotFound(),
            AnswerResult.Closed => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Запрос уже закрыт",
                detail: "На запрос уже дан ответ или отказ; он больше не изменяется.",
                extensions: new Dictionary<string, object?> { ["currentStatus"] = request!.Status }),
            AnswerResult.UnknownCertificate => TypedResults.Problem(new HttpValidationProblemDetails(new Dictionary<string, string[]>
            {
                ["certificateNumber"] = ["Листок с этим номером не опубликован вашей организацией для этого пациента."],
            })
            {
                Status = StatusCodes.Status422UnprocessableEntity,
                Title = "Данные не приняты",
                Detail = "Сначала опубликуйте листок нетрудоспособности, затем ответьте на запрос его номером.",
            }),
            _ => TypedResults.Ok(await requests.DescribeAsync(request!, ct)),
        };
    }
}
