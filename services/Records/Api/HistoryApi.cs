namespace Gosuslugi.Health.Records.Api;

public static class HistoryApi
{
    public static RouteGroupBuilder MapHistoryApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/records").WithTags("History");
        return api;
    }
}
