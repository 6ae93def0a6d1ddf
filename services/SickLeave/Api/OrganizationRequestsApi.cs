using System.Security.Claims;
using Gosuslugi.Health.Contracts.Audit;
using Gosuslugi.Health.Contracts.Identity;
using Gosuslugi.Health.Contracts.SickLeave;
using Gosuslugi.Health.ServiceDefaults;
using Gosuslugi.Health.ServiceDefaults.Audit;
using Gosuslugi.Health.ServiceDefaults.Auth;
using Gosuslugi.Health.SickLeave.Requests;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

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
        var query = requests.Db.Requests.AsNoTracking().Where(r => r.OrganizationId == organizationId);
        query = status is null
            ? query.Where(r => r.Status == SickLeaveRequestStatuses.Submitted || r.Status == SickLeaveRequestStatuses.Overdue)
            : query.Where(r => r.Status == status);
        var items = await query.OrderBy(r => r.DueAt).ThenBy(r => r.Id).Take(take).ToListAsync(ct);

        var patientIds = items.Select(r => r.PatientId).Distinct().ToList();
        var patients = await requests.Db.KnownPatients.AsNoTracking().Where(p => patientIds.Contains(p.PatientId))
            .ToDictionaryAsync(p => p.PatientId, ct);
        var responses = new List<OrganizationRequestResponse>(items.Count);
        foreach (var item in items)
        {
            var patient = patients.GetValueOrDefault(item.PatientId);
            responses.Add(new OrganizationRequestResponse(
                patient is null ? null : new RequestPatientDto(patient.PatientId, patient.FullName, patient.BirthDate, patient.Snils),
                await requests.DescribeAsync(item, ct)));
            // The organization read the patient's details and request: the patient sees it in the access log.
            requests.Db.AddAccessEvent(http, item.PatientId, RecordSections.SickLeave, AccessActions.Read, ReadPurpose, item.Id);
        }
        if (items.Count > 0) await requests.Db.SaveChangesAsync(ct);
        return TypedResults.Ok(new OrganizationRequestListResponse(responses));
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
