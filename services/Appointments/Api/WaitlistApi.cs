namespace Gosuslugi.Health.Appointments.Api;

// Placeholder: the endpoints arrive with their feature.
public static class WaitlistApi
{
    public static RouteGroupBuilder MapWaitlistApi(this IEndpointRouteBuilder app) => app.MapGroup("/api/v1/appointments");
}
