namespace Gosuslugi.Health.Notifications.Api;

// Placeholder: the endpoints arrive with their feature.
public static class LiveFeedApi
{
    public static RouteGroupBuilder MapLiveFeedApi(this IEndpointRouteBuilder app) => app.MapGroup(NotificationsApi.Route);
}
