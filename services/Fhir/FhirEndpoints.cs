using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Gosuslugi.Health.Fhir;

public static class FhirEndpoints
{
    /// <summary>
    /// A route that takes a FHIR JSON body (application/fhir+json, or application/json), read by <see cref="FhirBody"/>
    /// rather than bound; the text guard's probe and the OpenAPI document learn the media types from it.
    /// </summary>
    public static RouteHandlerBuilder AcceptsFhir(this RouteHandlerBuilder route) =>
        route.Accepts<JsonElement>(FhirOutcomes.MediaType, "application/json");
}
