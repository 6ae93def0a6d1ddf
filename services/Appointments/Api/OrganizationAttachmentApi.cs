namespace Gosuslugi.Health.Appointments.Api;

// Placeholder: the endpoints arrive with their feature.
public static class OrganizationAttachmentApi
{
    public static RouteGroupBuilder MapOrganizationAttachmentApi(this IEndpointRouteBuilder app) => app.MapGroup("/api/v1/appointments/org");
}
