using System.Security.Claims;
using Gosuslugi.Health.Contracts.Audit;
using Gosuslugi.Health.Contracts.Identity;
using Gosuslugi.Health.Immunizations.Data;
using Gosuslugi.Health.Immunizations.Domain;
using Gosuslugi.Health.Immunizations.Plans;
using Gosuslugi.Health.ServiceDefaults;
using Gosuslugi.Health.ServiceDefaults.Audit;
using Gosuslugi.Health.ServiceDefaults.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Gosuslugi.Health.Immunizations.Api;

/// <summary>
/// The patient's vaccination plan: organizations publish and cancel its items by their own ids, the patient reads
/// what is still to be done. Reminders are <see cref="VaccinationDueReminders"/>'s.
/// </summary>
public static class VaccinationPlansApi
{
    public const string OrganizationRoute = ImmunizationsApi.Route + "/org/plans";

    public const string PublishPurpose = "внесение плана вакцинации";
    public const string CancelPurpose = "отмена пункта плана вакцинации";

    public const string PatientNotFoundReason = "patient_not_found";
    public const string OtherPatientReason = "other_patient";
    public const string AlreadyDoneReason = "already_done";

    internal static readonly Dictionary<string, string> FormatMessages = new()
    {
        ["dueOn"] = "Планируемая дата указывается в формате ГГГГ-ММ-ДД.",
    };

    public static RouteGroupBuilder MapVaccinationPlansApi(this IEndpointRouteBuilder app)
    {
        var organization = app.MapGroup(OrganizationRoute).WithTags("Vaccination plans (organizations)")
            .RequireAuthorization(Policies.MedicalOrganization);
        organization.MapPut("/{externalId}", PublishVaccinationPlan)
            .Accepts<PublishVaccinationPlanRequest>("application/json")
            .WithName(nameof(PublishVaccinationPlan));
        organization.MapDelete("/{externalId}", CancelVaccinationPlan)
            .WithName(nameof(CancelVaccinationPlan));

        // The person's own plan, or a represented person's through a delegation (the token's sub is theirs then).
        app.MapGet(ImmunizationsApi.Route + "/plan", ListMyVaccinationPlan)
            .RequireAuthorization(Policies.MedicalData)
            .WithTags("Immunizations")
            .WithName(nameof(ListMyVaccinationPlan));

        return organization;
    }

    public static async Task<Results<Created<VaccinationPlanItemResponse>, Ok<VaccinationPlanItemResponse>, ValidationProblem, ProblemHttpResult, ForbidHttpResult>>
        PublishVaccinationPlan(string externalId, HttpContext http, HttpRequest httpRequest, Json<PublishVaccinationPlanRequest> body, ClaimsPrincipal user,
            [AsParameters] ImmunizationsServices services, CancellationToken ct)
    {
        var organizationId = user.GetOrganizationId();
        var organizationName = user.GetOrganizationName()?.Trim();
        if (organizationId is null || string.IsNullOrWhiteSpace(organizationName))
        {
            // The name is shown to the patient; a client registered without one cannot publish.
            return TypedResults.Forbid();
        }

        var request = body.Value;

        var now = services.Time.GetUtcNow();
        var errors = VaccinationPlanValidator.Validate(externalId, request,
            RecordImmunizationValidator.LatestAllowedDate(now), out var valid);
        if (valid is null)
        {
            return Problems.Validation(errors);
        }

        var patient = await services.Db.KnownPatients.AsNoTracking()
            .SingleOrDefaultAsync(p => p.Snils == valid.Snils, ct);
        if (patient is null)
        {
            return Unprocessable("snils", "Пациент с таким СНИЛС не зарегистрирован в сервисе.", PatientNotFoundReason);
        }

        // Two attempts: a concurrent first publication of the same item makes the insert fail, and the retry then
        // finds and treats it as a resend.
        for (var attempt = 1; ; attempt++)
        {
            await using var transaction = await services.Db.Database.BeginTransactionAsync(ct);
            // Locked, so that the reminder sweep does not announce the old due date while it is being moved.
            var existing = await services.Db.VaccinationPlans
                .FromSql($"""
                    SELECT * FROM vaccination_plans
                    WHERE organization_id = {organizationId.Value} AND external_id = {valid.ExternalId}
                    FOR UPDATE
                    """)
                .AsTracking()
                .SingleOrDefaultAsync(ct);

            if (existing is not null)
            {
                if (existing.PatientId != patient.PatientId)
                {
                    return Conflict("Пункт плана с этим идентификатором относится к другому пациенту.",
                        OtherPatientReason);
                }

                if (existing.HasSameContent(patient.PatientId, valid.Disease, valid.VaccineName, valid.Stage, valid.DueOn)
                    && existing.CancelledAt is null)
                {
                    // A resend: nothing changes, nothing is logged.
                    return TypedResults.Ok(VaccinationPlanItemResponse.From(existing));
                }

                if (existing.DoneAt is not null)
                {
                    return Conflict("Вакцинация по этому пункту плана уже проведена; его нельзя изменить.",
                        AlreadyDoneReason);
                }

                existing.Update(organizationName, valid.Disease, valid.VaccineName, valid.Stage, valid.DueOn, now);
                await PlanFulfilment.MarkIfAlreadyDoneAsync(services.Db, existing, now, ct);
                services.Db.AddAccessEvent(http, existing.PatientId, RecordSections.Immunizations, AccessActions.Change,
                    PublishPurpose, existing.Id);
                await services.Db.SaveChangesAsync(ct);
                await transaction.CommitAsync(ct);
                services.Logger.LogInformation("Vaccination plan item {PlanId} changed by organization {OrganizationId}",
                    existing.Id, organizationId);
                return TypedResults.Ok(VaccinationPlanItemResponse.From(existing));
            }

            var plan = new VaccinationPlan(patient.PatientId, organizationId.Value, organizationName, valid.ExternalId,
                valid.Disease, valid.VaccineName, valid.Stage, valid.DueOn, now);
            services.Db.VaccinationPlans.Add(plan);
            await PlanFulfilment.MarkIfAlreadyDoneAsync(services.Db, plan, now, ct);
            services.Db.AddAccessEvent(http, plan.PatientId, RecordSections.Immunizations, AccessActions.Create,
                PublishPurpose, plan.Id);
            try
            {
                await services.Db.SaveChangesAsync(ct);
                await transaction.CommitAsync(ct);
            }
            catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation }
                                              && attempt == 1)
            {
                await transaction.RollbackAsync(ct);
                services.Db.ChangeTracker.Clear();
                continue;
            }

