using System.Security.Claims;
using Gosuslugi.Health.Contracts.Audit;
using Gosuslugi.Health.Contracts.Disputes;
using Gosuslugi.Health.Disputes.Data;
using Gosuslugi.Health.Disputes.Domain;
using Gosuslugi.Health.ServiceDefaults;
using Gosuslugi.Health.ServiceDefaults.Audit;
using Gosuslugi.Health.ServiceDefaults.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Gosuslugi.Health.Disputes.Api;

public sealed record DisputesServices(DisputesDb Db, TimeProvider Time, ILogger<DisputesServices> Logger);

/// <summary>"Request missing data": the patient (or a representative with a full delegation) asks an organization.</summary>
public static class DataRequestsApi
{
    public const string Route = "/api/v1/disputes/data-requests";
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    /// <summary>The area of the patient's data these endpoints touch, as Audit shows it.</summary>
    public const string AccessSection = "data_requests";

    public static RouteGroupBuilder MapDataRequestsApi(this IEndpointRouteBuilder app)
    {
        // The person's own requests, or a represented person's through a delegation (the token's sub is theirs then).
        var api = app.MapGroup(Route).WithTags("Data requests").RequireAuthorization(Policies.MedicalData);

        api.MapPost("/", SubmitDataRequest).Accepts<SubmitDataRequest>("application/json").WithName(nameof(SubmitDataRequest));
        api.MapGet("/", ListMyDataRequests).WithName(nameof(ListMyDataRequests));
        api.MapGet("/{id:guid}", GetMyDataRequest).WithName(nameof(GetMyDataRequest));

        return api;
    }

    public static async Task<Results<Created<DataRequestResponse>, ValidationProblem, ProblemHttpResult>> SubmitDataRequest(
        HttpContext http, Json<SubmitDataRequest> body, ClaimsPrincipal user, [AsParameters] DisputesServices services, CancellationToken ct)
    {
        var patientId = user.GetSubjectId();
        // A request may name any kind of data, so a limited delegation (prescriptions and lab results) does not cover it.
        if (!user.CanReadWholeRecord())
        {
            await services.Db.LogAccessAsync(http, patientId, AccessSection, AccessActions.Create, SubmitPurpose,
                outcome: AccessOutcomes.Refused, ct: ct);
            return AccessProblems.SectionNotDelegated();
        }

        var idempotencyKey = http.Request.Headers[IdempotencyKeyHeader].ToString().Trim();
        if (idempotencyKey.Length > DataRequestRules.IdempotencyKeyLength)
        {
            return Problems.Validation(IdempotencyKeyHeader,
                $"Ключ идемпотентности должен быть не длиннее {DataRequestRules.IdempotencyKeyLength} символов.");
        }

        var request = body.Value;

        var now = services.Time.GetUtcNow();
        var errors = DataRequestValidator.Validate(request, DataRequestValidator.LatestAllowedDate(now), out var valid);
        if (valid is null)
        {
            return Problems.Validation(errors);
        }

        var key = idempotencyKey.Length > 0 ? idempotencyKey : null;
        if (key is not null && await FindByKeyAsync(services.Db, patientId, key, ct) is { } earlier)
        {
            return Repeated(earlier, valid);
        }

        var submittedBy = (user.GetActorId() ?? patientId).ToString();
        var dataRequest = new DataRequest(patientId, valid.OrganizationId, valid.OrganizationName, valid.DataKind,
            valid.PeriodFrom, valid.PeriodTo, valid.Comment, key, submittedBy, now);
        services.Db.DataRequests.Add(dataRequest);
        services.Db.AddOutboxEvent(new DataRequestSubmitted(
            dataRequest.Id, patientId, dataRequest.OrganizationId, dataRequest.OrganizationName, dataRequest.DataKind,
            dataRequest.PeriodFrom, dataRequest.PeriodTo, dataRequest.Comment, dataRequest.DueAt, now));
        services.Db.AddAccessEvent(http, patientId, AccessSection, AccessActions.Create, SubmitPurpose, dataRequest.Id);

        try
        {
            await services.Db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation }
                                          && key is not null)
        {
            // A concurrent retry with the same key won the race; answer as for any repeat.
            services.Db.ChangeTracker.Clear();
            earlier = await FindByKeyAsync(services.Db, patientId, key, ct);
            if (earlier is null)
            {
                throw;
            }

            return Repeated(earlier, valid);
        }

