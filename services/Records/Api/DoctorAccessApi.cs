namespace Gosuslugi.Health.Records.Api;

public static class DoctorAccessApi
{
    public static RouteGroupBuilder MapDoctorAccessApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/records").WithTags("Doctors");
        return api;
    }
}