            services.Logger.LogInformation("Vaccination plan item {PlanId} published by organization {OrganizationId}",
                plan.Id, organizationId);
            return TypedResults.Created($"{OrganizationRoute}/{Uri.EscapeDataString(plan.ExternalId)}",
                VaccinationPlanItemResponse.From(plan));
        }
    }

    /// <summary>The item stays (the plan's history is the patient's); it no longer shows or reminds.</summary>
    public static async Task<Results<NoContent, NotFound, ValidationProblem, ProblemHttpResult>> CancelVaccinationPlan(
        string externalId, HttpContext http, ClaimsPrincipal user, [AsParameters] ImmunizationsServices services,
        CancellationToken ct)
    {
        var organizationId = user.GetOrganizationId()!.Value;
        var errors = new Dictionary<string, string[]>();
        var id = VaccinationPlanValidator.ValidateExternalId(externalId, errors);
        if (id is null || errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        await using var transaction = await services.Db.Database.BeginTransactionAsync(ct);
        // Locked, so that a reminder for a cancelled item cannot be committed after the cancellation.
        var plan = await services.Db.VaccinationPlans
            .FromSql($"""
                SELECT * FROM vaccination_plans
                WHERE organization_id = {organizationId} AND external_id = {id}
                FOR UPDATE
                """)
            .AsTracking()
            .SingleOrDefaultAsync(ct);
        // Another organization's item answers exactly like a missing one.
        if (plan is null)
        {
            return TypedResults.NotFound();
        }

        if (plan.DoneAt is not null)
        {
            return Conflict("Вакцинация по этому пункту плана уже проведена; его нельзя отменить.", AlreadyDoneReason);
        }

        if (!plan.Cancel(services.Time.GetUtcNow()))
        {
            return TypedResults.NoContent();
        }

        services.Db.AddAccessEvent(http, plan.PatientId, RecordSections.Immunizations, AccessActions.Change,
            CancelPurpose, plan.Id);
        await services.Db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        services.Logger.LogInformation("Vaccination plan item {PlanId} cancelled by organization {OrganizationId}",
            plan.Id, organizationId);
        return TypedResults.NoContent();
    }

    /// <summary>What is still to be done (overdue items included), soonest first.</summary>
    public static async Task<Results<Ok<PlannedVaccinationListResponse>, ProblemHttpResult>> ListMyVaccinationPlan(
        HttpContext http, ClaimsPrincipal user, ImmunizationsDb db, CancellationToken ct)
    {
        var patientId = user.GetSubjectId();
        if (!user.CanReadSection(RecordSections.Immunizations))
        {
            await db.LogAccessAsync(http, patientId, RecordSections.Immunizations, AccessActions.Read,
                ImmunizationsApi.ReadPurpose, outcome: AccessOutcomes.Refused, ct: ct);
            return AccessProblems.SectionNotDelegated();
        }

        var items = await db.VaccinationPlans.AsNoTracking()
            .Where(p => p.PatientId == patientId && p.DoneAt == null && p.CancelledAt == null)
            .OrderBy(p => p.DueOn)
            .ThenBy(p => p.Id)
            .ToListAsync(ct);
        await db.LogAccessAsync(http, patientId, RecordSections.Immunizations, AccessActions.Read,
            ImmunizationsApi.ReadPurpose, ct: ct);
        return TypedResults.Ok(new PlannedVaccinationListResponse(items.Select(PlannedVaccinationResponse.From).ToList()));
    }

    private static ProblemHttpResult Unprocessable(string field, string message, string reason) =>
        TypedResults.Problem(new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [message] })
        {
            Status = StatusCodes.Status422UnprocessableEntity,
            Title = "Данные не приняты",
            Detail = message,
            Extensions = { ["reason"] = reason },
        });

    private static ProblemHttpResult Conflict(string message, string reason) =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status409Conflict,
            title: "Конфликт данных",
            detail: message,
            extensions: new Dictionary<string, object?> { ["reason"] = reason });
}
