namespace Gosuslugi.Health.Appointments.Api;

// Placeholder: the endpoints arrive with their feature.
public static class OrganizationAppointmentsApi
{
    public static RouteGroupBuilder MapOrganizationAppointmentsApi(this IEndpointRouteBuilder app) => app.MapGroup("/api/v1/appointments/org/appointments");
}
