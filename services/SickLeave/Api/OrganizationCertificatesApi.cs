using System.Security.Claims;
using Gosuslugi.Health.Contracts.Audit;
using Gosuslugi.Health.Contracts.Identity;
using Gosuslugi.Health.ServiceDefaults;
using Gosuslugi.Health.ServiceDefaults.Audit;
using Gosuslugi.Health.ServiceDefaults.Auth;
using Gosuslugi.Health.ServiceDefaults.Encryption;
using Gosuslugi.Health.SickLeave.Certificates;
using Gosuslugi.Health.SickLeave.Data;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Gosuslugi.Health.SickLeave.Api;

/// <summary>
/// Medical organizations' systems (client credentials, role medical_organization, scope health.publish, org_id) publish
/// certificates and read back their own. Another organization's certificate answers like a missing one.
/// </summary>
public static class OrganizationCertificatesApi
{
    public const string Route = CertificatesApi.Route + "/organization/certificates";

    private const string PublishPurpose = "оформление листка нетрудоспособности";
    private const string ReadPurpose = "проверка опубликованного листка нетрудоспособности";

    public static RouteGroupBuilder MapOrganizationCertificatesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup(Route).WithTags("Sick leave (organizations)").RequireAuthorization(Policies.MedicalOrganization);

        api.MapPost("/", PublishCertificate).Accepts<PublishCertificateRequest>("application/json").WithName(nameof(PublishCertificate));
        api.MapGet("/{id:guid}", GetOrganizationCertificate).WithName(nameof(GetOrganizationCertificate));

        return api;
    }

    public static async Task<Results<Created<CertificateResponse>, Ok<CertificateResponse>, ValidationProblem, ProblemHttpResult, ForbidHttpResult>>
        PublishCertificate(HttpContext http, Json<PublishCertificateRequest> body, ClaimsPrincipal user,
            CertificatePublishing publishing, TimeProvider time, CancellationToken ct)
    {
        var organizationName = user.GetOrganizationName();
        if (string.IsNullOrWhiteSpace(organizationName))
        {
            // The name is printed on the certificate; a client registered without one cannot publish.
            return TypedResults.Forbid();
        }

        var errors = CertificateValidator.Validate(body.Value, MoscowTime.DateOf(time.GetUtcNow()), out var valid);
        if (valid is null) return Problems.Validation(errors);

        var organizationId = user.GetOrganizationId()!.Value;
        var publisher = new Publisher(organizationId, organizationName.Trim(), user.GetClientId() ?? organizationId.ToString());
        var outcome = await publishing.PublishAsync(valid, publisher, (certificate, created) =>
            publishing.Db.AddAccessEvent(http, certificate.PatientId, RecordSections.SickLeave,
                created ? AccessActions.Create : AccessActions.Change, PublishPurpose, certificate.Id), ct);

        return outcome.Result switch
        {
            PublishResult.Created => TypedResults.Created($"{Route}/{outcome.Certificate!.Id}",
                CertificateResponse.From(outcome.Certificate, outcome.Content!)),
            PublishResult.Changed or PublishResult.Repeated => TypedResults.Ok(CertificateResponse.From(outcome.Certificate!, outcome.Content!)),
            PublishResult.Unprocessable => TypedResults.Problem(new HttpValidationProblemDetails(
                new Dictionary<string, string[]> { [outcome.Field!] = [outcome.Message!] })
            {
                Status = StatusCodes.Status422UnprocessableEntity,
                Title = "Данные не приняты",
                Detail = outcome.Message,
            }),
            _ => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Изменение не принято",
                detail: outcome.Message,
                extensions: outcome.Certificate is { } own
                    ? new Dictionary<string, object?> { ["currentStatus"] = own.Status, ["currentVersion"] = own.Version }
                    : null),
        };
    }

    public static async Task<Results<Ok<CertificateResponse>, NotFound>> GetOrganizationCertificate(Guid id, HttpContext http,
        ClaimsPrincipal user, SickLeaveDb db, PatientDataKeys<SickLeaveDb> keys, CancellationToken ct)
    {
        var organizationId = user.GetOrganizationId()!.Value;
        var read = await CertificateReads.OpenAsync(db, keys, c => c.Id == id && c.OrganizationId == organizationId, ct);
        if (read is null) return TypedResults.NotFound();

        await db.LogAccessAsync(http, read.Certificate.PatientId, RecordSections.SickLeave, AccessActions.Read, ReadPurpose, id, ct: ct);
        return TypedResults.Ok(CertificateResponse.From(read));
    }
}
