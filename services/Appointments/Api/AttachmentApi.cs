namespace Gosuslugi.Health.Appointments.Api;

// Placeholder: the endpoints arrive with their feature.
public static class AttachmentApi
{
    public static RouteGroupBuilder MapAttachmentApi(this IEndpointRouteBuilder app) => app.MapGroup("/api/v1/appointments");
}
