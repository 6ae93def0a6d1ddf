using Gosuslugi.Health.Notifications.Data;
using Gosuslugi.Health.Notifications.Domain;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Notifications.Events;

public static class FeedNotifications
{
    /// <summary>
    /// Adds a feed message unless the same fact (category and source id) was already notified: the inbox drops a
    /// redelivered message, this also covers the same fact published again under a new message id.
    /// </summary>
    /// <returns>False when the fact was already notified.</returns>
    public static async Task<bool> AddOnceAsync(this NotificationsDb db, Guid patientId, string category,
        NotificationText text, string? link, Guid sourceId, DateTimeOffset now, CancellationToken ct)
    {
        if (await db.Notifications.AnyAsync(n => n.Category == category && n.SourceId == sourceId, ct))
        {
            return false;
        }

        db.Notifications.Add(new Notification(patientId, category, text.Title, text.Body, link, sourceId, now));
        return true;
    }
}
