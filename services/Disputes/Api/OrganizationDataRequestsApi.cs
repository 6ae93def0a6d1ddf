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

namespace Gosuslugi.Health.Disputes.Api;

/// <summary>A medical organization's inbox of data requests addressed to it, and its answers.</summary>
public static class OrganizationDataRequestsApi
{
    public const string Route = "/api/v1/disputes/organization/data-requests";
    public const int DefaultLimit = 100;
    public const int MaxLimit = 500;

    private const string ReadPurpose = "рассмотрение запроса пациента о недостающих данных";
    private const string AnswerPurpose = "ответ на запрос пациента о недостающих данных";

    public static RouteGroupBuilder MapOrganizationDataRequestsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup(Route).WithTags("Data requests (organizations)")
            .RequireAuthorization(Policies.MedicalOrganization);

        api.MapGet("/", ListOrganizationDataRequests).WithName(nameof(ListOrganizationDataRequests));
        api.MapPost("/{id:guid}/status", ChangeDataRequestStatus)
            .Accepts<ChangeDataRequestStatus>("application/json")
            .WithName(nameof(ChangeDataRequestStatus));

        return api;
    }

    /// <summary>Oldest first: the organization works through its requests in the order they are due.</summary>
    public static async Task<Results<Ok<OrganizationDataRequestListResponse>, ValidationProblem>> ListOrganizationDataRequests(
        string? status, int? limit, HttpContext http, ClaimsPrincipal user, DisputesDb db, CancellationToken ct)
    {
        var errors = DataRequestValidator.ValidateStatusFilter(status);
        var take = limit ?? DefaultLimit;
        if (take is < 1 or > MaxLimit)
        {
            errors["limit"] = [$"Размер страницы должен быть от 1 до {MaxLimit}."];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        // The policy guarantees org_id; only requests addressed to this organization are ever visible to it.
        var organizationId = user.GetOrganizationId()!.Value;
        var query = db.DataRequests.AsNoTracking().Where(r => r.OrganizationId == organizationId);
        if (status is not null)
        {
            query = query.Where(r => r.Status == status);
        }

        var items = await query.OrderBy(r => r.SubmittedAt).ThenBy(r => r.Id).Take(take).ToListAsync(ct);
        if (items.Count > 0)
        {
            foreach (var item in items)
            {
                db.AddAccessEvent(http, item.PatientId, DataRequestsApi.AccessSection, AccessActions.Read, ReadPurpose, item.Id);
            }
            await db.SaveChangesAsync(ct);
        }

        return TypedResults.Ok(new OrganizationDataRequestListResponse(items.Select(OrganizationDataRequestResponse.From).ToList()));
    }

    public static async Task<Results<Ok<OrganizationDataRequestResponse>, NotFound, ValidationProblem, ProblemHttpResult>>
        ChangeDataRequestStatus(Guid id, HttpContext http, Json<ChangeDataRequestStatus> body, ClaimsPrincipal user, [AsParameters] DisputesServices services,
            CancellationToken ct)
    {
        var organizationId = user.GetOrganizationId()!.Value;
        // Another organization's request answers exactly like a missing one.
        var dataRequest = await services.Db.DataRequests
            .SingleOrDefaultAsync(r => r.Id == id && r.OrganizationId == organizationId, ct);
        if (dataRequest is null)
        {
            return TypedResults.NotFound();
        }

        var request = body.Value;

        var errors = DataRequestValidator.Validate(request, out var valid);
        if (valid is null)
        {
            return Problems.Validation(errors);
        }

        var now = services.Time.GetUtcNow();
        var by = user.GetClientId() ?? user.FindFirst(HealthClaims.Subject)?.Value ?? organizationId.ToString();
        if (by.Length > DataRequestRules.ByLength) by = by[..DataRequestRules.ByLength];
        if (!dataRequest.ChangeStatus(valid.Status, valid.Answer, by, now))
        {
            return Conflict(dataRequest);
        }

        services.Db.AddOutboxEvent(new DataRequestStatusChanged(dataRequest.Id, dataRequest.PatientId,
            dataRequest.OrganizationId, dataRequest.OrganizationName, dataRequest.Status, valid.Answer, now));
        services.Db.AddAccessEvent(http, dataRequest.PatientId, DataRequestsApi.AccessSection, AccessActions.Change,
            AnswerPurpose, dataRequest.Id);

        try
        {
            await services.Db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Another answer (or the overdue sweep) changed the request meanwhile; the caller sees the new state.
            services.Db.ChangeTracker.Clear();
            var current = await services.Db.DataRequests.AsNoTracking().SingleAsync(r => r.Id == id, ct);
            return Conflict(current);
        }

        services.Logger.LogInformation("Data request {RequestId} moved to {Status} by organization {OrganizationId}",
            dataRequest.Id, dataRequest.Status, organizationId);
        return TypedResults.Ok(OrganizationDataRequestResponse.From(dataRequest));
    }

    private static ProblemHttpResult Conflict(DataRequest dataRequest) =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status409Conflict,
            title: "Статус не изменён",
            detail: dataRequest.IsFinal
                ? "Запрос уже закрыт (дан ответ или отказ) и больше не изменяется."
                : $"Запрос уже в статусе «{DataRequestRules.StatusTitle(dataRequest.Status)}».",
            extensions: new Dictionary<string, object?> { ["currentStatus"] = dataRequest.Status });
}
