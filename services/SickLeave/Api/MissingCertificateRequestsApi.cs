using System.Security.Claims;
using Gosuslugi.Health.Contracts.Audit;
using Gosuslugi.Health.Contracts.Identity;
using Gosuslugi.Health.ServiceDefaults;
using Gosuslugi.Health.ServiceDefaults.Audit;
using Gosuslugi.Health.ServiceDefaults.Auth;
using Gosuslugi.Health.SickLeave.Domain;
using Gosuslugi.Health.SickLeave.Requests;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Gosuslugi.Health.SickLeave.Api;

/// <summary>The patient (or a representative whose delegation covers sick leave) asks for a missing certificate and follows the request.</summary>
public static class MissingCertificateRequestsApi
{
    public const string Route = CertificatesApi.Route + "/requests";
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    private const string SubmitPurpose = "запрос недостающего листка нетрудоспособности";
    private const string ReadPurpose = "просмотр запросов листков нетрудоспособности";

    public static RouteGroupBuilder MapMissingCertificateRequestsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup(Route).WithTags("Sick leave requests").RequireAuthorization(Policies.MedicalData);

        api.MapPost("/", SubmitMissingCertificateRequest).Accepts<SubmitMissingCertificateRequest>("application/json")
            .WithName(nameof(SubmitMissingCertificateRequest));
        api.MapGet("/", ListMyMissingCertificateRequests).WithName(nameof(ListMyMissingCertificateRequests));
        api.MapGet("/{id:guid}", GetMyMissingCertificateRequest).WithName(nameof(GetMyMissingCertificateRequest));

        return api;
    }

    public static async Task<Results<Created<MissingCertificateRequestResponse>, Ok<MissingCertificateRequestResponse>, ValidationProblem, ProblemHttpResult>>
        SubmitMissingCertificateRequest(HttpContext http, Json<SubmitMissingCertificateRequest> body, ClaimsPrincipal user,
            MissingCertificateRequests requests, TimeProvider time, CancellationToken ct)
    {
        var patientId = user.GetSubjectId();
        if (await CertificatesApi.RefusedAsync(http, user, requests.Db, patientId, AccessActions.Create, SubmitPurpose, null, ct) is { } refused)
            return refused;

        var key = http.Request.Headers[IdempotencyKeyHeader].ToString().Trim();
        if (key.Length > SickLeaveRules.IdempotencyKeyLength)
            return Problems.Validation(IdempotencyKeyHeader, $"Ключ идемпотентности — не длиннее {SickLeaveRules.IdempotencyKeyLength} символов.");

        var errors = RequestValidator.Validate(body.Value, MoscowTime.DateOf(time.GetUtcNow()));
        if (errors.Count > 0) return Problems.Validation(errors);

        var (request, created) = await requests.SubmitAsync(patientId, user.GetActorId() ?? patientId, body.Value,
            key.Length > 0 ? key : null,
            r => requests.Db.AddAccessEvent(http, patientId, RecordSections.SickLeave, AccessActions.Create, SubmitPurpose, r.Id), ct);
        var response = await requests.DescribeAsync(request, ct);
        return created ? TypedResults.Created($"{Route}/{request.Id}", response) : TypedResults.Ok(response);
    }

    public static async Task<Results<Ok<MissingCertificateRequestListResponse>, ProblemHttpResult>> ListMyMissingCertificateRequests(
        HttpContext http, ClaimsPrincipal user, MissingCertificateRequests requests, CancellationToken ct)
    {
        var patientId = user.GetSubjectId();
        if (await CertificatesApi.RefusedAsync(http, user, requests.Db, patientId, AccessActions.Read, ReadPurpose, null, ct) is { } refused)
            return refused;

        var responses = await requests.ListAsync(patientId, ct);
        await requests.Db.LogAccessAsync(http, patientId, RecordSections.SickLeave, AccessActions.Read, ReadPurpose, ct: ct);
        return TypedResults.Ok(new MissingCertificateRequestListResponse(responses));
    }

    public static async Task<Results<Ok<MissingCertificateRequestResponse>, NotFound, ProblemHttpResult>> GetMyMissingCertificateRequest(
        Guid id, HttpContext http, ClaimsPrincipal user, MissingCertificateRequests requests, CancellationToken ct)
    {
        var patientId = user.GetSubjectId();
        if (await CertificatesApi.RefusedAsync(http, user, requests.Db, patientId, AccessActions.Read, ReadPurpose, id, ct) is { } refused)
            return refused;

        // Someone else's request answers exactly like a missing one.
        if (await requests.FindAsync(id, patientId, ct) is not { } response) return TypedResults.NotFound();

        await requests.Db.LogAccessAsync(http, patientId, RecordSections.SickLeave, AccessActions.Read, ReadPurpose, id, ct: ct);
        return TypedResults.Ok(response);
    }
}
