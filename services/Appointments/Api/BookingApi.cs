namespace Gosuslugi.Health.Appointments.Api;

// Placeholder: the endpoints arrive with their feature.
public static class BookingApi
{
    public static RouteGroupBuilder MapBookingApi(this IEndpointRouteBuilder app) => app.MapGroup("/api/v1/appointments");
}
