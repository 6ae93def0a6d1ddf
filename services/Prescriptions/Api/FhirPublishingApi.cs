using System.Security.Claims;
using Gosuslugi.Health.Fhir;
using Gosuslugi.Health.Prescriptions.Publishing;
using Gosuslugi.Health.ServiceDefaults;
using Gosuslugi.Health.ServiceDefaults.Auth;
using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Gosuslugi.Health.Prescriptions.Api;

/// <summary>
/// Medical organizations publish e-prescriptions as FHIR R4 MedicationRequest (profile: README, «Электронные рецепты») at
/// POST /fhir/R4/MedicationRequest; the gateway routes that address here and the rest of /fhir/R4 to Records.
/// </summary>
public static class FhirPublishingApi
{
    public const string FhirBase = "/fhir/R4";
    public const string MedicationRequestRoute = FhirBase + "/MedicationRequest";

    public const long MaxBodyBytes = 256 * 1024;

    public static RouteGroupBuilder MapFhirPublishingApi(this IEndpointRouteBuilder app)
    {
        var fhir = app.MapGroup(FhirBase).WithTags("FHIR R4 (prescriptions)");
        fhir.MapPost("/MedicationRequest", PublishMedicationRequest)
            .RequireAuthorization(Policies.MedicalOrganization)
            .AcceptsFhir()
            .WithName(nameof(PublishMedicationRequest));
        return fhir;
    }

    public static async Task<Results<Created<PublishedPrescriptionResponse>, Ok<PublishedPrescriptionResponse>, FhirResult, ForbidHttpResult>>
        PublishMedicationRequest(HttpContext http, ClaimsPrincipal user, [AsParameters] PrescriptionsServices services, CancellationToken ct)
    {
        var organizationId = user.GetOrganizationId();
        var organizationName = user.GetOrganizationName()?.Trim();
        if (organizationId is null || string.IsNullOrEmpty(organizationName))
        {
            // The name is shown to the patient; a client registered without one cannot publish.
            return TypedResults.Forbid();
        }
        var read = await FhirBody.ReadAsync<MedicationRequest>(http.Request, MaxBodyBytes, ct);
        if (read.Refusal is { } refusal) return refusal;

        var outcome = await PrescriptionPublishing.PublishAsync(services.Db, services.Keys, http,
            new Publisher(organizationId.Value, organizationName), read.Resource!, read.Issues, services.Time.GetUtcNow(), ct);
        switch (outcome)
        {
            case PublishOutcome.Refused(var status, var issues):
                return FhirOutcomes.Refused(status, issues.All);
            case PublishOutcome.Created(var created):
                services.Logger.LogInformation("Prescription {PrescriptionId} published by organization {OrganizationId}",
                    created.Id, organizationId);
                http.Response.Headers.ETag = $"W/\"{created.Version}\"";
                return TypedResults.Created($"{PatientPrescriptionsApi.Route}/{created.Id}", PublishedPrescriptionResponse.From(created));
            case PublishOutcome.Stored(var stored, var changed):
                if (changed)
                {
                    services.Logger.LogInformation("Prescription {PrescriptionId} changed by organization {OrganizationId} (version {Version})",
                        stored.Id, organizationId, stored.Version);
                }
                http.Response.Headers.ETag = $"W/\"{stored.Version}\"";
                return TypedResults.Ok(PublishedPrescriptionResponse.From(stored));
            default:
                throw new InvalidOperationException($"Unexpected outcome {outcome}.");
        }
    }
}
