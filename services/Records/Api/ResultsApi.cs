namespace Gosuslugi.Health.Records.Api;

public static class ResultsApi
{
    public static RouteGroupBuilder MapResultsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/records").WithTags("Results");
        return api;
    }
}
