using Gosuslugi.Health.Appointments.Schedules;
using Gosuslugi.Health.ServiceDefaults;

namespace Gosuslugi.Health.Appointments.Tests;

/// <summary>Slot generation from a published schedule: pure, no database.</summary>
public sealed class SlotScheduleTests
{
    [Fact]
    public void Only_the_chosen_weekdays_get_slots_and_Moscow_wall_time_becomes_UTC()
    {
        // 2026-12-07 is a Monday; the range runs to Sunday 2026-12-13.
        var schedule = new SlotSchedule(new DateOnly(2026, 12, 7), new DateOnly(2026, 12, 13), new HashSet<int> { 1, 3, 7 },
            new TimeOnly(8, 0), new TimeOnly(9, 0), 20);

        var slots = schedule.Slots().ToList();

        slots.Count.ShouldBe(9);
        slots.Select(s => s.StartsAt.Offset).Distinct().ShouldBe([TimeSpan.Zero]);
        slots.Select(s => MoscowTime.DateOf(s.StartsAt)).Distinct()
            .ShouldBe([new DateOnly(2026, 12, 7), new DateOnly(2026, 12, 9), new DateOnly(2026, 12, 13)]);
        // 08:00 in Moscow is 05:00 UTC.
        slots[0].StartsAt.ShouldBe(new DateTimeOffset(2026, 12, 7, 5, 0, 0, TimeSpan.Zero));
        slots[0].EndsAt.ShouldBe(new DateTimeOffset(2026, 12, 7, 5, 20, 0, TimeSpan.Zero));
        slots[2].StartsAt.ShouldBe(new DateTimeOffset(2026, 12, 7, 5, 40, 0, TimeSpan.Zero));
        slots[^1].StartsAt.ShouldBe(new DateTimeOffset(2026, 12, 13, 5, 40, 0, TimeSpan.Zero));
    }

    [Fact]
    public void A_slot_that_would_run_past_the_end_is_not_made_and_an_early_start_falls_on_the_previous_UTC_day()
    {
        var schedule = new SlotSchedule(new DateOnly(2026, 12, 8), new DateOnly(2026, 12, 8), new HashSet<int> { 2 },
            new TimeOnly(1, 0), new TimeOnly(2, 0), 25);

        var slots = schedule.Slots().ToList();

        // 01:00 and 01:25; 01:50 would end at 02:15.
        slots.Select(s => s.StartsAt).ShouldBe([
            new DateTimeOffset(2026, 12, 7, 22, 0, 0, TimeSpan.Zero),
            new DateTimeOffset(2026, 12, 7, 22, 25, 0, TimeSpan.Zero),
        ]);
    }

    [Fact]
    public void Sunday_is_weekday_seven()
    {
        SlotSchedule.IsoWeekday(new DateOnly(2026, 12, 6)).ShouldBe(7);
        SlotSchedule.IsoWeekday(new DateOnly(2026, 12, 7)).ShouldBe(1);
    }

    [Fact]
    public void Invalid_requests_name_each_wrong_field()
    {
        var errors = ScheduleRequestValidator.Validate(
            new ScheduleRequest("2026-12-20", "2026-12-10", [0, 8], "8am", "14:00", 0, false, null), out var schedule);

        schedule.ShouldBeNull();
        errors.Keys.ShouldBe(["to", "weekdays", "start", "slotMinutes"], ignoreOrder: true);
    }

    [Fact]
    public void A_range_longer_than_the_limit_or_an_end_before_the_start_is_refused()
    {
        ScheduleRequestValidator.Validate(new ScheduleRequest("2026-01-01", "2026-12-31", [1], "08:00", "14:00", 20, null, null),
            out _).Keys.ShouldBe(["to"]);
        ScheduleRequestValidator.Validate(new ScheduleRequest("2026-01-01", "2026-01-02", [1], "14:00", "08:00", 20, null, null),
            out _).Keys.ShouldBe(["end"]);
        ScheduleRequestValidator.Validate(new ScheduleRequest("2026-01-01", "2026-01-02", [1], "08:00", "08:10", 20, null, null),
            out _).Keys.ShouldBe(["slotMinutes"]);
    }
}
