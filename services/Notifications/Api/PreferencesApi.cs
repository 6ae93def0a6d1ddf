namespace Gosuslugi.Health.Notifications.Api;

// Placeholder: the endpoints arrive with their feature.
public static class PreferencesApi
{
    public static RouteGroupBuilder MapPreferencesApi(this IEndpointRouteBuilder app) => app.MapGroup(NotificationsApi.Route);
}
