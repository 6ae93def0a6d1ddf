using System.Security.Claims;
using Gosuslugi.Health.Contracts.Audit;
using Gosuslugi.Health.Contracts.Identity;
using Gosuslugi.Health.Contracts.Immunizations;
using Gosuslugi.Health.Immunizations.Data;
using Gosuslugi.Health.Immunizations.Domain;
using Gosuslugi.Health.Immunizations.Plans;
using Gosuslugi.Health.ServiceDefaults;
using Gosuslugi.Health.ServiceDefaults.Audit;
using Gosuslugi.Health.ServiceDefaults.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Gosuslugi.Health.Immunizations.Api;

public sealed record ImmunizationsServices(ImmunizationsDb Db, TimeProvider Time, ILogger<ImmunizationsServices> Logger);

public static class ImmunizationsApi
{
    public const string Route = "/api/v1/immunizations";

    // Purposes of the access events (Audit shows them to the patient) when the caller declares none.
    public const string ReadPurpose = "просмотр прививок";
    public const string CreatePurpose = "внесение сведений о вакцинации";

    internal static readonly Dictionary<string, string> FormatMessages = new()
    {
        ["administeredOn"] = "Дата вакцинации указывается в формате ГГГГ-ММ-ДД.",
        ["doseNumber"] = "Номер дозы указывается целым числом.",
        ["vaccine"] = "Вакцина указывается объектом с полями code и name.",
    };

    public static RouteGroupBuilder MapImmunizationsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup(Route).WithTags("Immunizations");

        api.MapPost("/", RecordImmunization)
            .RequireAuthorization(Policies.MedicalOrganization)
            .Accepts<RecordImmunizationRequest>("application/json")
            .WithName(nameof(RecordImmunization));
        // The person's own record, or a represented person's through a delegation (the token's sub is theirs then).
        api.MapGet("/", ListMyImmunizations)
            .RequireAuthorization(Policies.MedicalData)
            .WithName(nameof(ListMyImmunizations));
        api.MapGet("/{id:guid}", GetMyImmunization)
            .RequireAuthorization(Policies.MedicalData)
            .WithName(nameof(GetMyImmunization));

