using Gosuslugi.Health.Notifications.Data;
using Gosuslugi.Health.Notifications.Domain;
using Gosuslugi.Health.Notifications.Events;
using Microsoft.EntityFrameworkCore;

namespace Gosuslugi.Health.Notifications.Channels;

public static class DeliveryPlanner
{
    /// <summary>Neutral on purpose: a subject is shown on lock screens and in mail lists.</summary>
    public const string Subject = "Моё здоровье: новое уведомление";

    /// <summary>
    /// Adds the <see cref="Delivery"/> rows for a new notification: to the patient and to everyone whose delegation lasts
    /// now, on the channels their preferences enable, after their quiet hours (security excepted).
    /// Every delegation scope receives every category: the representative's text carries no medical details anyway
    /// (only <see cref="NotificationText.PrivateSummary"/>), so a "limited" scope has nothing to hide here.
    /// </summary>
    public static async Task PlanDeliveriesAsync(this NotificationsDb db, Notification notification, NotificationText text,
        DateTimeOffset now, CancellationToken ct)
    {
        var representatives = await db.Delegations.AsNoTracking()
            .Where(d => d.PatientId == notification.PatientId && d.RevokedAt == null && d.ValidFrom <= now && now < d.ValidTo)
            .Select(d => d.ActorId)
            .Distinct()
            .ToListAsync(ct);
        var people = representatives.Where(a => a != notification.PatientId).Prepend(notification.PatientId).ToList();

        var recipients = await db.Recipients.AsNoTracking().Where(r => people.Contains(r.PersonId))
            .ToDictionaryAsync(r => r.PersonId, ct);
        var preferences = await db.ChannelPreferences.AsNoTracking()
            .Where(p => people.Contains(p.PersonId) && p.Category == notification.Category)
            .ToListAsync(ct);
        var devices = await db.PushDevices.AsNoTracking().Where(d => people.Contains(d.PersonId)).ToListAsync(ct);
        var security = NotificationCategories.IsSecurity(notification.Category);

        foreach (var person in people)
        {
            recipients.TryGetValue(person, out var recipient);
            var message = person == notification.PatientId
                ? text.PrivateSummary
                : $"Уведомление о представляемом вами человеке. {text.PrivateSummary}";
            var notBefore = security ? now : QuietHours.NextAllowed(now, recipient?.QuietFrom, recipient?.QuietTo);

            foreach (var channel in Domain.Channels.External)
            {
                var choice = preferences.FirstOrDefault(p => p.PersonId == person && p.Channel == channel);
                if (!(choice?.Enabled ?? ChannelDefaults.IsEnabled(notification.Category, channel)))
                {
                    continue;
                }

                IEnumerable<string?> destinations = channel switch
                {
                    Domain.Channels.Sms => new[] { recipient?.Phone },
                    Domain.Channels.Email => new[] { recipient?.Email },
                    _ => devices.Where(d => d.PersonId == person).Select(string? (d) => d.Token),
                };
                foreach (var destination in destinations.OfType<string>().Where(d => d.Length > 0).Distinct())
                {
                    db.Deliveries.Add(new Delivery
                    {
                        Id = Guid.CreateVersion7(now),
                        NotificationId = notification.Id,
                        PatientId = notification.PatientId,
                        RecipientId = person,
                        Channel = channel,
                        Destination = destination,
                        Subject = Subject,
                        Text = message,
                        Status = DeliveryStatuses.Pending,
                        NotBefore = notBefore,
                        CreatedAt = now,
                    });
                }
            }
        }
    }
}
