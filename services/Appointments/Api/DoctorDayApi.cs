namespace Gosuslugi.Health.Appointments.Api;

// Placeholder: the endpoints arrive with their feature.
public static class DoctorDayApi
{
    public static RouteGroupBuilder MapDoctorDayApi(this IEndpointRouteBuilder app) => app.MapGroup("/api/v1/appointments/doctor");
}
