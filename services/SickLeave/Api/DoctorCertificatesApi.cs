using System.Security.Claims;
using Gosuslugi.Health.Contracts.Audit;
using Gosuslugi.Health.Contracts.Identity;
using Gosuslugi.Health.ServiceDefaults;
using Gosuslugi.Health.ServiceDefaults.Audit;
using Gosuslugi.Health.ServiceDefaults.Auth;
using Gosuslugi.Health.ServiceDefaults.Care;
using Gosuslugi.Health.ServiceDefaults.Consents;
using Gosuslugi.Health.SickLeave.Certificates;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Gosuslugi.Health.SickLeave.Api;

/// <summary>
/// A doctor reads a patient's certificates while the patient is in their organization's care (attachment or appointment,
/// from Appointments' events, <see cref="CareRelationships"/>) and has not closed sick leave to that organization.
/// Outside care, a refused organization and a patient who does not exist look the same: 404, logged as refused.
/// </summary>
public static class DoctorCertificatesApi
{
    public const string CarePurpose = "оказание медицинской помощи";

    public static RouteGroupBuilder MapDoctorCertificatesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup(CertificatesApi.Route + "/patients/{patientId:guid}/certificates").WithTags("Sick leave (doctors)")
            .RequireAuthorization(Policies.Doctor);

        api.MapGet("/", ListPatientCertificates).WithName(nameof(ListPatientCertificates));
        api.MapGet("/{id:guid}", GetPatientCertificate).WithName(nameof(GetPatientCertificate));

        return api;
    }

    public static async Task<Results<Ok<CertificateListResponse>, ValidationProblem, ProblemHttpResult>> ListPatientCertificates(
        Guid patientId, string? from, string? to, string? number, ClaimsPrincipal user,
        [AsParameters] SickLeaveReadServices services, CancellationToken ct)
    {
        var filter = CertificateFilter.Parse(from, to, number, out var errors);
        if (filter is null) return Problems.Validation(errors);
        if (await RefusedAsync(services, user, patientId, null, ct) is { } refused) return refused;

        var items = await CertificateReads.ListAsync(services.Db, patientId, filter, ct);
        await services.Db.LogAccessAsync(services.Http, patientId, RecordSections.SickLeave, AccessActions.Read, CarePurpose, ct: ct);
        return TypedResults.Ok(new CertificateListResponse(items.Select(CertificateSummary.From).ToList()));
    }

    public static async Task<Results<Ok<CertificateResponse>, ProblemHttpResult>> GetPatientCertificate(
        Guid patientId, Guid id, ClaimsPrincipal user, [AsParameters] SickLeaveReadServices services, CancellationToken ct)
    {
        if (await RefusedAsync(services, user, patientId, id, ct) is { } refused) return refused;

        var read = await CertificateReads.OpenAsync(services.Db, services.Keys, c => c.Id == id && c.PatientId == patientId, ct);
        if (read is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Не найдено",
                detail: "Листок нетрудоспособности не найден.");
        }

        await services.Db.LogAccessAsync(services.Http, patientId, RecordSections.SickLeave, AccessActions.Read, CarePurpose, id, ct: ct);
        return TypedResults.Ok(CertificateResponse.From(read));
    }

    private static async Task<ProblemHttpResult?> RefusedAsync(SickLeaveReadServices services, ClaimsPrincipal user,
        Guid patientId, Guid? itemId, CancellationToken ct)
    {
        var open = user.GetOrganizationId() is { } organizationId
                   && await services.Db.IsInCareAsync(patientId, organizationId, services.Time.GetUtcNow(), ct)
                   && !await services.Db.IsRestrictedAsync(patientId, organizationId, RecordSections.SickLeave, ct);
        if (open) return null;

        await services.Db.LogAccessAsync(services.Http, patientId, RecordSections.SickLeave, AccessActions.Read, CarePurpose,
            itemId, AccessOutcomes.Refused, ct);
        return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Не найдено",
            detail: "Листки нетрудоспособности недоступны: пациент не прикреплён к вашей организации и не записан к ней " +
                    "на приём, либо такого пациента нет.");
    }
}