        return api;
    }

    public static async Task<Results<Created<ImmunizationResponse>, Ok<ImmunizationResponse>, ValidationProblem, ProblemHttpResult, ForbidHttpResult>>
        RecordImmunization(HttpContext http, HttpRequest httpRequest, Json<RecordImmunizationRequest> body, ClaimsPrincipal user,
            [AsParameters] ImmunizationsServices services, CancellationToken ct)
    {
        var organizationId = user.GetOrganizationId();
        var organizationName = user.GetOrganizationName();
        if (organizationId is null || string.IsNullOrWhiteSpace(organizationName))
        {
            // The name is shown to the patient; a client registered without one cannot publish.
            return TypedResults.Forbid();
        }

        var request = body.Value;

        var now = services.Time.GetUtcNow();
        var errors = RecordImmunizationValidator.Validate(
            request, RecordImmunizationValidator.LatestAllowedDate(now), out var valid);
        if (valid is null)
        {
            return Problems.Validation(errors);
        }

        var patient = await services.Db.KnownPatients.AsNoTracking()
            .SingleOrDefaultAsync(p => p.Snils == valid.Snils, ct);
        if (patient is null)
        {
            return Unprocessable("snils", "Пациент с таким СНИЛС не зарегистрирован в сервисе.");
        }

        if (valid.AdministeredOn < patient.BirthDate)
        {
            return Unprocessable("administeredOn", "Дата вакцинации не может быть раньше даты рождения пациента.");
        }

        var immunization = new Immunization(
            patient.PatientId, organizationId.Value, organizationName.Trim(), valid.ExternalId,
            valid.VaccineCode, valid.VaccineName, valid.Disease, valid.DoseNumber, valid.Stage, valid.LotNumber,
            valid.AdministeredOn, valid.Route, valid.Site, valid.PerformerName, now);

        if (valid.ExternalId is not null
            && await FindByExternalId(services.Db, organizationId.Value, valid.ExternalId, ct) is { } existing)
        {
            return Repeated(existing, immunization);
        }

        services.Db.Immunizations.Add(immunization);
        services.Db.AddOutboxEvent(new ImmunizationRecorded(
            immunization.Id, immunization.PatientId, immunization.OrganizationId, immunization.OrganizationName,
            immunization.VaccineCode, immunization.VaccineName, immunization.Disease, immunization.DoseNumber,
            immunization.AdministeredOn, immunization.RecordedAt));
        // The organization wrote into the patient's record: Audit learns it with the same commit.
        services.Db.AddAccessEvent(http, immunization.PatientId, RecordSections.Immunizations, AccessActions.Create,
            CreatePurpose, immunization.Id);
        // The plan item this vaccination fulfils is done in the same commit, so its reminder can no longer go out.
        await PlanFulfilment.MarkFulfilledByAsync(services.Db, immunization, now, ct);

        try
        {
            await services.Db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation }
                                          && valid.ExternalId is not null)
        {
            // A concurrent retry of the same submission won the race; answer as for any repeat.
            services.Db.ChangeTracker.Clear();
            existing = await FindByExternalId(services.Db, organizationId.Value, valid.ExternalId, ct);
            if (existing is null)
            {
                throw;
            }

            return Repeated(existing, immunization);
        }

        services.Logger.LogInformation(
            "Immunization {ImmunizationId} recorded by organization {OrganizationId}",
            immunization.Id, immunization.OrganizationId);
        return TypedResults.Created($"{Route}/{immunization.Id}", ImmunizationResponse.From(immunization));
    }

    public static async Task<Results<Ok<ImmunizationListResponse>, ProblemHttpResult>> ListMyImmunizations(
        HttpContext http, ClaimsPrincipal user, ImmunizationsDb db, CancellationToken ct)
    {
        var patientId = user.GetSubjectId();
        if (!user.CanReadSection(RecordSections.Immunizations))
        {
            await db.LogAccessAsync(http, patientId, RecordSections.Immunizations, AccessActions.Read, ReadPurpose,
                outcome: AccessOutcomes.Refused, ct: ct);
            return AccessProblems.SectionNotDelegated();
        }

        var items = await db.Immunizations.AsNoTracking()
            .Where(i => i.PatientId == patientId)
            .OrderByDescending(i => i.AdministeredOn)
            .ThenByDescending(i => i.RecordedAt)
            .ThenByDescending(i => i.Id)
            .ToListAsync(ct);
        await db.LogAccessAsync(http, patientId, RecordSections.Immunizations, AccessActions.Read, ReadPurpose, ct: ct);
        return TypedResults.Ok(new ImmunizationListResponse(items.Select(ImmunizationResponse.From).ToList()));
    }

    public static async Task<Results<Ok<ImmunizationResponse>, NotFound, ProblemHttpResult>> GetMyImmunization(
        Guid id, HttpContext http, ClaimsPrincipal user, ImmunizationsDb db, CancellationToken ct)
    {
        var patientId = user.GetSubjectId();
        if (!user.CanReadSection(RecordSections.Immunizations))
        {
            await db.LogAccessAsync(http, patientId, RecordSections.Immunizations, AccessActions.Read, ReadPurpose, id,
                AccessOutcomes.Refused, ct);
            return AccessProblems.SectionNotDelegated();
        }

        // Someone else's record answers exactly like a missing one, so ids reveal nothing (and nothing was read).
        var immunization = await db.Immunizations.AsNoTracking()
            .SingleOrDefaultAsync(i => i.Id == id && i.PatientId == patientId, ct);
        if (immunization is null)
        {
            return TypedResults.NotFound();
        }

        await db.LogAccessAsync(http, patientId, RecordSections.Immunizations, AccessActions.Read, ReadPurpose, id, ct: ct);
        return TypedResults.Ok(ImmunizationResponse.From(immunization));
    }

    private static Task<Immunization?> FindByExternalId(ImmunizationsDb db, Guid organizationId, string externalId,
        CancellationToken ct) =>
        db.Immunizations.AsNoTracking()
            .SingleOrDefaultAsync(i => i.OrganizationId == organizationId && i.ExternalId == externalId, ct);

    private static Results<Created<ImmunizationResponse>, Ok<ImmunizationResponse>, ValidationProblem, ProblemHttpResult, ForbidHttpResult>
        Repeated(Immunization existing, Immunization submitted)
    {
        if (!existing.IsSameAs(submitted))
        {
            return TypedResults.Problem(new HttpValidationProblemDetails(new Dictionary<string, string[]>
            {
                ["externalId"] = ["Запись с этим идентификатором уже внесена с другими данными."],
            })
            {
                Status = StatusCodes.Status409Conflict,
                Title = "Конфликт данных",
                Detail = "Запись с этим идентификатором уже внесена с другими данными.",
            });
        }

        return TypedResults.Ok(ImmunizationResponse.From(existing));
    }

    private static ProblemHttpResult Unprocessable(string field, string message) =>
        TypedResults.Problem(new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [message] })
        {
            Status = StatusCodes.Status422UnprocessableEntity,
            Title = "Данные не приняты",
            Detail = message,
        });
}
