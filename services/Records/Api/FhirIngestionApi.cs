namespace Gosuslugi.Health.Records.Api;

public static class FhirIngestionApi
{
    public static RouteGroupBuilder MapFhirIngestionApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/records").WithTags("Ingestion");
        return api;
    }
}
