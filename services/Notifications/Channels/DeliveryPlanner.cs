using Gosuslugi.Health.Notifications.Data;
using Gosuslugi.Health.Notifications.Domain;
using Gosuslugi.Health.Notifications.Events;

namespace Gosuslugi.Health.Notifications.Channels;

public static class DeliveryPlanner
{
    /// <summary>
    /// Adds the <see cref="Delivery"/> rows for a new notification: to the patient and to everyone whose delegation lasts
    /// now, on the channels their preferences enable, after their quiet hours (security excepted).
    /// </summary>
    public static Task PlanDeliveriesAsync(this NotificationsDb db, Notification notification, NotificationText text,
        DateTimeOffset now, CancellationToken ct) => Task.CompletedTask;
}

public static class ChannelsExtensions
{
    /// <summary>The delivery dispatcher, the e-mail sender (SMTP), SMS and push providers.</summary>
    public static IHostApplicationBuilder AddNotificationChannels(this IHostApplicationBuilder builder) => builder;
}
