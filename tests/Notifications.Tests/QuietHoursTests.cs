using Gosuslugi.Health.Notifications.Channels;
using Gosuslugi.Health.Notifications.Domain;

namespace Gosuslugi.Health.Notifications.Tests;

public sealed class QuietHoursTests
{
    private static readonly TimeOnly Ten = new(22, 0);
    private static readonly TimeOnly Eight = new(8, 0);

    private static DateTimeOffset Moscow(int day, int hour, int minute = 0) =>
        new(2026, 12, day, hour, minute, 0, TimeSpan.FromHours(3));

    [Fact]
    public void Outside_the_window_sends_now()
    {
        var now = Moscow(10, 12);
        Assert.Equal(now, QuietHours.NextAllowed(now, Ten, Eight));
    }

    [Fact]
    public void Late_evening_waits_until_next_morning()
    {
        Assert.Equal(Moscow(11, 8), QuietHours.NextAllowed(Moscow(10, 23, 30), Ten, Eight));
    }

    [Fact]
    public void After_midnight_waits_until_the_same_morning()
    {
        Assert.Equal(Moscow(11, 8), QuietHours.NextAllowed(Moscow(11, 3), Ten, Eight));
    }

    [Fact]
    public void The_end_of_the_window_is_not_quiet()
    {
        Assert.Equal(Moscow(11, 8), QuietHours.NextAllowed(Moscow(11, 8), Ten, Eight));
    }

    [Fact]
    public void A_window_within_one_day_works()
    {
        var from = new TimeOnly(13, 0);
        var to = new TimeOnly(15, 0);
        Assert.Equal(Moscow(10, 15), QuietHours.NextAllowed(Moscow(10, 14), from, to));
        Assert.Equal(Moscow(10, 16), QuietHours.NextAllowed(Moscow(10, 16), from, to));
    }

    [Fact]
    public void No_window_sends_now()
    {
        var now = Moscow(10, 23);
        Assert.Equal(now, QuietHours.NextAllowed(now, null, null));
    }

    [Fact]
    public void Utc_input_is_read_as_moscow_time()
    {
        // 20:00 UTC is 23:00 in Moscow.
        var now = new DateTimeOffset(2026, 12, 10, 20, 0, 0, TimeSpan.Zero);
        Assert.Equal(Moscow(11, 8), QuietHours.NextAllowed(now, Ten, Eight));
    }

    [Fact]
    public void Defaults_send_sms_only_for_time_critical_categories()
    {
        Assert.True(ChannelDefaults.IsEnabled(NotificationCategories.Reminder, Domain.Channels.Sms));
        Assert.False(ChannelDefaults.IsEnabled(NotificationCategories.RecordItem, Domain.Channels.Sms));
        Assert.True(ChannelDefaults.IsEnabled(NotificationCategories.RecordItem, Domain.Channels.Email));
        Assert.False(ChannelDefaults.IsEnabled(NotificationCategories.RecordItem, Domain.Channels.InApp));
    }
}