        services.Logger.LogInformation("Data request {RequestId} submitted to organization {OrganizationId}",
            dataRequest.Id, dataRequest.OrganizationId);
        return TypedResults.Created($"{Route}/{dataRequest.Id}", DataRequestResponse.From(dataRequest, withHistory: true));
    }

    public static async Task<Results<Ok<DataRequestListResponse>, ValidationProblem, ProblemHttpResult>> ListMyDataRequests(
        string? status, HttpContext http, ClaimsPrincipal user, DisputesDb db, CancellationToken ct)
    {
        var patientId = user.GetSubjectId();
        if (!user.CanReadWholeRecord())
        {
            await db.LogAccessAsync(http, patientId, AccessSection, AccessActions.Read, ReadPurpose,
                outcome: AccessOutcomes.Refused, ct: ct);
            return AccessProblems.SectionNotDelegated();
        }

        var errors = DataRequestValidator.ValidateStatusFilter(status);
        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var query = db.DataRequests.AsNoTracking().Where(r => r.PatientId == patientId);
        if (status is not null)
        {
            query = query.Where(r => r.Status == status);
        }

        var items = await query.OrderByDescending(r => r.SubmittedAt).ThenByDescending(r => r.Id).ToListAsync(ct);
        await db.LogAccessAsync(http, patientId, AccessSection, AccessActions.Read, ReadPurpose, ct: ct);
        return TypedResults.Ok(new DataRequestListResponse(items.Select(r => DataRequestResponse.From(r, withHistory: false)).ToList()));
    }

    public static async Task<Results<Ok<DataRequestResponse>, NotFound, ProblemHttpResult>> GetMyDataRequest(
        Guid id, HttpContext http, ClaimsPrincipal user, DisputesDb db, CancellationToken ct)
    {
        var patientId = user.GetSubjectId();
        if (!user.CanReadWholeRecord())
        {
            await db.LogAccessAsync(http, patientId, AccessSection, AccessActions.Read, ReadPurpose, id,
                AccessOutcomes.Refused, ct);
            return AccessProblems.SectionNotDelegated();
        }

        // Someone else's request answers exactly like a missing one, so ids reveal nothing.
        var dataRequest = await db.DataRequests.AsNoTracking().Include(r => r.History)
            .SingleOrDefaultAsync(r => r.Id == id && r.PatientId == patientId, ct);
        if (dataRequest is null)
        {
            return TypedResults.NotFound();
        }

        await db.LogAccessAsync(http, patientId, AccessSection, AccessActions.Read, ReadPurpose, id, ct: ct);
        return TypedResults.Ok(DataRequestResponse.From(dataRequest, withHistory: true));
    }

    private const string SubmitPurpose = "запрос недостающих медицинских данных";
    private const string ReadPurpose = "просмотр запросов недостающих данных";

    private static Task<DataRequest?> FindByKeyAsync(DisputesDb db, Guid patientId, string key, CancellationToken ct) =>
        db.DataRequests.AsNoTracking().Include(r => r.History)
            .SingleOrDefaultAsync(r => r.PatientId == patientId && r.IdempotencyKey == key, ct);

    /// <summary>The same key with the same request answers as the first time; with another request it is refused.</summary>
    private static Results<Created<DataRequestResponse>, ValidationProblem, ProblemHttpResult> Repeated(
        DataRequest earlier, ValidDataRequest submitted)
    {
        var same = earlier.OrganizationId == submitted.OrganizationId
                   && earlier.OrganizationName == submitted.OrganizationName
                   && earlier.DataKind == submitted.DataKind
                   && earlier.PeriodFrom == submitted.PeriodFrom
                   && earlier.PeriodTo == submitted.PeriodTo
                   && earlier.Comment == submitted.Comment;
        if (!same)
        {
            return TypedResults.Problem(new HttpValidationProblemDetails(new Dictionary<string, string[]>
            {
                [IdempotencyKeyHeader] = ["Этот ключ идемпотентности уже использован для другого запроса."],
            })
            {
                Status = StatusCodes.Status422UnprocessableEntity,
                Title = "Запрос не принят",
                Detail = "Этот ключ идемпотентности уже использован для другого запроса. Для нового запроса нужен новый ключ.",
            });
        }

        return TypedResults.Created($"{Route}/{earlier.Id}", DataRequestResponse.From(earlier, withHistory: true));
    }
}
