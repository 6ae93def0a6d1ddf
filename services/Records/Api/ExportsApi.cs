namespace Gosuslugi.Health.Records.Api;

public static class ExportsApi
{
    public static RouteGroupBuilder MapExportsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/records").WithTags("Exports");
        return api;
    }
}
