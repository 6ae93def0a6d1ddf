using Gosuslugi.Health.Notifications.Channels;
using Gosuslugi.Health.Notifications.Data;
using Gosuslugi.Health.Notifications.Domain;
using Gosuslugi.Health.Notifications.Live;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Notifications.Events;

public static class FeedNotifications
{
    /// <summary>
    /// Adds a feed message unless the same fact (category and source id) was already notified: the inbox drops a
    /// redelivered message, this also covers the same fact published again under a new message id. With it go the
    /// SMS, e-mail and push deliveries the recipients' preferences ask for, and the announcement to open live feeds;
    /// all of it commits with the caller's SaveChanges.
    /// </summary>
    /// <returns>False when the fact was already notified.</returns>
    public static async Task<bool> AddOnceAsync(this NotificationsDb db, Guid patientId, string category,
        NotificationText text, string? link, Guid sourceId, DateTimeOffset now, CancellationToken ct)
    {
        if (await db.Notifications.AnyAsync(n => n.Category == category && n.SourceId == sourceId, ct))
        {
            return false;
        }

        var notification = new Notification(patientId, category, text.Title, text.Body, link, sourceId, now);
        db.Notifications.Add(notification);
        await db.PlanDeliveriesAsync(notification, text, now, ct);
        await db.AnnounceLiveAsync(notification, ct);
        return true;
    }
}
