namespace Gosuslugi.Health.Appointments.Api;

// Placeholder: the endpoints arrive with their feature.
public static class SlotSearchApi
{
    public static RouteGroupBuilder MapSlotSearchApi(this IEndpointRouteBuilder app) => app.MapGroup("/api/v1/appointments");
}
