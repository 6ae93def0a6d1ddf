using Gosuslugi.Health.Notifications.Domain;
using Gosuslugi.Health.ServiceDefaults;

namespace Gosuslugi.Health.Notifications.Channels;

/// <summary>Which channels a category goes to when the person has not chosen (no <see cref="ChannelPreference"/> row).</summary>
public static class ChannelDefaults
{
    /// <summary>SMS costs money and interrupts: only what is time-critical goes there by default.</summary>
    private static readonly HashSet<string> SmsByDefault =
    [
        NotificationCategories.Appointment, NotificationCategories.Reminder, NotificationCategories.Security,
    ];

    public static bool IsEnabled(string category, string channel) => channel switch
    {
        Domain.Channels.Sms => SmsByDefault.Contains(category),
        Domain.Channels.Email or Domain.Channels.Push => true,
        _ => false,
    };
}

/// <summary>Quiet hours are Moscow wall-clock times (UTC+3, no DST); the window may wrap midnight (22:00–08:00).</summary>
public static class QuietHours
{
    /// <summary><paramref name="now"/> if outside the window, else the instant the window ends.</summary>
    public static DateTimeOffset NextAllowed(DateTimeOffset now, TimeOnly? from, TimeOnly? to)
    {
        if (from is not { } start || to is not { } end || start == end)
        {
            return now;
        }

        var local = now.ToOffset(MoscowTime.Offset);
        var time = TimeOnly.FromDateTime(local.DateTime);
        var wraps = start > end;
        var inside = wraps ? time >= start || time < end : time >= start && time < end;
        if (!inside)
        {
            return now;
        }

        var endDate = DateOnly.FromDateTime(local.DateTime);
        if (wraps && time >= start)
        {
            endDate = endDate.AddDays(1);
        }

        return MoscowTime.ToUtc(endDate, end);
    }
}
