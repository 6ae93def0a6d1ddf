namespace Gosuslugi.Health.Appointments.Api;

// Placeholder: the endpoints arrive with their feature.
public static class OrganizationReferenceApi
{
    public static RouteGroupBuilder MapOrganizationReferenceApi(this IEndpointRouteBuilder app) => app.MapGroup("/api/v1/appointments/org");
}
