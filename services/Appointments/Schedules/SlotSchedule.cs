using Gosuslugi.Health.ServiceDefaults;
namespace Gosuslugi.Health.Appointments.Schedules;

/// <summary>
/// A doctor's schedule as an organization publishes it: on the given ISO weekdays (1 = Monday) of the dates
/// <see cref="From"/>..<see cref="To"/> (inclusive), slots of <see cref="SlotMinutes"/> from <see cref="Start"/> to
/// <see cref="End"/>, all Moscow wall-clock times.
/// </summary>
public sealed record SlotSchedule(DateOnly From, DateOnly To, IReadOnlySet<int> Weekdays, TimeOnly Start, TimeOnly End,
    int SlotMinutes)
{
    /// <summary>One request covers at most this many days, so that a typo in a year cannot create years of slots.</summary>
    public const int MaxDays = 92;

    public const int MinSlotMinutes = 5;
    public const int MaxSlotMinutes = 240;

    /// <summary>
    /// The slots (UTC instants) in time order. A slot that would not end by <see cref="End"/> is not made: a 14:00 end
    /// with 25-minute slots from 08:00 leaves 13:50–14:00 free.
    /// </summary>
    public IEnumerable<(DateTimeOffset StartsAt, DateTimeOffset EndsAt)> Slots()
    {
        var length = TimeSpan.FromMinutes(SlotMinutes);
        for (var date = From; date <= To; date = date.AddDays(1))
        {
            if (!Weekdays.Contains(IsoWeekday(date)))
            {
                continue;
            }

            var dayStart = MoscowTime.ToUtc(date, Start);
            var dayEnd = MoscowTime.ToUtc(date, End);
            for (var startsAt = dayStart; startsAt + length <= dayEnd; startsAt += length)
            {
                yield return (startsAt, startsAt + length);
            }
        }
    }

    /// <summary>ISO 8601 day of the week: Monday 1 .. Sunday 7.</summary>
    public static int IsoWeekday(DateOnly date) => date.DayOfWeek == DayOfWeek.Sunday ? 7 : (int)date.DayOfWeek;
}
